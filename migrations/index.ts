import { InitialSchema1763800000000 } from './1763800000000-InitialSchema'
import { RepairBookings1763900000000 } from './1763900000000-RepairBookings'
import { InboundMedia1764000000000 } from './1764000000000-InboundMedia'
import { SlaAndScheduling1764100000000 } from './1764100000000-SlaAndScheduling'
import { WeCom1764200000000 } from './1764200000000-WeCom'
import { AdminApi1764300000000 } from './1764300000000-AdminApi'
import { OutboxIndexes1764400000000 } from './1764400000000-OutboxIndexes'
import { WeComRateBudget1764500000000 } from './1764500000000-WeComRateBudget'
import { InboundAcceptedAt1764600000000 } from './1764600000000-InboundAcceptedAt'
import { OutboxHeldIndex1764700000000 } from './1764700000000-OutboxHeldIndex'
import { BindingFailures1764800000000 } from './1764800000000-BindingFailures'
import { ReplyMetAt1764900000000 } from './1764900000000-ReplyMetAt'
import { CalendarDays1765000000000 } from './1765000000000-CalendarDays'
import { ConversationHandOff1765100000000 } from './1765100000000-ConversationHandOff'
import { CannedReplies1765200000000 } from './1765200000000-CannedReplies'
import { Organisation1765300000000 } from './1765300000000-Organisation'
import { OnDutyStaff1765400000000 } from './1765400000000-OnDutyStaff'
import { KnowledgeBase1765500000000 } from './1765500000000-KnowledgeBase'
import { MediaFiles1765600000000 } from './1765600000000-MediaFiles'
import { PersonalData1765700000000 } from './1765700000000-PersonalData'
import { PhonesAtRest1765800000000 } from './1765800000000-PhonesAtRest'
import { ProjectServiceSettings1765900000000 } from './1765900000000-ProjectServiceSettings'
import { Branches1766000000000 } from './1766000000000-Branches'
import { ServiceCategories1766100000000 } from './1766100000000-ServiceCategories'
import { RepairTeams1766200000000 } from './1766200000000-RepairTeams'
import { ProjectDeliveryDate1766300000000 } from './1766300000000-ProjectDeliveryDate'
import { ConversationHotUpdates1766400000000 } from './1766400000000-ConversationHotUpdates'

/** Listed explicitly so that tsx, jest and compiled builds all load the same migrations in order. */
export const migrations = [
  InitialSchema1763800000000,
  RepairBookings1763900000000,
  InboundMedia1764000000000,
  SlaAndScheduling1764100000000,
  WeCom1764200000000,
  AdminApi1764300000000,
  OutboxIndexes1764400000000,
  WeComRateBudget1764500000000,
  InboundAcceptedAt1764600000000,
  OutboxHeldIndex1764700000000,
  BindingFailures1764800000000,
  ReplyMetAt1764900000000,
  CalendarDays1765000000000,
  ConversationHandOff1765100000000,
  CannedReplies1765200000000,
  Organisation1765300000000,
  OnDutyStaff1765400000000,
  KnowledgeBase1765500000000,
  MediaFiles1765600000000,
  PersonalData1765700000000,
  PhonesAtRest1765800000000,
  ProjectServiceSettings1765900000000,
  Branches1766000000000,
  ServiceCategories1766100000000,
  RepairTeams1766200000000,
  ProjectDeliveryDate1766300000000,
  ConversationHotUpdates1766400000000,
]
