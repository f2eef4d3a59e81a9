import { z } from 'zod'
import { canSeeHousehold, scopeOf } from '../../db/access'
import { conversationHousehold, listConversations, transcript } from '../../db/conversation-queries'
import { renderAsText, type MediaRef, type OutgoingMessage } from '../../dialogs/runtime/messages'
import { mediaViews } from '../../services/media/media-links'
import { handBackToBot, replyInConversation } from '../../services/conversations/hand-off'
import { ApiError } from '../middleware/error-handler'
import { bodyId, databaseId, endpoint, queryDate, type Request } from './endpoint'
import { listCannedReplies } from '../../db/canned-reply-queries'
import { CANNED_PLACEHOLDERS } from '../../domain/canned-reply'
import {
  cannedReplyText,
  retireCannedReplyFor,
  saveCannedReply,
  type CannedReplyRefusal,
} from '../../services/conversations/canned-replies'

/** Customer-service roles: conversations are scoped as the households they belong to. */
const CONVERSATION_ROLES = ['admin', 'group_centre', 'branch_head', 'ambassador'] as const
/** Who writes canned replies: the group for everyone, branch heads for their projects. */
const CANNED_REPLY_EDITORS = ['admin', 'group_centre', 'branch_head'] as const

/** A conversation the caller may see: a household's in scope, a stranger's for the group-wide roles. */
async function visibleConversation(request: Request<unknown, unknown>): Promise<number> {
  const id = Number(request.params.id)
  const { dataSource } = request.deps
  const found = await conversationHousehold(dataSource, id)
  const scope = await scopeOf(dataSource, request.staff)
  const visible =
    found !== null &&
    (found.householdId === null
      ? scope.kind === 'all'
      : await canSeeHousehold(dataSource, scope, found.householdId))
  if (!visible) {
    await request.audit('conversation.denied', 'conversation', id)
    throw new ApiError(404, 'NOT_FOUND', 'No such conversation')
  }
  return id
}

const actor = (request: Request<unknown, unknown>) => `staff:${request.staff.tokenId}:${request.staff.name}`

/** Staff see and take over owners' conversations: the transcript, replies, and handing back to the bot. */
export const conversationEndpoints = [
  endpoint({
    method: 'get',
    path: '/conversations',
    summary:
      'Owners’ conversations in scope, latest first; state=with_staff lists those staff have taken over',
    roles: CONVERSATION_ROLES,
    query: z.object({
      state: z.enum(['with_staff', 'bot']).optional(),
      project: databaseId.optional(),
      ambassador: databaseId.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    async handle({
      staff,
      query,
      deps,
    }: Request<
      { state?: 'with_staff' | 'bot'; project?: number; ambassador?: number; limit: number },
      undefined
    >) {
      const scope = await scopeOf(deps.dataSource, staff)
      const items = await listConversations(deps.dataSource, {
        state: query.state,
        projectId: query.project,
        ambassadorId: query.ambassador,
        limit: query.limit,
        scope,
      })
      return { items }
    },
  }),

  endpoint({
    method: 'get',
    path: '/conversations/:id/messages',
    summary:
      'The transcript: every message in and out, in order (the latest `limit`, or those after `after`)',
    roles: CONVERSATION_ROLES,
    query: z.object({
      after: queryDate.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(200),
    }),
    async handle(request: Request<{ after?: Date; limit: number }, undefined>) {
      const id = await visibleConversation(request)
      await request.audit('conversation.read', 'conversation', id)
      const entries = await transcript(request.deps.dataSource, id, {
        after: request.query.after ?? null,
        limit: request.query.limit,
      })
      const refs = entries.flatMap((entry) =>
        (entry.media as MediaRef | null)?.ref ? [(entry.media as MediaRef).ref] : [],
      )
      const views = await mediaViews(request.deps.dataSource, refs, request.deps.now())
      return {
        items: entries.map((entry) => ({
          direction: entry.direction,
          at: entry.at,
          text: entry.direction === 'in' ? entry.text : renderAsText(entry.payload as OutgoingMessage),
          media: entry.media
            ? { ...(entry.media as MediaRef), stored: views.get((entry.media as MediaRef).ref) ?? null }
            : null,
          author: entry.direction === 'in' ? 'owner' : (entry.author ?? 'bot'),
          status: entry.status,
        })),
      }
    },
  }),

  endpoint({
    method: 'post',
    path: '/conversations/:id/messages',
    summary: 'Reply to the owner on their channel (under its rules); the bot keeps quiet until released',
    roles: CONVERSATION_ROLES,
    body: z.union([
      z.object({ text: z.string().trim().min(1).max(2000) }).strict(),
      z.object({ cannedReplyId: bodyId }).strict(),
    ]),
    async handle(request: Request<unknown, { text: string } | { cannedReplyId: number }>) {
      const id = await visibleConversation(request)
      const body = request.body
      const sent = await request.deps.dataSource.transaction(async (manager) => {
        const text =
          'text' in body ? { text: body.text } : await cannedReplyText(manager, id, body.cannedReplyId)
        if ('error' in text) return text
        await replyInConversation(
          manager,
          id,
          { ambassadorId: request.staff.ambassadorId, name: request.staff.name, actor: actor(request) },
          text.text,
          request.deps.now(),
        )
        return text
      })
      if ('error' in sent) throw cannedReplyError(sent)
      request.deps.onQueued?.()
      request.ctx.status = 201
      return { conversation: id, state: 'with_staff', text: sent.text }
    },
  }),

  endpoint({
    method: 'post',
    path: '/conversations/:id/release',
    summary: 'Hand the conversation back to the bot (the owner is told)',
    roles: CONVERSATION_ROLES,
    async handle(request) {
      const id = await visibleConversation(request)
      const released = await request.deps.dataSource.transaction((manager) =>
        handBackToBot(manager, id, actor(request), request.deps.now()),
      )
      if (!released) throw new ApiError(409, 'NOT_WITH_STAFF', 'The bot already has this conversation')
      request.deps.onQueued?.()
      return { conversation: id, state: 'bot' }
    },
  }),

  endpoint({
    method: 'get',
    path: '/canned-replies',
    summary: `Canned replies (快捷回复) in scope: group-wide ones and the projects’ (only those usable for \`project\`). Placeholders: ${CANNED_PLACEHOLDERS.map((name) => `{${name}}`).join(' ')}`,
    roles: CONVERSATION_ROLES,
    query: z.object({ project: databaseId.optional() }),
    async handle({ staff, query, deps }: Request<{ project?: number }, undefined>) {
      const scope = await scopeOf(deps.dataSource, staff)
      const items = await listCannedReplies(deps.dataSource, { scope, projectId: query.project })
      return { items, placeholders: CANNED_PLACEHOLDERS }
    },
  }),

  endpoint({
    method: 'post',
    path: '/canned-replies',
    summary:
      'Write a canned reply for a project (branch heads: their branch), or group-wide (projectId null)',
    roles: CANNED_REPLY_EDITORS,
    body: z.object({
      projectId: bodyId.nullable().default(null),
      title: z.string().trim().min(1).max(40),
      body: z.string().trim().min(1).max(2000),
    }),
    async handle(request: Request<unknown, { projectId: number | null; title: string; body: string }>) {
      const scope = await scopeOf(request.deps.dataSource, request.staff)
      const saved = await request.deps.dataSource.transaction((manager) =>
        saveCannedReply(manager, scope, request.body, actor(request), request.deps.now()),
      )
      if ('error' in saved) throw cannedReplyError(saved)
      request.ctx.status = 201
      return saved
    },
  }),

  endpoint({
    method: 'delete',
    path: '/canned-replies/:id',
    summary: 'Retire a canned reply (past messages keep their text)',
    roles: CANNED_REPLY_EDITORS,
    async handle(request: Request<unknown, undefined>) {
      const scope = await scopeOf(request.deps.dataSource, request.staff)
      const retired = await request.deps.dataSource.transaction((manager) =>
        retireCannedReplyFor(manager, scope, Number(request.params.id), actor(request), request.deps.now()),
      )
      if (!retired) throw new ApiError(404, 'NOT_FOUND', 'No such canned reply')
      return { id: Number(request.params.id), retired: true }
    },
  }),
]

/** A refused canned reply, in words the console can show as they are. */
function cannedReplyError(refusal: CannedReplyRefusal): ApiError {
  switch (refusal.error) {
    case 'NO_SUCH_REPLY':
      return new ApiError(404, 'NOT_FOUND', 'No such canned reply')
    case 'OTHER_PROJECT':
      return new ApiError(422, 'OTHER_PROJECT', 'This canned reply belongs to another project')
    case 'GROUP_WIDE_NEEDS_GROUP':
      return new ApiError(
        403,
        'FORBIDDEN',
        'Only the group writes group-wide canned replies; give a projectId',
      )
    case 'UNKNOWN_PLACEHOLDER':
      return new ApiError(
        422,
        'UNKNOWN_PLACEHOLDER',
        `Unknown placeholders ${refusal.placeholders.map((name) => `{${name}}`).join(' ')}; use ${CANNED_PLACEHOLDERS.map((name) => `{${name}}`).join(' ')}`,
      )
  }
}
