import Router from '@koa/router'
import type { DataSource } from 'typeorm'
import type { Clock } from '../../clock'
import { mediaById } from '../../db/media-queries'
import { linkIsValid, LINK_SECONDS, type MediaVariant } from '../../services/media/media-links'
import type { MediaStore } from '../../services/media/media-store'
import { ApiError } from '../middleware/error-handler'

/** Shown in the page (pictures, voice, video); anything else is downloaded, never rendered. */
const INLINE = /^(image|audio|video)\//

/**
 * Owners' media behind the short-lived signed links the API hands to staff who may see them. The link is
 * the permission (checked when it was issued); here only its signature and expiry are checked. Served
 * as the type sniffed from the bytes, never run: nosniff, a sandboxing policy, no caching by proxies.
 */
export function mediaRouter(deps: { dataSource: DataSource; store: MediaStore; now: Clock }): Router {
  const router = new Router()
  router.get('/media/:id', async (ctx) => {
    const id = Number(ctx.params.id)
    const variant = ctx.query.v === 'thumb' ? 'thumb' : ('full' as MediaVariant)
    const link = { id, variant, expires: Number(ctx.query.exp), sig: String(ctx.query.sig ?? '') }
    if (!Number.isSafeInteger(id) || !(await linkIsValid(deps.dataSource, link, deps.now())))
      throw new ApiError(
        403,
        'LINK_INVALID',
        'This link is not valid or has expired; open the file again from the console',
      )
    const file = await mediaById(deps.dataSource, id)
    const key = variant === 'thumb' ? file?.thumbnailKey : file?.storageKey
    const bytes = file?.status === 'stored' && key ? await deps.store.get(key) : null
    if (!file || !bytes) throw new ApiError(404, 'NOT_FOUND', 'No such file')
    const type = variant === 'thumb' ? 'image/jpeg' : (file.contentType ?? 'application/octet-stream')
    ctx.set('cache-control', `private, max-age=${LINK_SECONDS}`)
    ctx.set('x-content-type-options', 'nosniff')
    ctx.set('content-security-policy', "default-src 'none'; sandbox")
    ctx.set('content-disposition', INLINE.test(type) ? 'inline' : `attachment; filename="anju-${id}"`)
    ctx.type = type
    ctx.body = bytes
  })
  return router
}
