import Router from '@koa/router'
import { getJsApiSignature } from '@wecom/crypto'
import { createReadStream, readFileSync } from 'node:fs'
import path from 'node:path'
import type { DataSource } from 'typeorm'
import type { Clock } from '../../clock'
import { activeStaff } from '../../db/staff-tokens'
import { WeComError, type WeComApi } from '../../channels/wecom/api-client'
import { sidebarFile, type StaffMember } from '../../services/households/sidebar-file'
import { ApiError } from '../middleware/error-handler'
import { SIDEBAR_POLICY, sidebarCopyScript, sidebarPage } from './page'

const SESSION_COOKIE = 'anju_sidebar'
const SESSION_HOURS = 8
const clientScript = readFileSync(path.join(__dirname, 'sidebar.client.js'), 'utf8')
const jssdkBundle = path.join(path.dirname(require.resolve('@wecom/jssdk')), 'wecom.global.prod.js')

/**
 * The ambassador's sidebar: the page, the JS-SDK signatures it registers with, and the owner file it
 * shows. Who the staff member is comes from WeCom's OAuth (code → userid), kept in a signed cookie.
 */
export function sidebarRoutes(deps: {
  dataSource: DataSource
  api: WeComApi
  corpId: string
  agentId: number
  now: Clock
  /**
   * Where staff reach this server (PUBLIC_BASE_URL): the OAuth redirect and the only URLs the JS-SDK
   * signs. Never the request's Host header, which the caller chooses.
   */
  publicBaseUrl: () => string
}): Router {
  const router = new Router()

  router.get('/sidebar', async (ctx) => {
    const code = typeof ctx.query.code === 'string' ? ctx.query.code : null
    if (code) {
      const userid = await deps.api
        .get<{ userid?: string }>('/cgi-bin/auth/getuserinfo', { code })
        .then((answer) => answer.userid)
        .catch((error: unknown) => {
          if (error instanceof WeComError && !error.retryable) return undefined
          throw error
        })
      if (!userid) throw new ApiError(403, 'NOT_A_MEMBER', 'only members of the corp can open the sidebar')
      ctx.cookies.set(SESSION_COOKIE, `${userid}|${Date.now() + SESSION_HOURS * 3600_000}`, {
        signed: true,
        httpOnly: true,
        sameSite: 'lax',
        overwrite: true,
        secure: ctx.secure,
      })
    } else if (!ctx.cookies.get(SESSION_COOKIE, { signed: true })) {
      // Opened outside the OAuth link: send the member through WeCom's sign-in, which comes back with a code.
      const back = encodeURIComponent(`${deps.publicBaseUrl()}/sidebar`)
      ctx.redirect(
        `https://open.weixin.qq.com/connect/oauth2/authorize?appid=${deps.corpId}&redirect_uri=${back}` +
          `&response_type=code&scope=snsapi_base&agentid=${deps.agentId}#wechat_redirect`,
      )
      return
    }
    ctx.set('content-security-policy', SIDEBAR_POLICY)
    ctx.remove('x-frame-options') // frame-ancestors above says who may frame it
    ctx.type = 'text/html; charset=utf-8'
    ctx.body = sidebarPage()
  })

  router.get('/sidebar/copy.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8'
    ctx.body = sidebarCopyScript()
  })

  router.get('/sidebar/sidebar.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8'
    ctx.body = clientScript
  })

  router.get('/sidebar/wecom-jssdk.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8'
    ctx.set('cache-control', 'public, max-age=86400')
    ctx.body = createReadStream(jssdkBundle)
  })

  /** Signs the sidebar's own URL only: the endpoint must not sign pages of other sites. */
  router.get('/api/sidebar/jssdk-config', async (ctx) => {
    await staffOf(ctx.cookies.get(SESSION_COOKIE, { signed: true }))
    const url = typeof ctx.query.url === 'string' ? ctx.query.url : ''
    if (!url.startsWith(`${deps.publicBaseUrl()}/sidebar`))
      throw new ApiError(400, 'FOREIGN_URL', 'only the sidebar page is signed')
    const [corpTicket, agentTicket] = await Promise.all([
      deps.api.jsapiTicket('corp'),
      deps.api.jsapiTicket('agent'),
    ])
    ctx.body = {
      corpId: deps.corpId,
      agentId: deps.agentId,
      config: getJsApiSignature({ url, ticket: corpTicket }),
      agentConfig: getJsApiSignature({ url, ticket: agentTicket }),
    }
  })

  router.get('/api/sidebar/owner', async (ctx) => {
    const staff = await staffOf(ctx.cookies.get(SESSION_COOKIE, { signed: true }))
    const externalUserId = typeof ctx.query.externalUserId === 'string' ? ctx.query.externalUserId : ''
    if (!externalUserId) throw new ApiError(400, 'MISSING_PARAMETERS', 'externalUserId required')
    const file = await deps.dataSource.transaction((manager) =>
      sidebarFile(manager, staff, externalUserId, deps.now()),
    )
    if (file === 'NOT_AN_OWNER') throw new ApiError(404, 'NOT_AN_OWNER', 'no owner file for this contact')
    if (file === 'NOT_YOURS') throw new ApiError(403, 'NOT_YOURS', 'this owner has another ambassador')
    ctx.body = file
  })

  async function staffOf(session: string | undefined): Promise<StaffMember> {
    const [userid, expires] = (session ?? '').split('|')
    if (!userid || !(Number(expires) > Date.now()))
      throw new ApiError(401, 'NO_SESSION', 'open the sidebar from WeCom')
    const staff = (await activeStaff(deps.dataSource, { wecomUserId: userid })) as StaffMember | null
    if (!staff) throw new ApiError(403, 'NOT_STAFF', 'not a customer-service member')
    return staff
  }

  return router
}
