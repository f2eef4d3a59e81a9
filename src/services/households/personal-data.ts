import type { EntityManager } from 'typeorm'
import { audit } from '../../db/case-store'
import {
  anonymiseOwner,
  correctOwner,
  endOwner,
  insertOwner,
  ownerRecord,
  personalData,
  unbindOwner,
  withdrawConsents,
} from '../../db/personal-data-queries'
import type { MediaRef } from '../../dialogs/runtime/messages'
import { mediaViews } from '../media/media-links'

export type OwnerRelationEnd = 'resale' | 'moved_out' | 'other'

/**
 * A resale or a move: the owner's relation to the household ends now. Their WeChat identities are
 * unbound in the same transaction, so from their next message they see nothing of the household's cases,
 * letters or conversations; the household's history stays with the household for its next owner.
 */
export async function endOwnerRelation(
  manager: EntityManager,
  ownerId: number,
  reason: OwnerRelationEnd,
  actor: string,
  now: Date,
): Promise<{ identitiesUnbound: number } | 'ALREADY_ENDED'> {
  const owner = (await ownerRecord(manager, ownerId, true))!
  if (owner.endedAt) return 'ALREADY_ENDED'
  await endOwner(manager, ownerId, reason, now)
  const identitiesUnbound = await unbindOwner(manager, ownerId)
  await withdrawConsents(manager, { ownerId }, now)
  await audit(manager, {
    actor,
    action: 'owner.end',
    subjectType: 'owner',
    subjectId: String(ownerId),
    details: { reason, identitiesUnbound, householdId: owner.householdId },
    at: now,
  })
  return { identitiesUnbound }
}

export async function addOwner(
  manager: EntityManager,
  owner: { householdId: number; name: string; phone: string; relation: string },
  actor: string,
  now: Date,
): Promise<{ id: number } | 'DUPLICATE_PHONE'> {
  const id = await insertOwner(manager, owner)
  if (id === null) return 'DUPLICATE_PHONE'
  await audit(manager, {
    actor,
    action: 'owner.add',
    subjectType: 'owner',
    subjectId: String(id),
    details: { householdId: owner.householdId, relation: owner.relation },
    at: now,
  })
  return { id }
}

/** A person's request to correct their record; the audit names the fields, not the values. */
export async function correctOwnerRecord(
  manager: EntityManager,
  ownerId: number,
  fields: { name?: string; phone?: string; relation?: string },
  actor: string,
  now: Date,
): Promise<'ok' | 'DUPLICATE_PHONE'> {
  const outcome = await correctOwner(manager, ownerId, fields)
  if (outcome === 'ok')
    await audit(manager, {
      actor,
      action: 'owner.correct',
      subjectType: 'owner',
      subjectId: String(ownerId),
      details: { fields: Object.keys(fields) },
      at: now,
    })
  return outcome
}

/**
 * A copy of one person's data (查阅、复制): JSON with their media as links valid a few minutes. Audited,
 * because an export is itself a disclosure.
 */
export async function exportPersonalData(manager: EntityManager, ownerId: number, actor: string, now: Date) {
  const data = await personalData(manager, ownerId)
  const refs = [
    ...data.messages.flatMap((m) => ((m.media as MediaRef | null)?.ref ? [(m.media as MediaRef).ref] : [])),
    ...data.cases.flatMap((c) => ((c as { attachments?: string[] }).attachments ?? []) as string[]),
  ]
  const views = await mediaViews(manager, refs, now)
  await audit(manager, {
    actor,
    action: 'owner.export',
    subjectType: 'owner',
    subjectId: String(ownerId),
    at: now,
  })
  return {
    exportedAt: now.toISOString(),
    ...data,
    media: [...views.entries()].map(([ref, view]) => ({ ref, ...view })),
  }
}

/**
 * Deletion as far as the law allows (删除): the person's name, phone, identities, words and files go;
 * cases and their events stay as the developer's business records, pointing to an anonymised owner.
 * Returns the stored files to delete once the transaction has committed.
 */
export async function anonymisePerson(
  manager: EntityManager,
  ownerId: number,
  actor: string,
  now: Date,
): Promise<string[]> {
  const keys = await anonymiseOwner(manager, ownerId, now)
  await withdrawConsents(manager, { ownerId }, now)
  await audit(manager, {
    actor,
    action: 'owner.anonymise',
    subjectType: 'owner',
    subjectId: String(ownerId),
    details: { files: keys.length },
    at: now,
  })
  return keys
}
