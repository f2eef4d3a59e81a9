import type { EntityManager } from 'typeorm'
import { appendCaseEvent, openCase, type OpenCase } from '../../db/case-store'
import { appendCaseEventReadingFacts } from '../../db/case-queries'
import { notifyForCaseEvent, tellsAnyone, type CaseEvent } from '../notifications/case-event-notifications'

/**
 * Records a case event and, in the same transaction, the messages it means for owner and staff
 * (src/services/notifications/case-event-notifications.ts). Every service records events this way.
 */
export async function recordCaseEvent(manager: EntityManager, event: CaseEvent): Promise<void> {
  if (!tellsAnyone(event.kind)) {
    await appendCaseEvent(manager, event.caseId, event.actor, event.kind, event.data, event.at)
    return
  }
  const facts = await appendCaseEventReadingFacts(manager, event)
  if (facts) await notifyForCaseEvent(manager, event, facts)
}

/** Opens a case with its `opened` event, whose data carries what the new-case notice shows. */
export async function openRecordedCase(
  manager: EntityManager,
  input: OpenCase,
  notice: Record<string, unknown>,
): Promise<{ id: number; caseNo: string }> {
  const opened = await openCase(manager, input)
  await recordCaseEvent(manager, {
    caseId: opened.id,
    actor: input.actor,
    kind: 'opened',
    data: { ambassadorId: input.ambassadorId, channel: input.intakeChannel, ...notice },
    at: input.now,
  })
  return opened
}
