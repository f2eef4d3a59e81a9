import type { EntityManager } from 'typeorm'
import { copy } from '../../copy'
import { isGroupComplaint } from '../../domain/group-complaint'
import type { CaseClock } from './case-clock'
import { openRecordedCase } from './case-events'
import { branchHeadFor } from '../../db/staff-directory'

export interface GroupWarningSettings {
  /** Distinct households complaining about one category of one project … */
  households: number
  /** … within this many hours raise one alert. */
  windowHours: number
}

/**
 * After a complaint is filed: if enough households of the project complained about its category within
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
  await manager.query(
    `SELECT pg_advisory_xact_lock(hashtext('group-warning:' || $1::text || ':' || $2::text))`,
    [projectId, category],
  )
  const since = new Date(now.getTime() - settings.windowHours * 3600_000)
  const [{ households }] = await manager.query(
    `SELECT count(DISTINCT household_id)::int AS households FROM service_case
      WHERE kind = 'complaint' AND project_id = $1 AND category = $2 AND created_at > $3`,
    [projectId, category, since],
  )
  if (!isGroupComplaint(households, settings.households)) return false
  const existing = await manager.query(
    `SELECT 1 FROM service_case WHERE kind = 'alert' AND project_id = $1 AND category = $2
        AND status NOT IN ('resolved', 'closed') AND created_at > $3`,
    [projectId, category, since],
  )
  if (existing.length > 0) return false

  const [project] = await manager.query(`SELECT name FROM project WHERE id = $1`, [projectId])
  const branchHead = await branchHeadFor(manager, projectId)
  const message = copy.staff.groupWarning(project.name, category, households, settings.windowHours)
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
  await clock.start(manager, { id: alert.id, kind: 'alert', publicArea: true, openedAt: now })
  return true
}
