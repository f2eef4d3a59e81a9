import type { EntityManager } from 'typeorm'
import {
  canSeeCase,
  canSeeHousehold,
  canUseAmbassador,
  scopeOf,
  type StaffScope,
  type Viewer,
} from '../../db/access'
import { conversationHousehold } from '../../db/conversation-queries'
import { handBackToBot, replyInConversation } from '../conversations/hand-off'
import { audit } from '../../db/case-store'
import { lockCaseByNumber, openCasesOf } from '../../db/case-queries'
import { activeStaffIdByAccount, projectInfo, supervisorAccountOf } from '../../db/staff-directory'
import { technicianOfProject } from '../../db/organisation-queries'
import { copy } from '../../copy'
import type {
  StaffCaseLine,
  StaffCaseServices,
  StaffOutcome,
  StaffSession,
} from '../../dialogs/staff-commands'
import type { CaseKind } from '../../domain/case'
import { slaState } from '../../domain/sla-state'
import { formatShanghai } from '../../domain/working-time'
import type { CaseClock } from './case-clock'
import { CaseLifecycle, type LifecycleCase } from './case-lifecycle'

/**
 * Case work from WeCom chat, under the same scope as the API (ambassadors their own cases, supervisors
 * their team's, branch heads their branch's, the group centre every case) and through the same
 * lifecycle as the console, so a chat command and a console click have the same effect.
 */
export class PgStaffCaseServices implements StaffCaseServices {
  private readonly lifecycle: CaseLifecycle

  constructor(
    private readonly manager: EntityManager,
    private readonly now: Date,
    clock: CaseClock,
  ) {
    this.lifecycle = new CaseLifecycle(manager, clock, now)
  }

  async openCases(staff: StaffSession): Promise<StaffCaseLine[]> {
    const rows = await openCasesOf(this.manager, staff.staffId)
    return rows.map((row) => {
      const state = slaState(
        { replyDueAt: row.reply_due_at, replyMetAt: row.reply_met_at, slaPausedAt: row.sla_paused_at },
        this.now,
      )
      const running = state === 'running' || state === 'due_soon' || state === 'breached'
      return {
        caseNo: row.case_no,
        kind: row.kind,
        category: row.category,
        status: copy.staffCaseStatuses[row.status] ?? row.status,
        owner: row.owner ?? '—',
        dueAt: running && row.reply_due_at ? formatShanghai(row.reply_due_at) : null,
        overdue: state === 'breached',
      }
    })
  }

  accept(staff: StaffSession, caseNo: string): Promise<StaffOutcome> {
    return this.withCase(staff, caseNo, (c) => this.lifecycle.accept(c, actorOf(staff)))
  }

  dispatch(staff: StaffSession, caseNo: string, technicianName: string): Promise<StaffOutcome> {
    return this.withCase(staff, caseNo, async (c) => {
      const technician = await technicianOfProject(this.manager, c.project_id, { name: technicianName })
      if (!technician) return 'NO_SUCH_TECHNICIAN'
      return this.lifecycle.dispatch(c, technician, actorOf(staff))
    })
  }

  progress(staff: StaffSession, caseNo: string, note: string): Promise<StaffOutcome> {
    return this.withCase(staff, caseNo, (c) => this.lifecycle.reply(c, note, actorOf(staff)))
  }

  waitForOwner(staff: StaffSession, caseNo: string, question: string): Promise<StaffOutcome> {
    return this.withCase(staff, caseNo, (c) => this.lifecycle.waitForOwner(c, question, actorOf(staff)))
  }

  close(staff: StaffSession, caseNo: string, note: string): Promise<StaffOutcome> {
    return this.withCase(staff, caseNo, (c) => this.lifecycle.close(c, note, actorOf(staff)))
  }

  async handBack(staff: StaffSession, caseNo: string): Promise<StaffOutcome> {
    const supervisor = await supervisorAccountOf(this.manager, staff.staffId)
    return supervisor ? this.transfer(staff, caseNo, supervisor) : 'NO_SUCH_STAFF'
  }

  async transfer(staff: StaffSession, caseNo: string, toWecomUserId: string): Promise<StaffOutcome> {
    return this.withCase(staff, caseNo, async (c, scope) => {
      const target = await activeStaffIdByAccount(this.manager, toWecomUserId)
      // To a colleague of the case's branch, or anyone the member directs (a group-centre member).
      const project = await projectInfo(this.manager, c.project_id)
      const allowed =
        target !== null &&
        ((await canUseAmbassador(
          this.manager,
          { kind: 'branch', branch: project?.branch ?? null },
          target,
        )) ||
          (await canUseAmbassador(this.manager, scope, target)))
      if (!allowed) return 'NO_SUCH_STAFF'
      return this.lifecycle.assign(c, target, actorOf(staff), { by: staff.name })
    })
  }

  async replyInConversation(
    staff: StaffSession,
    conversationId: number,
    text: string,
  ): Promise<StaffOutcome> {
    if (!(await this.mayTouchConversation(staff, conversationId))) return 'NOT_FOUND'
    await replyInConversation(
      this.manager,
      conversationId,
      { ambassadorId: staff.staffId, name: staff.name, actor: actorOf(staff) },
      text,
      this.now,
    )
    return 'ok'
  }

  async releaseConversation(staff: StaffSession, conversationId: number): Promise<StaffOutcome> {
    if (!(await this.mayTouchConversation(staff, conversationId))) return 'NOT_FOUND'
    return (await handBackToBot(this.manager, conversationId, actorOf(staff), this.now)) ? 'ok' : 'BAD_STATE'
  }

  /** An owner's conversation in the member's scope (by its household); strangers' for the group centre. */
  private async mayTouchConversation(staff: StaffSession, conversationId: number): Promise<boolean> {
    const found = await conversationHousehold(this.manager, conversationId)
    if (!found) return false
    const scope = await scopeOf(this.manager, {
      role: staff.role as Viewer['role'],
      ambassadorId: staff.staffId,
    })
    return found.householdId === null
      ? scope.kind === 'all'
      : canSeeHousehold(this.manager, scope, found.householdId)
  }

  /**
   * Out of the member's scope answers exactly as "no such case": a command is no way to learn which
   * case numbers exist. The attempt is kept.
   */
  private async withCase(
    staff: StaffSession,
    caseNo: string,
    act: (c: LifecycleCase & { project_id: number }, scope: StaffScope) => Promise<StaffOutcome>,
  ): Promise<StaffOutcome> {
    const [c] = await lockCaseByNumber<LifecycleCase & { project_id: number; kind: CaseKind }>(
      this.manager,
      caseNo,
    )
    const scope = await scopeOf(this.manager, {
      role: staff.role as Viewer['role'],
      ambassadorId: staff.staffId,
    })
    if (c && (await canSeeCase(this.manager, scope, c))) return act(c, scope)
    if (c)
      await audit(this.manager, {
        actor: actorOf(staff),
        action: 'staff_command.denied',
        subjectType: 'case',
        subjectId: c.case_no,
      })
    return 'NOT_FOUND'
  }
}

const actorOf = (staff: StaffSession) => `staff:${staff.staffId}`
