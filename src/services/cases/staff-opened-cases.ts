import type { EntityManager } from 'typeorm'
import { canSeeHousehold, canSeeProject, type StaffScope } from '../../db/access'
import { householdProject } from '../../db/household-queries'
import { ambassadorOfHousehold } from '../../db/staff-directory'
import { intakePolicy, type StaffIntakeChannel } from '../../domain/sla'
import type { CaseClock } from './case-clock'
import { openRecordedCase } from './case-events'
import { CaseLifecycle } from './case-lifecycle'

export interface StaffOpenedCase {
  kind: 'complaint' | 'repair'
  channel: StaffIntakeChannel
  category: string
  description: string
  /** The owner's household, when the person is an owner on file. */
  householdId?: number
  /** Otherwise the project it concerns, and who reported it (a tenant, a neighbour, a journalist). */
  projectId?: number
  reporter?: { name: string; phone?: string }
  /** 重大投诉: tracked by the group centre from the start. */
  major: boolean
}

export type StaffOpenOutcome =
  | { ok: true; caseNo: string; replyDueAt: Date }
  | { ok: false; error: 'NO_SUCH_HOUSEHOLD' | 'NO_SUCH_PROJECT' }

/**
 * A case staff open for what came in elsewhere — the hotline, a walk-in, a letter or an email, the
 * property office, the public forum, a public incident — on that intake's clock (forum posts 48 working
 * hours; public incidents reported in 3 hours and solved in 12). First-contact responsibility: the
 * household's ambassador owns it, else the staff member who logged it.
 */
export async function openCaseForIntake(
  manager: EntityManager,
  input: StaffOpenedCase,
  staff: { ambassadorId: number | null; actor: string; scope: StaffScope },
  clock: CaseClock,
  now: Date,
): Promise<StaffOpenOutcome> {
  let projectId = input.projectId ?? null
  let ambassadorId = staff.ambassadorId
  if (input.householdId !== undefined) {
    const project = await householdProject(manager, input.householdId)
    if (project === null || !(await canSeeHousehold(manager, staff.scope, input.householdId)))
      return { ok: false, error: 'NO_SUCH_HOUSEHOLD' }
    projectId = project
    ambassadorId = (await ambassadorOfHousehold(manager, input.householdId))?.id ?? ambassadorId
  }
  if (projectId === null || !(await canSeeProject(manager, staff.scope, projectId)))
    return { ok: false, error: 'NO_SUCH_PROJECT' }
  const opened = await openRecordedCase(
    manager,
    {
      kind: input.kind,
      category: input.category,
      projectId,
      householdId: input.householdId ?? null,
      ownerId: null,
      unitId: null,
      publicArea: input.channel === 'public_incident',
      ambassadorId,
      intakeChannel: input.channel,
      description: input.description,
      actor: staff.actor,
      now,
      details: { ...(input.reporter ? { reporter: input.reporter } : {}), major: input.major },
    },
    { location: input.reporter?.name ?? '', description: input.description },
  )
  // The project's own policies decide the intake's clocks (a forum post's 48 working hours, say).
  const own = await clock.forProject(manager, projectId)
  const replyDueAt = await own.start(
    manager,
    { id: opened.id, kind: input.kind, publicArea: input.channel === 'public_incident', openedAt: now },
    intakePolicy(input.kind, input.channel, own.settings.policies),
  )
  // A major complaint is the group centre's to track from the start (level 2), and it is told.
  if (input.major)
    await new CaseLifecycle(manager, clock, now).escalate(opened, 2, staff.actor, 'escalated', {
      to: 'group',
      reason: '重大投诉',
      by: input.reporter?.name ?? '',
    })
  return { ok: true, caseNo: opened.caseNo, replyDueAt }
}
