import type { EntityManager } from 'typeorm'
import type { BindingDeps, DialogDeps, OwnerSession } from '../dialogs/ports'
import type { WarrantyPeriods } from '../domain/warranty'
import { formatShanghai, nextBusinessOpening } from '../domain/working-time'
import { PgBindingServices, type PrivacySettings } from './households/binding-services'
import type { CaseClock } from './cases/case-clock'
import { PgCaseServices } from './cases/owner-case-services'
import { PgLetterServices } from './letters/owner-letter-services'
import { PgOwnerServices } from './households/owner-services'
import { PgRepairServices } from './repairs/repair-services'
import { PgSurveyServices } from './surveys/survey-services'
import type { GroupWarningSettings } from './cases/group-warning'
import type { Understander } from '../dialogs/ports'
import { offlineUnderstander } from '../understanding/understand'
import { PgKnowledgeServices } from './knowledge/knowledge-search'
import { handStrangerToCentre } from './conversations/hand-off'

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

/** The dialogs' ports over Postgres, bound to the transaction of the message being handled. */
export function pgDialogDeps(
  manager: EntityManager,
  session: OwnerSession,
  now: Date,
  settings: DialogSettings,
): DialogDeps {
  const { businessHours, calendar } = settings.clock.settings
  return {
    session,
    owners: new PgOwnerServices(manager, now, settings.clock),
    cases: new PgCaseServices(manager, now, settings.clock, settings.groupWarning),
    repairs: new PgRepairServices(manager, now, settings.warrantyPeriods, settings.clock),
    letters: new PgLetterServices(manager, now),
    surveys: new PgSurveyServices(manager, now, settings.clock),
    knowledge: new PgKnowledgeServices(manager, now, {
      conversationId: session.conversationId,
      householdId: session.householdId,
    }),
    understander: settings.understander ?? offlineUnderstander,
    staffAvailability: () => {
      const opening = nextBusinessOpening(now, businessHours, calendar)
      return opening.getTime() === now.getTime()
        ? { open: true }
        : { open: false, opensAt: formatShanghai(opening) }
    },
  }
}

export function pgBindingDeps(
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
