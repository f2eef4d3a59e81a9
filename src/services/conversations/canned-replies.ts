import type { EntityManager } from 'typeorm'
import { canSeeProject, type StaffScope } from '../../db/access'
import { audit } from '../../db/case-store'
import {
  cannedReplyById,
  conversationPlaceholderValues,
  insertCannedReply,
  type PlaceholderValues,
  retireCannedReply,
} from '../../db/canned-reply-queries'
import { fillCannedReply, unknownPlaceholders } from '../../domain/canned-reply'

export type CannedReplyRefusal =
  | { error: 'NO_SUCH_REPLY' }
  | { error: 'UNKNOWN_PLACEHOLDER'; placeholders: string[] }
  | { error: 'GROUP_WIDE_NEEDS_GROUP' }
  | { error: 'OTHER_PROJECT' }

/**
 * Saves a canned reply. Group-wide ones are the group's to write (admins, the group centre); a branch
 * writes for its own projects. A placeholder nobody can fill is refused now, not discovered by an owner.
 */
export async function saveCannedReply(
  manager: EntityManager,
  scope: StaffScope,
  input: { projectId: number | null; title: string; body: string },
  actor: string,
  now: Date,
): Promise<{ id: number } | CannedReplyRefusal> {
  const unknown = unknownPlaceholders(input.body)
  if (unknown.length > 0) return { error: 'UNKNOWN_PLACEHOLDER', placeholders: unknown }
  if (input.projectId === null && scope.kind !== 'all') return { error: 'GROUP_WIDE_NEEDS_GROUP' }
  if (input.projectId !== null && !(await canSeeProject(manager, scope, input.projectId)))
    return { error: 'OTHER_PROJECT' }
  const id = await insertCannedReply(manager, { ...input, createdBy: actor, at: now })
  await audit(manager, {
    actor,
    action: 'canned_reply.create',
    subjectType: 'canned_reply',
    subjectId: String(id),
    at: now,
  })
  return { id }
}

/** Retires a canned reply the caller could have written; one out of reach reads as missing. */
export async function retireCannedReplyFor(
  manager: EntityManager,
  scope: StaffScope,
  id: number,
  actor: string,
  now: Date,
): Promise<boolean> {
  const reply = await cannedReplyById(manager, id)
  if (!reply) return false
  const mayEdit =
    reply.projectId === null ? scope.kind === 'all' : await canSeeProject(manager, scope, reply.projectId)
  if (!mayEdit) return false
  await retireCannedReply(manager, id, now)
  await audit(manager, {
    actor,
    action: 'canned_reply.retire',
    subjectType: 'canned_reply',
    subjectId: String(id),
    at: now,
  })
  return true
}

/**
 * A canned reply as the owner of this conversation reads it. One written for another project is
 * refused: its facts (a sales office's hours, a site's contact) would be wrong for this owner.
 */
export async function cannedReplyText(
  manager: EntityManager,
  conversationId: number,
  cannedReplyId: number,
): Promise<{ text: string } | CannedReplyRefusal> {
  const reply = await cannedReplyById(manager, cannedReplyId)
  if (!reply) return { error: 'NO_SUCH_REPLY' }
  const values = await conversationPlaceholderValues(manager, conversationId)
  if (reply.projectId !== null && reply.projectId !== values.projectId) return { error: 'OTHER_PROJECT' }
  return { text: fillFor(reply.body, values) }
}

/** A canned reply's text for one owner (the conversation view, the sidebar). */
export function fillFor(body: string, values: PlaceholderValues): string {
  return fillCannedReply(body, {
    业主: values.owner,
    客户大使: values.ambassador,
    大使电话: values.ambassadorPhone,
    项目: values.project,
  })
}
