import { z } from 'zod'
import { activeStaff, listTokens, revokeToken, storeToken } from '../../db/staff-tokens'
import { canUseAmbassador, scopeOf } from '../../db/access'
import { hashToken, newToken, STAFF_ROLES, type StaffRoleName } from '../auth'
import { ApiError } from '../middleware/error-handler'
import { bodyId, endpoint, type Request } from './endpoint'

const tokenRequest = z.object({
  name: z.string().trim().min(1).max(64),
  role: z.enum(STAFF_ROLES),
  /** For ambassador and branch-head tokens: the staff member (ambassador table id) they act as. */
  ambassadorId: bodyId.optional(),
})
type NewToken = z.infer<typeof tokenRequest>

/**
 * Admins hand out and revoke staff tokens; a branch head does so for the ambassadors of their branch, so
 * that setting up a branch needs nobody from the group. The token is shown once, stored as a hash.
 */
export const tokenEndpoints = [
  endpoint({
    method: 'post',
    path: '/tokens',
    summary:
      'Issue a bearer token for a staff member (returned once; only its hash is kept). Branch heads: ambassador tokens for their branch’s staff',
    roles: ['admin', 'branch_head'],
    body: tokenRequest,
    async handle({ body, deps, audit, ctx, staff }: Request<unknown, NewToken>) {
      if (body.role === 'ambassador' && !body.ambassadorId) {
        throw new ApiError(422, 'AMBASSADOR_REQUIRED', 'an ambassador token names the ambassador it acts as')
      }
      if (staff.role === 'branch_head') {
        if (body.role !== 'ambassador')
          throw new ApiError(403, 'FORBIDDEN', 'branch heads issue ambassador tokens only')
        const scope = await scopeOf(deps.dataSource, staff)
        if (!(await canUseAmbassador(deps.dataSource, scope, body.ambassadorId as number)))
          throw new ApiError(422, 'NO_SUCH_AMBASSADOR', 'No active ambassador with this id in your branch')
      }
      if (body.ambassadorId) {
        if (!(await activeStaff(deps.dataSource, { id: body.ambassadorId })))
          throw new ApiError(422, 'NO_SUCH_AMBASSADOR', 'No active ambassador with this id')
      }
      const token = newToken()
      const id = await storeToken(
        deps.dataSource,
        { name: body.name, role: body.role as StaffRoleName, ambassadorId: body.ambassadorId ?? null },
        hashToken(token),
      )
      await audit('token.issue', 'staff_token', id, { name: body.name, role: body.role })
      ctx.status = 201
      return { id, token }
    },
  }),
  endpoint({
    method: 'get',
    path: '/tokens',
    summary: 'Staff tokens (never the tokens themselves); branch heads see their branch’s',
    roles: ['admin', 'branch_head'],
    async handle({ deps, staff }) {
      return {
        items: await listTokens(deps.dataSource, await scopeOf(deps.dataSource, staff)),
      }
    },
  }),
  endpoint({
    method: 'post',
    path: '/tokens/:id/revoke',
    summary: 'Revoke a token at once (branch heads: their branch’s staff’s)',
    roles: ['admin', 'branch_head'],
    async handle({ params, deps, audit, staff }) {
      if (Number(params.id) === staff.tokenId)
        throw new ApiError(409, 'OWN_TOKEN', 'revoke your own token with another admin token')
      const id = Number(params.id)
      if (!(await revokeToken(deps.dataSource, id, deps.now(), await scopeOf(deps.dataSource, staff))))
        throw new ApiError(404, 'NOT_FOUND', 'No such active token')
      await audit('token.revoke', 'staff_token', id)
      return { id, revoked: true }
    },
  }),
]
