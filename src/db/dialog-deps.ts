import type { EntityManager } from 'typeorm'
import type { BindingDeps, DialogDeps, OwnerSession } from '../dialogs/ports'
import type { WarrantyPeriods } from '../domain/warranty'
import { PgBindingServices } from './binding-services'
import { PgCaseServices } from './case-services'
import { PgLetterServices } from './letter-services'
import { PgOwnerServices } from './owner-services'
import { PgRepairServices } from './repair-services'
import { PgSurveyServices } from './survey-services'

/** The dialogs' ports over Postgres, bound to the transaction of the message being handled. */
export function pgDialogDeps(
  manager: EntityManager,
  session: OwnerSession,
  now: Date,
  settings: { warrantyPeriods: WarrantyPeriods; staffAvailability: DialogDeps['staffAvailability'] },
): DialogDeps {
  return {
    session,
    owners: new PgOwnerServices(manager, now),
    cases: new PgCaseServices(manager, now),
    repairs: new PgRepairServices(manager, now, settings.warrantyPeriods),
    letters: new PgLetterServices(manager, now),
    surveys: new PgSurveyServices(manager, now),
    staffAvailability: settings.staffAvailability,
  }
}

export function pgBindingDeps(
  manager: EntityManager,
  identity: BindingDeps['identity'],
  now: Date,
): BindingDeps {
  return { identity, binding: new PgBindingServices(manager, now) }
}
