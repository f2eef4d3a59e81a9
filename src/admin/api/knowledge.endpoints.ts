import { z } from 'zod'
import { canSeeProject, scopeOf } from '../../db/access'
import { knowledgeEntryById, knowledgeReport, listKnowledgeEntries } from '../../db/knowledge-queries'
import { readImport } from '../../services/imports/customer-import'
import {
  changeKnowledgeEntry,
  createKnowledgeEntry,
  importKnowledge,
  knowledgeCsv,
  knowledgeChanges,
  knowledgeFields,
  retireKnowledgeEntryFor,
  type KnowledgeRefusal,
} from '../../services/knowledge/knowledge-entries'
import { toCsv } from '../../services/reports/csv'
import { ApiError } from '../middleware/error-handler'
import { databaseId, endpoint, queryDate, sendCsv, type Request } from './endpoint'

/** Everyone in customer service reads the knowledge base; the group and branch heads write it. */
const READERS = ['admin', 'group_centre', 'branch_head', 'ambassador'] as const
const EDITORS = ['admin', 'group_centre', 'branch_head'] as const

const actor = (request: Request<unknown, unknown>) => `staff:${request.staff.tokenId}:${request.staff.name}`

function refusal(refused: KnowledgeRefusal): ApiError {
  switch (refused.error) {
    case 'NO_SUCH_ENTRY':
      return new ApiError(404, 'NOT_FOUND', 'No such knowledge entry')
    case 'OTHER_PROJECT':
      return new ApiError(403, 'FORBIDDEN', 'That project is outside your scope')
    case 'GROUP_WIDE_NEEDS_GROUP':
      return new ApiError(403, 'FORBIDDEN', 'Only the group writes group-wide entries; give a projectId')
  }
}

type Fields = z.infer<typeof knowledgeFields>

/** The knowledge base (常见问题) owners' questions are answered from, and what they asked of it. */
export const knowledgeEndpoints = [
  endpoint({
    method: 'get',
    path: '/knowledge',
    summary:
      'Knowledge-base entries in scope (group-wide and your projects’); q searches the text; format=csv',
    roles: READERS,
    query: z.object({
      project: databaseId.optional(),
      q: z.string().trim().min(1).max(64).optional(),
      format: z.enum(['json', 'csv']).default('json'),
    }),
    async handle({
      staff,
      query,
      deps,
      ctx,
    }: Request<{ project?: number; q?: string; format: 'json' | 'csv' }, undefined>) {
      const scope = await scopeOf(deps.dataSource, staff)
      const items = await listKnowledgeEntries(deps.dataSource, {
        scope,
        projectId: query.project,
        text: query.q,
      })
      if (query.format === 'json') return { items }
      return sendCsv(ctx, 'knowledge.csv', await knowledgeCsv(deps.dataSource, items))
    },
  }),

  endpoint({
    method: 'get',
    path: '/knowledge/:id',
    summary: 'One knowledge-base entry',
    roles: READERS,
    async handle({ staff, params, deps }: Request<unknown, undefined>) {
      const scope = await scopeOf(deps.dataSource, staff)
      const entry = await knowledgeEntryById(deps.dataSource, Number(params.id))
      // Group-wide entries are everyone's to read; a project's, those who see the project.
      const visible =
        entry && (entry.projectId === null || (await canSeeProject(deps.dataSource, scope, entry.projectId)))
      if (!entry || !visible) throw refusal({ error: 'NO_SUCH_ENTRY' })
      return entry
    },
  }),

  endpoint({
    method: 'post',
    path: '/knowledge',
    summary:
      'Add an entry: question, paraphrases, answer, tags, owner stages, valid from/to; group-wide (projectId null) or for a project',
    roles: EDITORS,
    body: knowledgeFields,
    async handle(request: Request<unknown, Fields>) {
      const scope = await scopeOf(request.deps.dataSource, request.staff)
      const saved = await request.deps.dataSource.transaction((manager) =>
        createKnowledgeEntry(manager, scope, request.body, actor(request), request.deps.now()),
      )
      if ('error' in saved) throw refusal(saved)
      request.ctx.status = 201
      return saved
    },
  }),

  endpoint({
    method: 'patch',
    path: '/knowledge/:id',
    summary: 'Change some fields of an entry',
    roles: EDITORS,
    body: knowledgeChanges,
    async handle(request: Request<unknown, Partial<Fields>>) {
      const scope = await scopeOf(request.deps.dataSource, request.staff)
      const saved = await request.deps.dataSource.transaction((manager) =>
        changeKnowledgeEntry(
          manager,
          scope,
          Number(request.params.id),
          request.body,
          actor(request),
          request.deps.now(),
        ),
      )
      if ('error' in saved) throw refusal(saved)
      return saved
    },
  }),

  endpoint({
    method: 'delete',
    path: '/knowledge/:id',
    summary: 'Retire an entry (the log of questions keeps it)',
    roles: EDITORS,
    async handle(request: Request<unknown, undefined>) {
      const scope = await scopeOf(request.deps.dataSource, request.staff)
      const retired = await request.deps.dataSource.transaction((manager) =>
        retireKnowledgeEntryFor(
          manager,
          scope,
          Number(request.params.id),
          actor(request),
          request.deps.now(),
        ),
      )
      if (!retired) throw refusal({ error: 'NO_SUCH_ENTRY' })
      request.ctx.status = 204
      return undefined
    },
  }),

  endpoint({
    method: 'post',
    path: '/knowledge/import',
    summary:
      'Import entries from CSV (the columns of format=csv; lists separated by |; a row with an id updates it). All or nothing',
    roles: EDITORS,
    bodySpec: { limit: 2 * 1024 * 1024, csv: true },
    async handle(request: Request<unknown, unknown>) {
      const scope = await scopeOf(request.deps.dataSource, request.staff)
      const records = await readImport(request.ctx.get('content-type'), request.body)
      const report = await request.deps.dataSource.transaction((manager) =>
        importKnowledge(manager, scope, records, actor(request), request.deps.now()),
      )
      if (report.errors.length > 0) request.ctx.status = 422
      return report
    },
  }),

  endpoint({
    method: 'get',
    path: '/reports/knowledge',
    summary:
      'Questions owners asked in [from, to) (default: the last 30 days): answered, suggested, unanswered, solved or not; the unanswered ranked by frequency (what to add next); format=csv lists those',
    roles: READERS,
    query: z.object({
      from: queryDate.optional(),
      to: queryDate.optional(),
      format: z.enum(['json', 'csv']).default('json'),
    }),
    async handle({
      staff,
      query,
      deps,
      ctx,
    }: Request<{ from?: Date; to?: Date; format: 'json' | 'csv' }, undefined>) {
      // Without a range: the last 30 days up to now, by the business clock.
      const to = query.to ?? new Date(deps.now().getTime() + 1000)
      const from = query.from ?? new Date(to.getTime() - 30 * 86_400_000)
      if (to <= from) throw new ApiError(400, 'BAD_REQUEST', '`to` must be after `from`')
      const scope = await scopeOf(deps.dataSource, staff)
      const report = await knowledgeReport(deps.dataSource, { scope, from, to })
      if (query.format === 'json') return report
      return sendCsv(
        ctx,
        'knowledge-unanswered.csv',
        toCsv(
          report.unansweredQuestions.map((q) => ({
            question: q.question,
            asked: q.asked,
            last_asked_at: new Date(q.lastAskedAt).toISOString(),
          })),
        ),
      )
    },
  }),
]
