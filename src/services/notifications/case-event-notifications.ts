import type { EntityManager } from 'typeorm'
import { copy } from '../../copy'
import type { CaseFacts } from '../../db/case-queries'
import { branchHeadFor } from '../../db/staff-directory'
import { notifyOwner } from './owner-notifications'
import { caseCard, groupCentreId, notifyStaff } from './staff-notifications'

/** A case event as it was recorded: who did what to which case, with what it needs to be told. */
export interface CaseEvent {
  caseId: number
  actor: string
  kind: string
  data: Record<string, unknown>
  at: Date
}

type Handler = (manager: EntityManager, event: CaseEvent, c: CaseFacts) => Promise<void>
const text = (value: unknown) => (typeof value === 'string' ? value : '')

/** A note given with a status change is the substantive reply the owner reads. */
const replyToOwner: Handler = async (manager, event, c) => {
  if (event.data.note)
    await notifyOwner(manager, c.owner_id, copy.progress.update(c.case_no, text(event.data.note)))
}

/**
 * What each kind of case event tells whom. The only place case notifications are written: services
 * record events (src/services/cases/case-events.ts), and these handlers turn them into messages in the
 * outbox, in the same transaction.
 */
const HANDLERS: Record<string, Handler> = {
  async opened(manager, event, c) {
    if (c.kind === 'alert') {
      // A group-complaint warning: the branch head owns it, the group centre is told.
      await notifyStaff(manager, c.ambassador_id, text(event.data.message))
      await notifyStaff(manager, await groupCentreId(manager), text(event.data.message))
      return
    }
    const notice =
      c.kind === 'repair'
        ? copy.staff.newRepair({
            caseNo: c.case_no,
            owner: c.owner_name ?? '',
            location: text(event.data.location),
            category: c.category,
            slot: text(event.data.slot),
            warranty: text(event.data.warranty),
          })
        : copy.staff.newComplaint({
            caseNo: c.case_no,
            owner: c.owner_name ?? '',
            location: text(event.data.location),
            category: c.category,
            description: text(event.data.description),
          })
    await notifyStaff(manager, c.ambassador_id, caseCard(c.case_no, notice))
  },
  staff_reply: replyToOwner,
  accepted: replyToOwner,
  in_progress: replyToOwner,
  async technician_dispatched(manager, event, c) {
    await notifyOwner(
      manager,
      c.owner_id,
      copy.progress.technician(c.case_no, text(event.data.name), text(event.data.phone)),
    )
  },
  async waiting_owner(manager, event, c) {
    await notifyOwner(manager, c.owner_id, copy.progress.waiting(c.case_no, text(event.data.question)))
  },
  async closed(manager, event, c) {
    if (event.data.note)
      await notifyOwner(manager, c.owner_id, copy.progress.closed(c.case_no, text(event.data.note)))
  },
  async resolved(manager, event, c) {
    if (event.data.note)
      await notifyOwner(manager, c.owner_id, copy.progress.closed(c.case_no, text(event.data.note)))
  },
  async reassigned(manager, event, c) {
    const by = typeof event.data.by === 'string' ? event.data.by : null
    await notifyStaff(
      manager,
      Number(event.data.to),
      caseCard(c.case_no, copy.staff.caseAssigned(c.case_no, c.category, by)),
    )
  },
  async owner_note(manager, event, c) {
    await notifyStaff(
      manager,
      c.ambassador_id,
      copy.staff.ownerNote(c.case_no, text(event.data.by) || (c.owner_name ?? ''), text(event.data.note)),
    )
  },
  async escalated(manager, event, c) {
    const message =
      event.data.reason === 'sla'
        ? copy.staff.slaGroup(c.case_no)
        : event.data.source === 'staff'
          ? copy.staff.escalatedByStaff(c.case_no, text(event.data.by), text(event.data.reason))
          : copy.staff.escalated(
              c.case_no,
              text(event.data.by) || (c.owner_name ?? ''),
              text(event.data.reason),
            )
    await notifyStaff(manager, await groupCentreId(manager), message)
  },
  async sla_breached(manager, _event, c) {
    const message = copy.staff.slaBreached(c.case_no, c.ambassador_name ?? '未分配')
    await notifyStaff(manager, await branchHeadFor(manager, c.project_id), message)
    await notifyStaff(manager, c.ambassador_id, message)
  },
  async solve_overdue(manager, _event, c) {
    await notifyStaff(manager, await groupCentreId(manager), copy.staff.solveOverdue(c.case_no, c.category))
  },
  async reopened(manager, event, c) {
    if (event.data.reason !== 'survey') return
    await notifyStaff(
      manager,
      c.ambassador_id,
      copy.staff.reopened(
        c.case_no,
        c.owner_name ?? '',
        Number(event.data.score),
        typeof event.data.comment === 'string' ? event.data.comment : null,
      ),
    )
  },
  async rescheduled(manager, event, c) {
    await notifyStaff(
      manager,
      c.ambassador_id,
      copy.staff.repairChanged(c.case_no, `改约到 ${text(event.data.slot)}`),
    )
  },
  async cancelled(manager, _event, c) {
    await notifyStaff(manager, c.ambassador_id, copy.staff.repairChanged(c.case_no, '业主已取消'))
  },
}

/** Whether an event of this kind tells anyone anything (its facts are then read as it is recorded). */
export function tellsAnyone(kind: string): boolean {
  return kind in HANDLERS
}

export async function notifyForCaseEvent(
  manager: EntityManager,
  event: CaseEvent,
  c: CaseFacts,
): Promise<void> {
  await HANDLERS[event.kind]?.(manager, event, c)
}
