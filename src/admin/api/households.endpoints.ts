import { z } from 'zod'
import { reassignHousehold } from '../../db/assignment'
import { importCustomers, readImport } from '../../db/customer-import'
import { maskPhone } from '../../domain/customer'
import { scopeOf, type StaffPrincipal } from '../auth'
import { ApiError } from '../middleware/error-handler'
import { ALL_ROLES, endpoint, type Request } from './endpoint'

/** Admins and a household's own ambassador read phone numbers; everyone else sees them masked. */
const phoneFor = (staff: StaffPrincipal, phone: string, ownAmbassador: boolean) =>
  staff.role === 'admin' || (staff.role === 'ambassador' && ownAmbassador) ? phone : maskPhone(phone)

/** SQL condition on household `h` for a scope (parameters $n, $n+1). */
const IN_BRANCH = `EXISTS (SELECT 1 FROM household_unit hu JOIN unit u ON u.id = hu.unit_id JOIN building b ON b.id = u.building_id
  JOIN project p ON p.id = b.project_id WHERE hu.household_id = h.id AND p.branch = $BRANCH)`

export const householdEndpoints = [
  endpoint({
    method: 'post',
    path: '/imports/customers',
    summary: 'Import projects, units, households, owners and ambassador assignments (CSV or JSON)',
    roles: ['admin'],
    async handle({ ctx, deps, audit }) {
      const records = readImport(ctx.get('content-type'), (ctx.request as { body?: unknown }).body)
      const report = await importCustomers(deps.dataSource, records)
      await audit('customers.import', 'import', deps.now().toISOString(), {
        rows: report.rows,
        imported: report.imported,
        errors: report.errors.length,
      })
      return report
    },
  }),

  endpoint({
    method: 'get',
    path: '/households',
    summary: 'Search households by owner name, phone, household code or room',
    roles: ALL_ROLES,
    query: z.object({
      q: z.string().trim().min(1).max(64),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
    async handle({ staff, query, deps }: Request<{ q: string; limit: number }, undefined>) {
      const scope = await scopeOf(deps.dataSource, staff)
      const mine = scope.kind === 'ambassador' ? scope.ambassadorId : null
      const branch = scope.kind === 'branch' ? (scope.branch ?? '') : null
      const rows: {
        id: number
        code: string
        stage: string
        owners: { name: string; phone: string }[]
        ambassador_id: number | null
      }[] = await deps.dataSource.query(
        `SELECT h.id, h.code, h.stage,
                  (SELECT json_agg(json_build_object('name', o.name, 'phone', o.phone) ORDER BY o.id) FROM owner o WHERE o.household_id = h.id) AS owners,
                  aa.ambassador_id
             FROM household h
             LEFT JOIN ambassador_assignment aa ON aa.household_id = h.id AND aa.ended_at IS NULL
            WHERE ($3::int IS NULL OR aa.ambassador_id = $3)
              AND ($4::text IS NULL OR ${IN_BRANCH.replace('$BRANCH', '$4')})
              AND (h.code ILIKE '%' || $1 || '%'
                   OR EXISTS (SELECT 1 FROM owner o WHERE o.household_id = h.id AND (o.name LIKE '%' || $1 || '%' OR o.phone = $1))
                   OR EXISTS (SELECT 1 FROM household_unit hu JOIN unit u ON u.id = hu.unit_id
                               WHERE hu.household_id = h.id AND u.room_no = $1))
            ORDER BY h.id LIMIT $2`,
        [query.q.replace(/[%_\\]/g, (c) => `\\${c}`), query.limit, mine, branch],
      )
      return {
        items: rows.map((h) => ({
          id: h.id,
          code: h.code,
          stage: h.stage,
          owners: (h.owners ?? []).map((o) => ({
            name: o.name,
            phone: phoneFor(staff, o.phone, h.ambassador_id === staff.ambassadorId),
          })),
        })),
      }
    },
  }),

  endpoint({
    method: 'get',
    path: '/households/:id',
    summary: 'One household file (一户一档): people, units, ambassador history, cases, letters, surveys',
    roles: ALL_ROLES,
    async handle({ staff, params, deps, audit }) {
      const id = Number(params.id)
      const [household] = Number.isInteger(id)
        ? await deps.dataSource.query(
            `SELECT h.id, h.code, h.stage, h.customer_class AS "customerClass", h.purchased_on AS "purchasedOn", h.profile,
                    (SELECT ambassador_id FROM ambassador_assignment WHERE household_id = h.id AND ended_at IS NULL) AS "ambassadorId"
               FROM household h WHERE h.id = $1`,
            [id],
          )
        : []
      const own = household?.ambassadorId === staff.ambassadorId
      const scope = await scopeOf(deps.dataSource, staff)
      const inBranch =
        scope.kind !== 'branch' ||
        (household !== undefined &&
          (
            await deps.dataSource.query(
              `SELECT 1 FROM household h WHERE h.id = $1 AND ${IN_BRANCH.replace('$BRANCH', '$2')}`,
              [id, scope.branch ?? ''],
            )
          ).length > 0)
      if (!household || (staff.role === 'ambassador' && !own) || !inBranch) {
        await audit('customer_file.denied', 'household', params.id)
        throw new ApiError(404, 'NOT_FOUND', 'No such household')
      }
      await audit('customer_file.read', 'household', id)
      const q = (sql: string) => deps.dataSource.query(sql, [id])
      const [owners, units, assignments, cases, letters, surveys] = await Promise.all([
        q(`SELECT id, name, phone, relation FROM owner WHERE household_id = $1 ORDER BY id`),
        q(`SELECT u.id, p.name AS project, b.name AS building, u.room_no AS room, u.delivered_on::text AS "deliveredOn"
             FROM household_unit hu JOIN unit u ON u.id = hu.unit_id JOIN building b ON b.id = u.building_id
             JOIN project p ON p.id = b.project_id WHERE hu.household_id = $1 ORDER BY 2, 3, 4`),
        q(`SELECT a.name, aa.assigned_at AS "assignedAt", aa.ended_at AS "endedAt", aa.reason
             FROM ambassador_assignment aa JOIN ambassador a ON a.id = aa.ambassador_id WHERE aa.household_id = $1 ORDER BY aa.id`),
        q(`SELECT case_no AS "caseNo", kind, category, status, created_at AS "createdAt" FROM service_case
            WHERE household_id = $1 ORDER BY created_at DESC`),
        q(`SELECT l.title, d.status, d.delivered_at AS "deliveredAt", d.read_at AS "readAt"
             FROM letter_delivery d JOIN letter l ON l.id = d.letter_id JOIN owner o ON o.id = d.owner_id
            WHERE o.household_id = $1 ORDER BY d.id DESC`),
        q(`SELECT c.case_no AS "caseNo", s.round, s.score, s.comment, s.answered_at AS "answeredAt"
             FROM survey s JOIN service_case c ON c.id = s.case_id WHERE c.household_id = $1 ORDER BY s.id DESC`),
      ])
      return {
        ...household,
        owners: (owners as { phone: string }[]).map((o) => ({ ...o, phone: phoneFor(staff, o.phone, own) })),
        units,
        assignments,
        cases,
        letters,
        surveys,
      }
    },
  }),

  endpoint({
    method: 'post',
    path: '/households/:id/reassign',
    summary: 'Give a household another ambassador; open cases move with a record',
    roles: ['admin', 'group_centre', 'branch_head'],
    body: z.object({ ambassadorId: z.number().int().positive(), reason: z.string().trim().min(2).max(200) }),
    async handle({
      staff,
      params,
      body,
      deps,
      audit,
    }: Request<Record<string, never>, { ambassadorId: number; reason: string }>) {
      const id = Number(params.id)
      // A branch head moves households of their branch, to ambassadors of their branch.
      const scope = await scopeOf(deps.dataSource, staff)
      const branch = scope.kind === 'branch' ? (scope.branch ?? '') : null
      const moved = await deps.dataSource.transaction(async (manager) => {
        const [exists] = await manager.query(
          `SELECT 1 FROM household h WHERE h.id = $1 AND ($2::text IS NULL OR ${IN_BRANCH.replace('$BRANCH', '$2')})`,
          [id, branch],
        )
        if (!exists) throw new ApiError(404, 'NOT_FOUND', 'No such household')
        const [target] = await manager.query(
          `SELECT 1 FROM ambassador a LEFT JOIN project p ON p.id = a.project_id
            WHERE a.id = $1 AND a.active AND ($2::text IS NULL OR p.branch = $2)`,
          [body.ambassadorId, branch],
        )
        if (!target) throw new ApiError(422, 'NO_SUCH_AMBASSADOR', 'No active ambassador with this id')
        return reassignHousehold(
          manager,
          id,
          body.ambassadorId,
          body.reason,
          `staff:${staff.tokenId}`,
          deps.now(),
        )
      })
      await audit('household.reassign', 'household', id, { to: body.ambassadorId, ...moved })
      return moved
    },
  }),
]
