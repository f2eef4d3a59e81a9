import { copy } from '../../copy'
import type { CaseSummary } from '../ports'
import { defineDialog, type DialogContext } from '../runtime/dialog'
import { freeText } from '../runtime/validators'
import { complaintText, type ComplaintDeps } from './complaint.dialog'
import { rescheduleRepair, type RepairDeps } from './repair.dialog'

type Action = keyof typeof copy.cases.actions

const line = (c: CaseSummary) =>
  copy.cases.line(
    c.caseNo,
    copy.caseKinds[c.kind] ?? c.kind,
    c.category,
    copy.caseStatuses[c.status] ?? c.status,
    c.createdAt,
  )

/** 查询我的工单: the household's latest cases; one case's progress; add a note, escalate, change a repair. */
/** A household's cases: their progress (cases) and, for repairs, the visit (repairs). */
export type CasesDeps = ComplaintDeps & RepairDeps

export const casesDialog = defineDialog<CasesDeps>({ id: 'cases', version: 1 }, async (d, deps) => {
  const { session, cases } = deps
  const recent = await d.run('cases', () => cases.recentCases(session, 10))
  if (recent.length === 0) {
    d.say(copy.cases.none)
    return
  }
  const picked = await d.choose(copy.cases.header, recent, line)
  const detail = await d.run('detail', () => cases.caseDetail(session, picked.caseNo))
  if (!detail) {
    d.say(copy.cases.notFound)
    return
  }
  const open = detail.status !== 'resolved' && detail.status !== 'closed'
  const actions: Action[] = [
    ...(open ? (['note'] as const) : []),
    ...(detail.kind === 'complaint' && detail.escalationLevel < 2 ? (['escalate'] as const) : []),
    ...(detail.kind === 'repair' && open ? (['reschedule', 'cancelRepair'] as const) : []),
    'done',
  ]
  d.say(
    copy.cases.detail({
      ...detail,
      kind: copy.caseKinds[detail.kind] ?? detail.kind,
      status: copy.caseStatuses[detail.status] ?? detail.status,
      history: detail.history.map((h) => ({ at: h.at, what: copy.cases.history[h.what] ?? h.what })),
    }),
  )
  const action = await d.choose(copy.cases.whatNext, actions, (a) => copy.cases.actions[a])
  switch (action) {
    case 'note':
      return addNote(d, deps, detail.caseNo)
    case 'escalate':
      return escalate(d, deps, detail.caseNo)
    case 'reschedule':
      return rescheduleRepair(d, deps, detail.caseNo)
    case 'cancelRepair':
      return cancelRepair(d, deps, detail.caseNo)
    case 'done':
      return
  }
})

async function addNote(d: DialogContext, { session, cases }: CasesDeps, caseNo: string): Promise<void> {
  const note = await d.ask(
    copy.cases.askNote,
    freeText({
      min: 2,
      max: 500,
      tooShort: copy.cases.noteTooShort,
      tooLong: copy.cases.noteTooLong,
      needsWords: copy.cases.noteTooShort,
    }),
  )
  const added = await d.run('note', () => cases.addOwnerNote(session, caseNo, note))
  d.say(added ? copy.cases.noteAdded(caseNo) : copy.cases.notFound)
}

async function escalate(d: DialogContext, { session, cases }: CasesDeps, caseNo: string): Promise<void> {
  const reason = await d.ask(copy.cases.askEscalationReason, complaintText)
  if (!(await d.confirm(copy.cases.confirmEscalation(caseNo)))) {
    d.say(copy.cases.notEscalated)
    return
  }
  const outcome = await d.run('escalate', () => cases.escalateToGroup(session, caseNo, reason))
  d.say(
    outcome === 'escalated'
      ? copy.cases.escalated(caseNo)
      : outcome === 'already'
        ? copy.cases.alreadyEscalated(caseNo)
        : copy.cases.notFound,
  )
}

async function cancelRepair(
  d: DialogContext,
  { session, repairs }: CasesDeps,
  caseNo: string,
): Promise<void> {
  if (!(await d.confirm(copy.repair.confirmCancel(caseNo)))) {
    d.say(copy.repair.notCancelled)
    return
  }
  const outcome = await d.run('cancel', () => repairs.cancel(session, caseNo))
  d.say(outcome === 'ok' ? copy.repair.cancelled(caseNo) : copy.repair.notOpen)
}
