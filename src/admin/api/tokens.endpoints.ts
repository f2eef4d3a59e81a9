import { z } from 'zod'
import { activeStaff, listTokens, revokeToken, storeToken } from '../../db/staff-tokens'
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

/** Admins hand out and revoke staff tokens; the token itself is shown once and stored only as a hash. */
export const tokenEndpoints = [
  endpoint({
    method: 'post',
    path: '/tokens',
    summary: 'Issue a bearer token for a staff member (returned once; only its hash is kept)',
    roles: ['admin'],
    body: tokenRequest,
    async handle({ body, deps, audit, ctx }: Request<unknown, NewToken>) {
      if (body.role === 'ambassador' && !body.ambassadorId) {
        throw new ApiError(422, 'AMBASSADOR_REQUIRED', 'an ambassador token names the ambassador it acts as')
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
    summary: 'Staff tokens (never the tokens themselves)',
    roles: ['admin'],
    async handle({ deps }) {
      return {
        items: await listTokens(deps.dataSource),
      }
    },
  }),
  endpoint({
    method: 'post',
    path: '/tokens/:id/revoke',
    summary: 'Revoke a token at once',
    roles: ['admin'],
    async handle({ params, deps, audit, staff }) {
      if (Number(params.id) === staff.tokenId)
        throw new ApiError(409, 'OWN_TOKEN', 'revoke your own token with another admin token')
      const id = Number(params.id)
      if (!(await revokeToken(deps.dataSource, id, deps.now())))
        throw new ApiError(404, 'NOT_FOUND', 'No such active token')
      await audit('token.revoke', 'staff_token', id)
      return { id, revoked: true }
    },
  }),
]
