import type { EntityManager } from 'typeorm'
import { queryRows } from './sql'

type Db = Pick<EntityManager, 'query'>

/** Whether the owner already answered this callback round. */
export async function surveyAnswered(db: Db, caseId: number, round: number): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM survey WHERE case_id = $1 AND round = $2 AND answered_at IS NOT NULL`,
    [caseId, round],
  )
  return rows.length > 0
}

/** The survey row of a round, marked sent (first time only). */
export async function markSurveySent(
  db: Db,
  survey: { caseId: number; round: number; ownerId: number | null },
  at: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO survey (case_id, round, owner_id, sent_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (case_id, round) DO UPDATE SET sent_at = COALESCE(survey.sent_at, EXCLUDED.sent_at)`,
    [survey.caseId, survey.round, survey.ownerId, at],
  )
}

/** The case an owner answers a survey for, locked; null when not the household's. */
export async function lockHouseholdCase(
  db: Db,
  caseNo: string,
  householdId: number,
): Promise<{ id: number; ambassador_id: number | null } | null> {
  const [row] = await queryRows<{ id: number; ambassador_id: number | null }>(
    db,
    `SELECT id, ambassador_id FROM service_case WHERE case_no = $1 AND household_id = $2 FOR UPDATE`,
    [caseNo, householdId],
  )
  return row ?? null
}

/** Records the answer of a round once; false when it was answered before. */
export async function recordSurveyAnswer(
  db: Db,
  answer: { caseId: number; round: number; ownerId: number | null; score: number; comment: string | null },
  at: Date,
): Promise<boolean> {
  const saved = await queryRows<{ id: number }>(
    db,
    `INSERT INTO survey (case_id, round, owner_id, sent_at, answered_at, score, comment)
     VALUES ($1, $2, $3, $4, $4, $5, $6)
     ON CONFLICT (case_id, round) DO UPDATE
       SET answered_at = EXCLUDED.answered_at, score = EXCLUDED.score, comment = EXCLUDED.comment,
           owner_id = EXCLUDED.owner_id
       WHERE survey.answered_at IS NULL
     RETURNING id`,
    [answer.caseId, answer.round, answer.ownerId, at, answer.score, answer.comment],
  )
  return saved.length > 0
}
