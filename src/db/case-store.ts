import type { EntityManager } from 'typeorm'
import { formatCaseNo, type CaseKind } from '../domain/case'

export interface OpenCase {
  kind: CaseKind
  category: string
  projectId: number
  householdId: number | null
  ownerId: number | null
  unitId: number | null
  publicArea: boolean
  ambassadorId: number | null
  intakeChannel: string
  description: string
  actor: string
  now: Date
  details?: Record<string, unknown>
  attachments?: string[]
}

/** Inserts a case row, inside the caller's transaction; its `opened` event is the caller's to record. */
export async function openCase(
  manager: EntityManager,
  input: OpenCase,
): Promise<{ id: number; caseNo: string }> {
  const [{ seq }] = (await manager.query(`SELECT nextval('case_no_seq')::int AS seq`)) as { seq: number }[]
  const caseNo = formatCaseNo(input.kind, input.now, seq)
  const [{ id }] = (await manager.query(
    `INSERT INTO service_case (case_no, kind, category, status, project_id, household_id, owner_id, unit_id,
                               public_area, ambassador_id, intake_channel, description, attachments, details,
                               created_at, updated_at)
     VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
    [
      caseNo,
      input.kind,
      input.category,
      input.projectId,
      input.householdId,
      input.ownerId,
      input.unitId,
      input.publicArea,
      input.ambassadorId,
      input.intakeChannel,
      input.description,
      JSON.stringify(input.attachments ?? []),
      JSON.stringify(input.details ?? {}),
      input.now,
    ],
  )) as { id: number }[]
  return { id, caseNo }
}

export async function appendCaseEvent(
  manager: EntityManager,
  caseId: number,
  actor: string,
  kind: string,
  data: Record<string, unknown>,
  /** Business time: a case's history is read against its deadlines, which the app's clock sets. */
  at: Date,
): Promise<void> {
  await manager.query(`INSERT INTO case_event (case_id, actor, kind, data, at) VALUES ($1, $2, $3, $4, $5)`, [
    caseId,
    actor,
    kind,
    JSON.stringify(data),
    at,
  ])
}

export async function audit(
  manager: EntityManager,
  entry: {
    actor: string
    action: string
    subjectType: string
    subjectId: string
    details?: object
    /** Business time of the entry, when a rule counts entries by it; else the database's clock. */
    at?: Date
  },
): Promise<void> {
  await manager.query(
    `INSERT INTO audit_log (actor, action, subject_type, subject_id, details, at)
     VALUES ($1, $2, $3, $4, $5, COALESCE($6, now()))`,
    [
      entry.actor,
      entry.action,
      entry.subjectType,
      entry.subjectId,
      JSON.stringify(entry.details ?? {}),
      entry.at ?? null,
    ],
  )
}
