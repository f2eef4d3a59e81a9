import type { EntityManager } from 'typeorm'
import { copy } from '../../copy'
import { isGroupComplaint } from '../../domain/group-complaint'
import type { CaseClock } from './case-clock'
import { openRecordedCase } from './case-events'
import { branchHeadFor, projectInfo } from '../../db/staff-directory'
import { complaintCluster } from '../../db/case-queries'
import { ensureTimer } from '../../db/timers'

export interface GroupWarningSettings {
  /** Distinct households complaining about one category of one project … */
  households: number
  /** … within this many hours raise one alert. */
  windowHours: number
}

/** The timer that looks at a project's complaints of one category after one more was filed. */
export const GROUP_WARNING_CHECK = 'group-warning.check'

/**
 * Filing a complaint asks for a look at its cluster, which the timer sweep takes (within its ten
 * seconds) rather than the filing itself: the look must be serialised per project and category, and
 * owners filing about the same leak at the same time should not queue behind one another for it. One
 * pending look per cluster stands for any number of complaints filed before it is taken.
 */
export async function askForGroupWarningCheck(
  manager: EntityManager,
  projectId: number,
  category: string,
  now: Date,
): Promise<void> {
  await ensureTimer(manager, GROUP_WARNING_CHECK, `${projectId}:${category}`, now, { projectId, category })
}

/**
 * A look at a complaint cluster (GROUP_WARNING_CHECK): if enough households of the project complained about its category within
 * the window, open one alert case for the branch head and tell the group centre. One alert per cluster:
 * an open alert for the same project and category inside the window suppresses another, and a
 * transaction-scoped advisory lock keeps two simultaneous complaints from raising two.
 */
export async function raiseGroupWarningIfClustered(
  manager: EntityManager,
  projectId: number,
  category: string,
  now: Date,
  settings: GroupWarningSettings,
  clock: CaseClock,
): Promise<boolean> {
  const since = new Date(now.getTime() - settings.windowHours * 3600_000)
  const { households, alertOpen } = await complaintCluster(manager, projectId, category, since)
  if (!isGroupComplaint(households, settings.households) || alertOpen) return false
  const project = await projectInfo(manager, projectId)
  const branchHead = await branchHeadFor(manager, projectId)
  const message = copy.staff.groupWarning(project?.name ?? '', category, households, settings.windowHours)
  const alert = await openRecordedCase(
    manager,
    {
      kind: 'alert',
      category,
      projectId,
      householdId: null,
      ownerId: null,
      unitId: null,
      publicArea: true,
      ambassadorId: branchHead,
      intakeChannel: 'system',
      description: message,
      actor: 'system',
      now,
      details: { households, windowHours: settings.windowHours },
    },
    { message },
  )
  await clock.start(manager, { id: alert.id, kind: 'alert', publicArea: true, openedAt: now, projectId })
  return true
}
