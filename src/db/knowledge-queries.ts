import type { EntityManager } from 'typeorm'
import { PROJECT_IN_SCOPE, scopeParams, type StaffScope } from './access'
import { queryRows } from './sql'

type Db = Pick<EntityManager, 'query'>

export interface KnowledgeEntry {
  id: number
  projectId: number | null
  projectName: string | null
  question: string
  paraphrases: string[]
  answer: string
  tags: string[]
  /** Owner stages the entry is for (准业主 …); empty: everyone. */
  stages: string[]
  validFrom: string | null
  validTo: string | null
  updatedAt: string
}

export type KnowledgeFields = Omit<KnowledgeEntry, 'id' | 'projectName' | 'updatedAt'>

const COLUMNS = `e.id, e.project_id AS "projectId", p.name AS "projectName", e.question, e.paraphrases,
  e.answer, e.tags, e.stages, to_char(e.valid_from, 'YYYY-MM-DD') AS "validFrom",
  to_char(e.valid_to, 'YYYY-MM-DD') AS "validTo", e.updated_at AS "updatedAt"`

/** Every live entry, for the search index (filtered per owner at query time). */
export function liveKnowledgeEntries(db: Db): Promise<KnowledgeEntry[]> {
  return queryRows<KnowledgeEntry>(
    db,
    `SELECT ${COLUMNS} FROM knowledge_entry e LEFT JOIN project p ON p.id = e.project_id
      WHERE e.retired_at IS NULL ORDER BY e.id`,
  )
}

/** Changes when any entry is added, edited or retired: the search index is rebuilt when it does. */
export async function knowledgeVersion(db: Db): Promise<string> {
  const [row] = await queryRows<{ version: string }>(
    db,
    `SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(extract(epoch FROM max(updated_at)), 0)
            AS version FROM knowledge_entry`,
  )
  return row.version
}

/** Entries staff in this scope see: group-wide ones and their projects'. */
export function listKnowledgeEntries(
  db: Db,
  filter: { scope: StaffScope; projectId?: number; text?: string },
): Promise<KnowledgeEntry[]> {
  return queryRows<KnowledgeEntry>(
    db,
    `SELECT ${COLUMNS} FROM knowledge_entry e LEFT JOIN project p ON p.id = e.project_id
      WHERE e.retired_at IS NULL
        AND (e.project_id IS NULL OR ${PROJECT_IN_SCOPE('e.project_id', 1)})
        AND ($4::int IS NULL OR e.project_id IS NULL OR e.project_id = $4)
        AND ($5::text IS NULL OR strpos(e.question || ' ' || array_to_string(e.paraphrases, ' ') || ' ' ||
                                        e.answer || ' ' || array_to_string(e.tags, ' '), $5) > 0)
      ORDER BY e.project_id NULLS FIRST, e.id`,
    [...scopeParams(filter.scope), filter.projectId ?? null, filter.text ?? null],
  )
}

export async function knowledgeEntryById(db: Db, id: number): Promise<KnowledgeEntry | null> {
  const [row] = await queryRows<KnowledgeEntry>(
    db,
    `SELECT ${COLUMNS} FROM knowledge_entry e LEFT JOIN project p ON p.id = e.project_id
      WHERE e.id = $1 AND e.retired_at IS NULL`,
    [id],
  )
  return row ?? null
}

const fieldParams = (entry: KnowledgeFields) => [
  entry.projectId,
  entry.question,
  entry.paraphrases,
  entry.answer,
  entry.tags,
  entry.stages,
  entry.validFrom,
  entry.validTo,
]

export async function insertKnowledgeEntry(
  db: Db,
  entry: KnowledgeFields,
  createdBy: string,
  at: Date,
): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db,
    `INSERT INTO knowledge_entry (project_id, question, paraphrases, answer, tags, stages, valid_from, valid_to,
                                  created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
    [...fieldParams(entry), createdBy, at],
  )
  return row.id
}

export async function updateKnowledgeEntry(
  db: Db,
  id: number,
  entry: KnowledgeFields,
  at: Date,
): Promise<void> {
  await db.query(
    `UPDATE knowledge_entry SET project_id = $1, question = $2, paraphrases = $3, answer = $4, tags = $5,
            stages = $6, valid_from = $7, valid_to = $8, updated_at = $10
      WHERE id = $9 AND retired_at IS NULL`,
    [...fieldParams(entry), id, at],
  )
}

export async function retireKnowledgeEntry(db: Db, id: number, at: Date): Promise<void> {
  await db.query(
    `UPDATE knowledge_entry SET retired_at = $2, updated_at = $2 WHERE id = $1 AND retired_at IS NULL`,
    [id, at],
  )
}

export async function logKnowledgeQuery(
  db: Db,
  query: {
    at: Date
    conversationId: number | null
    projectId: number | null
    text: string
    normalized: string
    outcome: 'answered' | 'suggested' | 'unanswered'
    entryId: number | null
  },
): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db,
    `INSERT INTO knowledge_query (asked_at, conversation_id, project_id, text, normalized, outcome, entry_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      query.at,
      query.conversationId,
      query.projectId,
      query.text,
      query.normalized,
      query.outcome,
      query.entryId,
    ],
  )
  return Number(row.id)
}

/** The owner's word on an answer: a suggestion they picked becomes the answer they were given. */
export async function recordKnowledgeFeedback(
  db: Db,
  queryId: number,
  conversationId: number,
  feedback: { entryId?: number; solved?: boolean },
): Promise<void> {
  await db.query(
    `UPDATE knowledge_query SET entry_id = coalesce($3, entry_id), solved = coalesce($4, solved)
      WHERE id = $1 AND conversation_id = $2`,
    [queryId, conversationId, feedback.entryId ?? null, feedback.solved ?? null],
  )
}

/** The project and stage of a household, for choosing the entries that apply to its owner. */
export async function householdKnowledgeContext(
  db: Db,
  householdId: number,
): Promise<{ projectId: number | null; stage: string | null }> {
  const [row] = await queryRows<{ projectId: number | null; stage: string }>(
    db,
    `SELECT h.stage, (SELECT b.project_id FROM household_unit hu JOIN unit u ON u.id = hu.unit_id
                       JOIN building b ON b.id = u.building_id WHERE hu.household_id = h.id
                      ORDER BY u.id LIMIT 1) AS "projectId"
       FROM household h WHERE h.id = $1`,
    [householdId],
  )
  return row ?? { projectId: null, stage: null }
}

export interface KnowledgeReport {
  asked: number
  answered: number
  suggested: number
  unanswered: number
  solved: number
  notSolved: number
  topEntries: { entryId: number; question: string; asked: number; solved: number; notSolved: number }[]
  /** What owners asked that found nothing (or did not help), most frequent first: what to add next. */
  unansweredQuestions: { question: string; asked: number; lastAskedAt: string }[]
}

/** Questions asked in [from, to) in the scope's projects (group-wide roles also see strangers'). */
export async function knowledgeReport(
  db: Db,
  filter: { scope: StaffScope; from: Date; to: Date },
): Promise<KnowledgeReport> {
  const params = [...scopeParams(filter.scope), filter.from, filter.to]
  const inScope = `q.asked_at >= $4 AND q.asked_at < $5
    AND (CASE WHEN q.project_id IS NULL THEN $1::text = 'all' ELSE ${PROJECT_IN_SCOPE('q.project_id', 1)} END)`
  const [totals] = await queryRows<Omit<KnowledgeReport, 'topEntries' | 'unansweredQuestions'>>(
    db,
    `SELECT count(*)::int AS asked,
            count(*) FILTER (WHERE outcome = 'answered')::int AS answered,
            count(*) FILTER (WHERE outcome = 'suggested')::int AS suggested,
            count(*) FILTER (WHERE outcome = 'unanswered')::int AS unanswered,
            count(*) FILTER (WHERE solved)::int AS solved,
            count(*) FILTER (WHERE solved = false)::int AS "notSolved"
       FROM knowledge_query q WHERE ${inScope}`,
    params,
  )
  const topEntries = await queryRows<KnowledgeReport['topEntries'][number]>(
    db,
    `SELECT q.entry_id AS "entryId", e.question, count(*)::int AS asked,
            count(*) FILTER (WHERE q.solved)::int AS solved,
            count(*) FILTER (WHERE q.solved = false)::int AS "notSolved"
       FROM knowledge_query q JOIN knowledge_entry e ON e.id = q.entry_id
      WHERE ${inScope} GROUP BY q.entry_id, e.question ORDER BY asked DESC, q.entry_id LIMIT 20`,
    params,
  )
  const unansweredQuestions = await queryRows<KnowledgeReport['unansweredQuestions'][number]>(
    db,
    `SELECT min(q.text) AS question, count(*)::int AS asked, max(q.asked_at) AS "lastAskedAt"
       FROM knowledge_query q
      WHERE ${inScope} AND (q.outcome = 'unanswered' OR q.solved = false)
      GROUP BY q.normalized ORDER BY asked DESC, max(q.asked_at) DESC LIMIT 50`,
    params,
  )
  return { ...totals, topEntries, unansweredQuestions }
}

/** Project ids by code, for a CSV that names projects as people do. */
export async function projectIdsByCode(db: Db, codes: string[]): Promise<Map<string, number>> {
  const rows = await queryRows<{ id: number; code: string }>(
    db,
    `SELECT id, code FROM project WHERE code = ANY($1::text[])`,
    [codes],
  )
  return new Map(rows.map((row) => [row.code, row.id]))
}

export async function projectCodes(db: Db): Promise<Map<number, string>> {
  const rows = await queryRows<{ id: number; code: string }>(db, `SELECT id, code FROM project`)
  return new Map(rows.map((row) => [row.id, row.code]))
}
