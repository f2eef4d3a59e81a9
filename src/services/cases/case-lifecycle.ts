import type { EntityManager } from 'typeorm'
import type { CaseClock } from './case-clock'
import { recordCaseEvent } from './case-events'
import { changeCase, lockCaseRow } from '../../db/case-store'
import { canTransition, isOpen, type CaseKind, type CaseStatus } from '../../domain/case'

/** What the lifecycle needs of a case, read (and locked) by the caller in its transaction. */
export interface LifecycleCase {
  id: number
  case_no: string
  kind: CaseKind
  category: string
  status: CaseStatus
  owner_id: number | null
  ambassador_id: number | null
}

export type LifecycleOutcome = 'ok' | 'BAD_STATE'

/** The case, locked for the rest of the caller's transaction. */
export async function lockCase(manager: EntityManager, caseId: number): Promise<LifecycleCase | null> {
  return lockCaseRow<LifecycleCase>(manager, caseId)
}

/**
 * The one way a case changes: every status move, reply, wait, closure, reopening, assignment and
 * escalation — from an owner's dialog, a staff chat command, a card click, the console or the API —
 * is checked against the rules in src/domain/case.ts, written with its history event, and has the
 * same effect on the SLA clock and the same messages to owner and staff, in the caller's transaction.
 */
export class CaseLifecycle {
  constructor(
    private readonly manager: EntityManager,
    private readonly clock: CaseClock,
    private readonly now: Date,
  ) {}

  /**
   * Moves a case to `to`. A note to the owner is a substantive reply: it meets the reply deadline and
   * reaches the owner, whoever writes it and wherever (the chat command 进展 and the API alike).
   */
  async transition(
    c: LifecycleCase,
    to: CaseStatus,
    note: string | null,
    actor: string,
  ): Promise<LifecycleOutcome> {
    if (!canTransition(c.status, to)) return 'BAD_STATE'
    if (to === 'resolved' || to === 'closed') return this.close(c, note, actor, to)
    if (to === 'waiting_owner') return this.waitForOwner(c, note ?? '', actor)
    if (to === 'reopened') return this.reopen(c, actor, { note })
    const from = c.status
    await this.setStatus(c, to, actor, note && to !== 'accepted' ? 'staff_reply' : to, note ? { note } : {})
    if (from === 'waiting_owner') await this.clock.resume(this.manager, c.id, this.now)
    // Accepting a repair is dispatching it: the 10-minute dispatch clock is met. A note is the reply.
    if ((to === 'accepted' && c.kind === 'repair') || note) await this.clock.met(this.manager, c.id, this.now)
    return 'ok'
  }

  /** 接单 */
  accept(c: LifecycleCase, actor: string): Promise<LifecycleOutcome> {
    return this.transition(c, 'accepted', null, actor)
  }

  /**
   * 派工: a technician is sent to a repair. Like 接单 it meets the dispatch clock (an open repair is
   * accepted by it), and the owner is told who is coming and how to reach them — the repair's card.
   */
  async dispatch(
    c: LifecycleCase,
    technician: { id: number; name: string; phone: string; team: string },
    actor: string,
  ): Promise<LifecycleOutcome> {
    if (c.kind !== 'repair' || !isOpen(c.status)) return 'BAD_STATE'
    await changeCase(this.manager, c.id, { technicianId: technician.id }, this.now)
    const data = {
      technicianId: technician.id,
      name: technician.name,
      phone: technician.phone,
      team: technician.team,
    }
    if (c.status === 'open' || c.status === 'reopened')
      await this.setStatus(c, 'accepted', actor, 'technician_dispatched', data)
    else await this.event(c, actor, 'technician_dispatched', data)
    await this.clock.met(this.manager, c.id, this.now)
    return 'ok'
  }

  /** 进展: a reply to the owner; the case is in progress from then on (it may already be). */
  async reply(c: LifecycleCase, note: string, actor: string): Promise<LifecycleOutcome> {
    if (!isOpen(c.status)) return 'BAD_STATE'
    if (c.status !== 'in_progress') return this.transition(c, 'in_progress', note, actor)
    await this.event(c, actor, 'staff_reply', { note })
    await this.touch(c)
    await this.clock.met(this.manager, c.id, this.now)
    return 'ok'
  }

  /** 等待: the clock stops until the owner answers what is asked. */
  async waitForOwner(c: LifecycleCase, question: string, actor: string): Promise<LifecycleOutcome> {
    if (!canTransition(c.status, 'waiting_owner')) return 'BAD_STATE'
    await this.setStatus(c, 'waiting_owner', actor, 'waiting_owner', { question })
    await this.clock.pause(this.manager, c.id, this.now)
    return 'ok'
  }

  /** The owner added something: if staff were waiting for it, the clock runs again. */
  async ownerAnswered(c: LifecycleCase, actor: string): Promise<void> {
    if (c.status !== 'waiting_owner') return this.touch(c)
    await this.setStatus(c, 'in_progress', actor, 'owner_answered')
    await this.clock.resume(this.manager, c.id, this.now)
  }

  /** 关闭 / resolved: the clock is met and the callback survey scheduled. */
  async close(
    c: LifecycleCase,
    note: string | null,
    actor: string,
    to: 'resolved' | 'closed' = 'closed',
    event: string = to,
  ): Promise<LifecycleOutcome> {
    if (!isOpen(c.status)) return 'BAD_STATE'
    await changeCase(this.manager, c.id, { status: to, closedAt: this.now }, this.now)
    await this.event(c, actor, event, note ? { note } : {})
    await this.clock.closed(this.manager, {
      id: c.id,
      kind: c.kind,
      category: c.category,
      closedAt: this.now,
    })
    c.status = to
    return 'ok'
  }

  /**
   * Back to work after closure (a poor callback score, an escalation, staff): optionally to another
   * staff member, and with a new reply deadline — the owner is owed an answer again.
   */
  async reopen(
    c: LifecycleCase,
    actor: string,
    data: Record<string, unknown>,
    toAmbassadorId: number | null = null,
  ): Promise<LifecycleOutcome> {
    if (!canTransition(c.status, 'reopened')) return 'BAD_STATE'
    await changeCase(
      this.manager,
      c.id,
      {
        status: 'reopened',
        closedAt: null,
        ...(toAmbassadorId !== null ? { ambassadorId: toAmbassadorId } : {}),
      },
      this.now,
    )
    await this.event(c, actor, 'reopened', data)
    await this.clock.start(this.manager, { id: c.id, kind: c.kind, publicArea: false, openedAt: this.now })
    c.status = 'reopened'
    if (toAmbassadorId !== null) c.ambassador_id = toAmbassadorId
    return 'ok'
  }

  /** 首问负责制: every hand-over is written down, and the new owner of the case gets its card. */
  async assign(
    c: LifecycleCase,
    toAmbassadorId: number,
    actor: string,
    data: { reason?: string; by?: string } = {},
  ): Promise<LifecycleOutcome> {
    if (!isOpen(c.status)) return 'BAD_STATE'
    await changeCase(this.manager, c.id, { ambassadorId: toAmbassadorId }, this.now)
    await this.event(c, actor, 'reassigned', { from: c.ambassador_id, to: toAmbassadorId, ...data })
    c.ambassador_id = toAmbassadorId
    return 'ok'
  }

  /** The owner called a booked repair off: closed, the clock met, and no callback survey about it. */
  async cancel(c: LifecycleCase, actor: string): Promise<LifecycleOutcome> {
    if (!isOpen(c.status)) return 'BAD_STATE'
    await changeCase(
      this.manager,
      c.id,
      { status: 'closed', closedAt: this.now, releaseSlot: true, details: { cancelledByOwner: true } },
      this.now,
    )
    await this.event(c, actor, 'cancelled', {})
    await this.clock.met(this.manager, c.id, this.now)
    c.status = 'closed'
    return 'ok'
  }

  /** Up the escalation ladder (1: branch head, 2: group centre); never down. */
  async escalate(
    c: { id: number },
    level: 1 | 2,
    actor: string,
    event: string,
    data: Record<string, unknown>,
  ) {
    await changeCase(this.manager, c.id, { escalationAtLeast: level }, this.now)
    await this.event(c, actor, event, data)
  }

  private async setStatus(
    c: LifecycleCase,
    status: CaseStatus,
    actor: string,
    event: string,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    await changeCase(this.manager, c.id, { status }, this.now)
    await this.event(c, actor, event, data)
    c.status = status
  }

  private event(c: { id: number }, actor: string, kind: string, data: Record<string, unknown>) {
    return recordCaseEvent(this.manager, { caseId: c.id, actor, kind, data, at: this.now })
  }

  private async touch(c: LifecycleCase): Promise<void> {
    await changeCase(this.manager, c.id, {}, this.now)
  }
}
