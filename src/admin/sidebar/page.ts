import { copy } from '../../copy'

/**
 * Scripts only from this server and none inline. Frames and connections are left open: the JS-SDK
 * opens WeCom's own frames (open.work.weixin.qq.com) inside the client.
 */
/** WeCom's web client may frame the sidebar; nothing else may. */
export const SIDEBAR_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  'frame-ancestors https://work.weixin.qq.com https://*.work.weixin.qq.com',
].join('; ')

/** The labels the sidebar's script uses, as a script of their own. */
export function sidebarCopyScript(): string {
  return `window.ANJU_COPY = ${JSON.stringify(copy.sidebar)}`
}

/** The sidebar's HTML: the Chinese labels travel as data, the script renders. */
export function sidebarPage(): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${copy.sidebar.title}</title>
<style>
  body { font: 14px/1.5 -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; padding: 12px; color: #1f2329; }
  h1 { font-size: 18px; margin: 0; } h2 { font-size: 14px; margin: 16px 0 4px; color: #646a73; }
  ul { list-style: none; margin: 0; padding: 0; } li { padding: 6px 0; border-bottom: 1px solid #eee; }
  .meta, .note { color: #8f959e; margin: 2px 0; } .overdue { color: #d83931; } .error { color: #d83931; }
  .due { color: #8f959e; } .overdue .due { color: #d83931; font-weight: 600; }
  li.reply p { margin: 2px 0 4px; color: #4e5969; white-space: pre-wrap; } li.reply button { font: inherit; }
  img.thumb { display: block; max-width: 100%; max-height: 96px; margin-top: 4px; border-radius: 4px; }
</style>
</head>
<body>
<main id="app"><p class="note">${copy.sidebar.loading}</p></main>
<script src="/sidebar/copy.js"></script>
<script src="/sidebar/wecom-jssdk.js"></script>
<script src="/sidebar/sidebar.js"></script>
</body>
</html>`
}
