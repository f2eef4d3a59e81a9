import type { EntityManager } from 'typeorm'
import { copy } from '../dialogs/copy.zh-cn'
import type { StaffCaseLine, StaffCaseServices, StaffOutcome, StaffSession } from '../dialogs/staff-commands'
import { isOpen, type CaseStatus } from '../domain/case'
import { formatShanghai } from '../domain/working-time'
import type { CaseClock } from './case-clock'
import { canSeeCase, scopeOf, type Viewer } from './access'
import { appendCaseEvent, audit } from './case-store'
import { notifyOwner } from './owner-notifications'
import { queryRows } from './sql'
import { notifyStaff } from './staff-notifications'

interface StaffCaseRow {
  id: number
  case_no: string
  kind: string
  category: string
  status: CaseStatus
  owner_id: number | null
  ambassador_id: number | null
  project_id: number
}

/**
 * Case work from WeCom chat, under the same scope as the API: ambassadors their own cases, supervisors
 * their team's, branch heads their branch's, the group centre every case.
 */
export class PgStaffCaseServices implements StaffCaseServices {
  constructor(
    private readonly manager: EntityManager,
    private readonly now: Date,
    private readonly clock: CaseClock,
  ) {}

  async openCases(staff: StaffSession): Promise<StaffCaseLine[]> {
    const rows: (StaffCaseRow & {
      owner: string | null
      reply_due_at: Date | null
      sla_paused_at: Date | null
    })[] = await this.manager.query(
      `SELECT c.id, c.case_no, c.kind, c.category, c.status, o.name AS owner, c.reply_due_at, c.sla_paused_at
           FROM service_case c LEFT JOIN owner o ON o.id = c.owner_id
          WHERE c.ambassador_id = $1 AND c.status NOT IN ('resolved', 'closed')
          ORDER BY c.reply_due_at NULLS LAST, c.id LIMIT 30`,
      [staff.staffId],
    )
    return rows.map((row) => ({
      caseNo: row.case_no,
      kind: row.kind,
      category: row.category,
      status: copy.caseStatuses[row.status] ?? row.status,
      owner: row.owner ?? '—',
      dueAt: row.reply_due_at && !row.sla_paused_at ? formatShanghai(row.reply_due_at) : null,
      overdue: row.reply_due_at !== null && !row.sla_paused_at && row.reply_due_at < this.now,
    }))
  }

  async accept(staff: StaffSession, caseNo: string): Promise<StaffOutcome> {
    return this.withCase(staff, caseNo, async (c) => {
      if (!['open', 'reopened'].includes(c.status)) return 'BAD_STATE'
      await this.setStatus(c, 'accepted', staff, 'accepted')
      // Accepting a repair is dispatching it: the 10-minute clock is met.
      if (c.kind === 'repair') await this.clock.met(this.manager, c.id)
      return 'ok'
    })
  }

  async progress(staff: StaffSession, caseNo: string, note: string): Promise<StaffOutcome> {
    return this.withCase(staff, caseNo, async (c) => {
      if (!isOpen(c.status)) return 'BAD_STATE'
      await this.setStatus(c, 'in_progress', staff, 'staff_reply', { note })
      // A substantive reply meets the reply deadline.
      await this.clock.met(this.manager, c.id)
      await notifyOwner(this.manager, c.owner_id, copy.progress.update(c.case_no, note))
      return 'ok'
    })
  }

  async waitForOwner(staff: StaffSession, caseNo: string, question: string): Promise<StaffOutcome> {
    return this.withCase(staff, caseNo, async (c) => {
      if (!isOpen(c.status) || c.status === 'waiting_owner') return 'BAD_STATE'
      await this.setStatus(c, 'waiting_owner', staff, 'waiting_owner', { question })
      await this.clock.pause(this.manager, c.id, this.now)
      await notifyOwner(this.manager, c.owner_id, copy.progress.waiting(c.case_no, question))
      return 'ok'
    })
  }

  async close(staff: StaffSession, caseNo: string, note: string): Promise<StaffOutcome> {
    return this.withCase(staff, caseNo, async (c) => {
      if (!isOpen(c.status)) return 'BAD_STATE'
      await this.manager.query(`UPDATE service_case SET closed_at = $2 WHERE id = $1`, [c.id, this.now])
      await this.setStatus(c, 'closed', staff, 'closed', { note })
      await this.clock.closed(this.manager, {
        id: c.id,
        kind: c.kind,
        category: c.category,
        closedAt: this.now,
      })
      await notifyOwner(this.manager, c.owner_id, copy.progress.closed(c.case_no, note))
      return 'ok'
    })
  }

  async handBack(staff: StaffSession, caseNo: string): Promise<StaffOutcome> {
    const [supervisor] = await this.manager.query(
      `SELECT s.wecom_user_id FROM ambassador a JOIN ambassador s ON s.id = a.supervisor_id WHERE a.id = $1`,
      [staff.staffId],
    )
    return supervisor?.wecom_user_id
      ? this.transfer(staff, caseNo, supervisor.wecom_user_id)
      : 'NO_SUCH_STAFF'
  }

  async transfer(staff: StaffSession, caseNo: string, toWecomUserId: string): Promise<StaffOutcome> {
    return this.withCase(staff, caseNo, async (c) => {
      if (!isOpen(c.status)) return 'BAD_STATE'
      const [target] = await this.manager.query(
        `SELECT id, name FROM ambassador WHERE wecom_user_id = $1 AND active`,
        [toWecomUserId],
      )
      if (!target) return 'NO_SUCH_STAFF'
      await this.manager.query(`UPDATE service_case SET ambassador_id = $2, updated_at = $3 WHERE id = $1`, [
        c.id,
        target.id,
        this.now,
      ])
      await appendCaseEvent(this.manager, c.id, `staff:${staff.staffId}`, 'transferred', {
        from: c.ambassador_id,
        to: target.id,
      })
      await notifyStaff(
        this.manager,
        target.id,
        copy.staff.repairChanged(c.case_no, `${staff.name} 转派给您`),
      )
      return 'ok'
    })
  }

  private async withCase(
    staff: StaffSession,
    caseNo: string,
    act: (c: StaffCaseRow) => Promise<StaffOutcome>,
  ): Promise<StaffOutcome> {
    const [c] = await queryRows<StaffCaseRow>(
      this.manager,
      `SELECT id, case_no, kind, category, status, owner_id, ambassador_id, project_id FROM service_case
        WHERE case_no = $1 FOR UPDATE`,
      [caseNo],
    )
    // Out of the member's scope answers exactly as "no such case": a command is no way to learn which
    // case numbers exist. The attempt is kept.
    const viewer = { role: staff.role as Viewer['role'], ambassadorId: staff.staffId }
    if (c && (await canSeeCase(this.manager, await scopeOf(this.manager, viewer), c))) return act(c)
    if (c)
      await audit(this.manager, {
        actor: `staff:${staff.staffId}`,
        action: 'staff_command.denied',
        subjectType: 'case',
        subjectId: c.case_no,
      })
    return 'NOT_FOUND'
  }

  private async setStatus(
    c: StaffCaseRow,
    status: CaseStatus,
    staff: StaffSession,
    event: string,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    await this.manager.query(`UPDATE service_case SET status = $2, updated_at = $3 WHERE id = $1`, [
      c.id,
      status,
      this.now,
    ])
    await appendCaseEvent(this.manager, c.id, `staff:${staff.staffId}`, event, data)
  }
}
