import { z } from 'zod'
import { reassignHousehold } from '../../services/households/assignment'
import { importCustomers, readImport } from '../../services/imports/customer-import'
import { maskPhone } from '../../domain/customer'
import {
  canSeeHousehold,
  canUseAmbassador,
  HOUSEHOLD_IN_SCOPE,
  mayReadPhones,
  phoneFor,
  scopeOf,
  scopeParams,
} from '../../db/access'
import { ApiError } from '../middleware/error-handler'
import { bodyId, endpoint, type Request } from './endpoint'

/** Customer files are for customer service: letter staff send letters and never read files. */
const FILE_ROLES = ['admin', 'group_centre', 'branch_head', 'ambassador'] as const

/** A search that is a whole phone number (digits, maybe spaced): it could unmask a masked number. */
const looksLikePhone = (q: string) => /^\+?[\d\s-]{7,}$/.test(q)
/** Phone searches per staff token in ten minutes: enough for a front desk, too few to enumerate. */
const PHONE_SEARCHES_PER_10_MIN = 30

export const householdEndpoints = [
  endpoint({
    method: 'post',
    path: '/imports/customers',
    summary: 'Import projects, units, households, owners and ambassador assignments (CSV or JSON)',
    roles: ['admin'],
    // 10,000+ rows are a few MB of CSV; only admins may send that much, and only here.
    bodySpec: { limit: 20 * 1024 * 1024, csv: true },
    async handle({ ctx, deps, audit, body }) {
      const records = await readImport(ctx.get('content-type'), body)
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
    roles: FILE_ROLES,
    query: z.object({
      q: z.string().trim().min(1).max(64),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
    async handle({ staff, query, deps, audit }: Request<{ q: string; limit: number }, undefined>) {
      const byPhone = looksLikePhone(query.q)
      if (byPhone) {
        if (!mayReadPhones(staff)) {
          await audit('customer_file.search_denied', 'search', maskPhone(query.q.replace(/\D/g, '')))
          throw new ApiError(
            403,
            'PHONE_SEARCH_NOT_ALLOWED',
            'search by phone number is for roles that see them',
          )
        }
        const [{ n }] = await deps.dataSource.query(
          `SELECT count(*)::int AS n FROM audit_log
            WHERE actor = $1 AND action = 'customer_file.search' AND details->>'byPhone' = 'true'
              AND at > now() - interval '10 minutes'`,
          [`staff:${staff.tokenId}:${staff.name}`],
        )
        if (n >= PHONE_SEARCHES_PER_10_MIN)
          throw new ApiError(
            429,
            'TOO_MANY_SEARCHES',
            'too many searches by phone number; wait a few minutes',
          )
      }
      // Every search is kept, phone numbers masked: who looked for whom is part of the confidentiality.
      await audit(
        'customer_file.search',
        'search',
        byPhone ? maskPhone(query.q.replace(/\D/g, '')) : query.q,
        {
          byPhone,
        },
      )
      const scope = await scopeOf(deps.dataSource, staff)
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
            WHERE ${HOUSEHOLD_IN_SCOPE('h.id', 3)}
              AND (h.code ILIKE '%' || $1 || '%'
                   OR EXISTS (SELECT 1 FROM owner o WHERE o.household_id = h.id
                               AND (o.name LIKE '%' || $1 || '%' OR ($6 AND o.phone = $7)))
                   OR EXISTS (SELECT 1 FROM household_unit hu JOIN unit u ON u.id = hu.unit_id
                               WHERE hu.household_id = h.id AND u.room_no = $1))
            ORDER BY h.id LIMIT $2`,
        [
          query.q.replace(/[%_\\]/g, (c) => `\\${c}`),
          query.limit,
          ...scopeParams(scope),
          byPhone,
          query.q.replace(/[\s-]/g, ''),
        ],
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
    roles: FILE_ROLES,
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
      if (!household || !(await canSeeHousehold(deps.dataSource, scope, id))) {
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
    body: z.object({ ambassadorId: bodyId, reason: z.string().trim().min(2).max(200) }),
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
      const moved = await deps.dataSource.transaction(async (manager) => {
        const [exists] = await manager.query(`SELECT 1 FROM household WHERE id = $1`, [id])
        if (!exists || !(await canSeeHousehold(manager, scope, id))) {
          await audit('household.reassign_denied', 'household', id)
          throw new ApiError(404, 'NOT_FOUND', 'No such household')
        }
        if (!(await canUseAmbassador(manager, scope, body.ambassadorId))) {
          await audit('household.reassign_denied', 'household', id, { to: body.ambassadorId })
          throw new ApiError(422, 'NO_SUCH_AMBASSADOR', 'No active ambassador with this id')
        }
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
