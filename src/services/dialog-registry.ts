import type { EntityManager } from 'typeorm'
import type { OwnerDialogs } from '../dialogs/conversation'
import { ambassadorDialog } from '../dialogs/flows/ambassador.dialog'
import { casesDialog } from '../dialogs/flows/cases.dialog'
import { complaintDialog } from '../dialogs/flows/complaint.dialog'
import { knowledgeDialog } from '../dialogs/flows/knowledge.dialog'
import { lettersDialog } from '../dialogs/flows/letters.dialog'
import { menuDialog } from '../dialogs/flows/menu.dialog'
import { myDataDialog, unbindDialog } from '../dialogs/flows/my-data.dialog'
import { repairDialog } from '../dialogs/flows/repair.dialog'
import { surveyDialog } from '../dialogs/flows/survey.dialog'
import type { BindingDeps, OwnerDeps, OwnerSession, Understander } from '../dialogs/ports'
import type { Dialog } from '../dialogs/runtime/dialog'
import { householdProject } from '../db/household-queries'
import type { WarrantyPeriods } from '../domain/warranty'
import { formatShanghai, nextBusinessOpening } from '../domain/working-time'
import { offlineUnderstander } from '../understanding/understand'
import type { CaseClock } from './cases/case-clock'
import type { GroupWarningSettings } from './cases/group-warning'
import { PgCaseServices } from './cases/owner-case-services'
import { handStrangerToCentre } from './conversations/hand-off'
import { PgBindingServices, type PrivacySettings } from './households/binding-services'
import { PgOwnerServices } from './households/owner-services'
import { PgKnowledgeServices } from './knowledge/knowledge-search'
import { PgLetterServices } from './letters/owner-letter-services'
import { PgRepairServices } from './repairs/repair-services'
import { PgSurveyServices } from './surveys/survey-services'

/**
 * The dialogs a bound owner can be in, and the services they are given. Adding a dialog is its flow
 * (which declares the port it needs beside itself), its copy, its service, and two lines here: the
 * dialog in OWNER_DIALOGS and, for a new port, its provider in PROVIDERS — the compiler asks for the
 * provider, because the deps type is computed from the dialogs listed.
 */
const OWNER_DIALOGS = [
  menuDialog,
  complaintDialog,
  repairDialog,
  lettersDialog,
  surveyDialog,
  casesDialog,
  ambassadorDialog,
  knowledgeDialog,
  myDataDialog,
  unbindDialog,
] as const

type DepsOf<D> = D extends Dialog<infer Deps> ? Deps : never
type Intersection<U> = (U extends unknown ? (whole: U) => void : never) extends (whole: infer I) => void
  ? I
  : never

/** Everything the registered owner dialogs need: the intersection of what each declares. */
export type OwnerDialogDeps = Intersection<DepsOf<(typeof OWNER_DIALOGS)[number]>> & OwnerDeps

export const ownerDialogs: OwnerDialogs<OwnerDialogDeps> = new Map(
  OWNER_DIALOGS.map((dialog): [string, Dialog<OwnerDialogDeps>] => [dialog.id, dialog]),
)

export type { GroupWarningSettings }

export interface DialogSettings {
  warrantyPeriods: WarrantyPeriods
  clock: CaseClock
  groupWarning: GroupWarningSettings
  /** Reads owners' free text; the offline classifier unless an LLM provider is configured. */
  understander?: Understander
  /** The privacy notice binding shows (the default wording and version when absent). */
  privacy?: PrivacySettings
}

/** One owner's turn: the transaction of the message being handled, its time and the settings. */
interface OwnerTurn {
  manager: EntityManager
  session: OwnerSession
  now: Date
  settings: DialogSettings
}

/** The ports built from the turn alone, not from a service area. */
type TurnPorts = 'session' | 'understander' | 'staffAvailability'

/** How each service port is made over Postgres for a turn, bound to its transaction. */
const PROVIDERS: {
  [Port in Exclude<keyof OwnerDialogDeps, TurnPorts>]: (turn: OwnerTurn) => OwnerDialogDeps[Port]
} = {
  owners: ({ manager, now, settings }) => new PgOwnerServices(manager, now, settings.clock),
  cases: ({ manager, now, settings }) => new PgCaseServices(manager, now, settings.clock),
  repairs: ({ manager, now, settings }) =>
    new PgRepairServices(manager, now, settings.warrantyPeriods, settings.clock),
  letters: ({ manager, now }) => new PgLetterServices(manager, now),
  surveys: ({ manager, now, settings }) => new PgSurveyServices(manager, now, settings.clock),
  knowledge: ({ manager, now, session }) =>
    new PgKnowledgeServices(manager, now, {
      conversationId: session.conversationId,
      householdId: session.householdId,
    }),
}

/** The owner dialogs' ports over Postgres, bound to the transaction of the message being handled. */
export function ownerDialogDeps(
  manager: EntityManager,
  session: OwnerSession,
  now: Date,
  settings: DialogSettings,
): OwnerDialogDeps {
  const turn: OwnerTurn = { manager, session, now, settings }
  const services = Object.fromEntries(
    Object.entries(PROVIDERS).map(([port, provide]) => [port, provide(turn)]),
  ) as { [Port in keyof typeof PROVIDERS]: OwnerDialogDeps[Port] }
  return {
    ...services,
    session,
    understander: settings.understander ?? offlineUnderstander,
    staffAvailability: async (projectId) => {
      const project = projectId ?? (await householdProject(manager, session.householdId))
      const { businessHours, calendar } = (await settings.clock.forProject(manager, project)).settings
      const opening = nextBusinessOpening(now, businessHours, calendar)
      return opening.getTime() === now.getTime()
        ? { open: true }
        : { open: false, opensAt: formatShanghai(opening) }
    },
  }
}

/** The binding dialog's ports, for a WeChat user not yet bound to a household file. */
export function bindingDeps(
  manager: EntityManager,
  identity: BindingDeps['identity'],
  now: Date,
  settings: DialogSettings,
): BindingDeps {
  return {
    identity,
    binding: new PgBindingServices(manager, now, settings.privacy),
    knowledge: new PgKnowledgeServices(manager, now, {
      conversationId: identity.conversationId,
      householdId: null,
    }),
    understander: settings.understander ?? offlineUnderstander,
    handOffToCentre: () => handStrangerToCentre(manager, settings.clock, identity.conversationId, now),
  }
}
