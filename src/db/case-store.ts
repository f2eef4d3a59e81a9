import type { EntityManager } from 'typeorm'
import { formatCaseNo, type CaseKind } from '../domain/case'
import { ServiceCaseEntity } from './entities'

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

/** Opens a case and writes its first history event, inside the caller's transaction. */
export async function openCase(manager: EntityManager, input: OpenCase): Promise<ServiceCaseEntity> {
  const [{ seq }] = (await manager.query(`SELECT nextval('case_no_seq')::int AS seq`)) as { seq: number }[]
  const entity = manager.create(ServiceCaseEntity, {
    caseNo: formatCaseNo(input.kind, input.now, seq),
    kind: input.kind,
    category: input.category,
    status: 'open',
    projectId: input.projectId,
    householdId: input.householdId,
    ownerId: input.ownerId,
    unitId: input.unitId,
    publicArea: input.publicArea,
    ambassadorId: input.ambassadorId,
    intakeChannel: input.intakeChannel,
    description: input.description,
    attachments: input.attachments ?? [],
    details: input.details ?? {},
    escalationLevel: 0,
    replyDueAt: null,
    createdAt: input.now,
    updatedAt: input.now,
    closedAt: null,
  })
  const saved = await manager.save(entity)
  await appendCaseEvent(
    manager,
    saved.id,
    input.actor,
    'opened',
    { ambassadorId: input.ambassadorId, channel: input.intakeChannel },
    input.now,
  )
  return saved
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
