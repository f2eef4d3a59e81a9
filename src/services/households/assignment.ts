import type { EntityManager } from 'typeorm'
import { pickAmbassador } from '../../domain/assignment'
import {
  assignmentCandidates,
  currentAmbassadorId,
  endAssignment,
  lockHousehold,
  moveOpenCases,
  startAssignment,
} from '../../db/assignment-queries'
import { appendCaseEvent, audit } from '../../db/case-store'

/** Gives a household without an ambassador the least-loaded candidate; returns the ambassador id. */
export async function assignHousehold(
  manager: EntityManager,
  householdId: number,
  actor: string,
): Promise<number | null> {
  // Serialises assignment per household so two simultaneous bindings cannot assign twice.
  await lockHousehold(manager, householdId)
  const current = await currentAmbassadorId(manager, householdId)
  if (current !== null) return current
  const chosen = pickAmbassador(await assignmentCandidates(manager, householdId))
  if (chosen === null) return null
  await startAssignment(manager, householdId, chosen, 'auto: least loaded', null)
  await audit(manager, {
    actor,
    action: 'household.assigned',
    subjectType: 'household',
    subjectId: String(householdId),
    details: { ambassadorId: chosen },
  })
  return chosen
}

/**
 * Hands a household to another ambassador: the old assignment is ended (history kept), open cases move
 * with a case event each, so 首问负责制 has a record of every hand-over.
 */
export async function reassignHousehold(
  manager: EntityManager,
  householdId: number,
  toAmbassadorId: number,
  reason: string,
  actor: string,
  now: Date,
): Promise<{ movedCases: number }> {
  await lockHousehold(manager, householdId)
  const previous = await endAssignment(manager, householdId, reason, now)
  await startAssignment(manager, householdId, toAmbassadorId, reason, now)
  const moved = (await moveOpenCases(manager, householdId, toAmbassadorId, now)).map((c) => ({
    id: c.id,
    ambassador_id: previous,
  }))
  for (const c of moved) {
    await appendCaseEvent(
      manager,
      c.id,
      actor,
      'reassigned',
      { from: c.ambassador_id, to: toAmbassadorId, reason },
      now,
    )
  }
  await audit(manager, {
    actor,
    action: 'household.reassigned',
    subjectType: 'household',
    subjectId: String(householdId),
    details: { from: previous, to: toAmbassadorId, reason, movedCases: moved.length },
  })
  return { movedCases: moved.length }
}
