import type { Middleware } from 'koa'

/**
 * Headers every answer carries, errors included (this runs before the error handler): no MIME sniffing,
 * no referrer leaving the site, no framing unless a page says otherwise (the sidebar allows WeCom),
 * and a locked-down policy for anything that is not a page. Over HTTPS browsers are told to stay on it.
 */
export function securityHeaders(): Middleware {
  return async function securityHeadersMiddleware(ctx, next) {
    ctx.set('x-content-type-options', 'nosniff')
    ctx.set('referrer-policy', 'no-referrer')
    ctx.set('x-frame-options', 'DENY')
    ctx.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
    ctx.set('cross-origin-opener-policy', 'same-origin')
    if (ctx.secure) ctx.set('strict-transport-security', 'max-age=31536000; includeSubDomains')
    await next()
  }
}
