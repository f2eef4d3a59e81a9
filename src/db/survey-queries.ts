import type { EntityManager } from 'typeorm'

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
