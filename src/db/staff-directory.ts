import type { EntityManager } from 'typeorm'

/** The branch head for a project (one assigned to it, else any). */
export async function branchHeadFor(manager: EntityManager, projectId: number): Promise<number | null> {
  const rows: { id: number }[] = await manager.query(
    `SELECT id FROM ambassador WHERE role = 'branch_head' AND active
      ORDER BY (project_id = $1) DESC NULLS LAST, id LIMIT 1`,
    [projectId],
  )
  return rows[0]?.id ?? null
}
