import { z } from 'zod'
import { reassignHousehold } from '../../services/households/assignment'
import { importCustomers, readImport } from '../../services/imports/customer-import'
import { maskPhone, normalizeMobile } from '../../domain/customer'
import { canSeeHousehold, canUseAmbassador, mayReadPhones, phoneFor, scopeOf } from '../../db/access'
import { ApiError } from '../middleware/error-handler'
import { openPhone, phoneLookupKey } from '../../domain/phone-vault'
import { bodyId, endpoint, type Request } from './endpoint'
import {
  householdExists,
  householdFile,
  householdHeader,
  recentPhoneSearches,
  searchHouseholds,
} from '../../db/household-queries'

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
        const n = await recentPhoneSearches(deps.dataSource, `staff:${staff.tokenId}:${staff.name}`)
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
      const rows = await searchHouseholds(deps.dataSource, {
        words: query.q,
        phone: byPhone ? phoneLookupKey(normalizeMobile(query.q) ?? query.q.replace(/[\s-]/g, '')) : null,
        limit: query.limit,
        scope,
      })
      return {
        items: rows.map((h) => ({
          id: h.id,
          code: h.code,
          stage: h.stage,
          owners: (h.owners ?? []).map((o) => ({
            name: o.name,
            phone: phoneFor(staff, openPhone(o.phoneEnc) ?? '', h.ambassador_id === staff.ambassadorId),
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
      const household = await householdHeader(deps.dataSource, id)
      const own = household?.ambassadorId === staff.ambassadorId
      const scope = await scopeOf(deps.dataSource, staff)
      if (!household || !(await canSeeHousehold(deps.dataSource, scope, id))) {
        await audit('customer_file.denied', 'household', params.id)
        throw new ApiError(404, 'NOT_FOUND', 'No such household')
      }
      await audit('customer_file.read', 'household', id)
      const { owners, units, assignments, cases, letters, surveys } = await householdFile(deps.dataSource, id)
      return {
        ...household,
        owners: owners.map(({ phoneEnc, ...o }) => ({
          ...o,
          phone: phoneFor(staff, openPhone(phoneEnc) ?? '', own),
        })),
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
        if (!(await householdExists(manager, id)) || !(await canSeeHousehold(manager, scope, id))) {
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
