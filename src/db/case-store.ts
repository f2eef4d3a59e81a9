import type { EntityManager } from 'typeorm'
import { CASE_NO_DIGITS, caseNoPrefix, type CaseKind } from '../domain/case'
import { scheduleTimersWith, type TimerToSchedule } from './timers'

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
  // Numbered as it is inserted (one statement, not two): the prefix and the sequence's digits as formatCaseNo writes them.
  const [{ id, case_no: caseNo }] = (await manager.query(
    `WITH numbered AS (SELECT nextval('case_no_seq')::text AS seq)
     INSERT INTO service_case (case_no, kind, category, status, project_id, household_id, owner_id, unit_id,
                               public_area, ambassador_id, intake_channel, description, attachments, details,
                               created_at, updated_at)
     SELECT $1 || lpad(seq, greatest($15::int, length(seq)), '0'), $2, $3, 'open', $4, $5, $6, $7, $8, $9, $10,
            $11, $12, $13, $14, $14
       FROM numbered
     RETURNING id, case_no`,
    [
      caseNoPrefix(input.kind, input.now),
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
      CASE_NO_DIGITS,
    ],
  )) as { id: number; case_no: string }[]
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

/** A case as the lifecycle reads it, locked for the rest of the caller's transaction. */
export async function lockCaseRow<T>(
  manager: Pick<EntityManager, 'query'>,
  caseId: number,
): Promise<T | null> {
  const rows: T[] = await manager.query(
    `SELECT id, case_no, kind, category, status, owner_id, ambassador_id FROM service_case WHERE id = $1 FOR UPDATE`,
    [caseId],
  )
  return rows[0] ?? null
}

/** What a lifecycle step changes on a case row; `updated_at` is always set. */
export interface CaseChange {
  status?: string
  closedAt?: Date | null
  ambassadorId?: number
  /** The escalation level rises to at least this (never falls). */
  escalationAtLeast?: number
  /** A cancelled repair gives its slot back. */
  releaseSlot?: boolean
  /** Merged into the case's details. */
  details?: Record<string, unknown>
  /** The technician sent to a repair. */
  technicianId?: number
}

export async function changeCase(
  manager: Pick<EntityManager, 'query'>,
  caseId: number,
  change: CaseChange,
  at: Date,
): Promise<void> {
  const params: unknown[] = [caseId, at]
  const sets = ['updated_at = $2']
  const set = (sql: string, value: unknown) => {
    params.push(value)
    sets.push(sql.replace('?', `$${params.length}`))
  }
  if (change.status !== undefined) set('status = ?', change.status)
  if (change.closedAt !== undefined) set('closed_at = ?', change.closedAt)
  if (change.ambassadorId !== undefined) set('ambassador_id = ?', change.ambassadorId)
  if (change.escalationAtLeast !== undefined)
    set('escalation_level = GREATEST(escalation_level, ?)', change.escalationAtLeast)
  if (change.releaseSlot) sets.push('repair_slot_id = NULL')
  if (change.details) set('details = details || ?::jsonb', JSON.stringify(change.details))
  if (change.technicianId !== undefined) set('technician_id = ?', change.technicianId)
  await manager.query(`UPDATE service_case SET ${sets.join(', ')} WHERE id = $1`, params)
}

/** The SLA columns of a case: its deadline, how it is counted, and a pause with what was left. */
export interface CaseClockRow {
  reply_due_at: Date | null
  sla_mode: 'workday' | 'business' | 'calendar' | null
  sla_paused_at: Date | null
  sla_remaining_minutes: number | null
}

export async function readCaseClock(
  manager: Pick<EntityManager, 'query'>,
  caseId: number,
): Promise<CaseClockRow | null> {
  const [row] = await manager.query(
    `SELECT reply_due_at, sla_mode, sla_paused_at, sla_remaining_minutes FROM service_case WHERE id = $1`,
    [caseId],
  )
  return row ?? null
}

/**
 * A case's clock (re)started: its deadline and how it is counted, not met and not paused, written with
 * the timers that follow it in one statement.
 */
export async function startCaseClock(
  manager: Pick<EntityManager, 'query'>,
  caseId: number,
  clock: { reply_due_at: Date; sla_mode: NonNullable<CaseClockRow['sla_mode']> },
  timers: TimerToSchedule[],
): Promise<void> {
  await scheduleTimersWith(manager, timers, {
    sql: `UPDATE service_case SET reply_due_at = $6, sla_mode = $7, reply_met_at = NULL, sla_paused_at = NULL,
                                  sla_remaining_minutes = NULL
           WHERE id = $5`,
    parameters: [caseId, clock.reply_due_at, clock.sla_mode],
  })
}

/** Writes the SLA columns given (the others stay as they are). */
export async function writeCaseClock(
  manager: Pick<EntityManager, 'query'>,
  caseId: number,
  clock: Partial<CaseClockRow> & { reply_met_at?: Date | null; metOnlyIfUnset?: boolean },
): Promise<void> {
  const params: unknown[] = [caseId]
  const sets: string[] = []
  for (const column of ['reply_due_at', 'sla_mode', 'sla_paused_at', 'sla_remaining_minutes'] as const) {
    if (clock[column] === undefined) continue
    params.push(clock[column])
    sets.push(`${column} = $${params.length}`)
  }
  if (clock.reply_met_at !== undefined) {
    params.push(clock.reply_met_at)
    sets.push(
      clock.metOnlyIfUnset
        ? `reply_met_at = COALESCE(reply_met_at, $${params.length})`
        : `reply_met_at = $${params.length}`,
    )
  }
  if (sets.length > 0) await manager.query(`UPDATE service_case SET ${sets.join(', ')} WHERE id = $1`, params)
}
