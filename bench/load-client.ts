/**
 * The benchmark's HTTP client, run in its own process so that it does not share the event loop of the
 * server it measures. Told what to send on its command line (JSON), it sends from `concurrency`
 * keep-alive connections for `seconds` and reports the count of 200 answers on stdout.
 */
import http from 'node:http'
import { CallbackCrypto } from '../src/channels/wecom/callback-crypto'
import { buildWeComXml } from '../src/channels/wecom/xml'

export interface LoadPlan {
  url: string
  seconds: number
  concurrency: number
  /** Absent: plain GETs. Present: encrypted WeCom app callbacks, each with a new MsgId. */
  callback?: { corpId: string; token: string; aesKey: string; senders: number }
}

function sealedCallback(plan: NonNullable<LoadPlan['callback']>, crypto: CallbackCrypto, n: number) {
  const timestamp = String(Math.floor(Date.now() / 1000))
  const inner = buildWeComXml({
    ToUserName: plan.corpId,
    FromUserName: `staff-${n % plan.senders}`,
    CreateTime: Number(timestamp),
    MsgType: 'text',
    Content: '帮助',
    MsgId: `${process.pid}${String(n).padStart(9, '0')}`,
    AgentID: 1,
  })
  const sealed = crypto.seal(inner, timestamp, 'n')
  return {
    query: `?msg_signature=${sealed.signature}&timestamp=${timestamp}&nonce=n`,
    body: buildWeComXml({ ToUserName: plan.corpId, Encrypt: sealed.ciphertext }),
  }
}

async function run(plan: LoadPlan): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: plan.concurrency })
  const crypto = plan.callback
    ? new CallbackCrypto(plan.callback.token, plan.callback.aesKey, plan.callback.corpId)
    : null
  const deadline = performance.now() + plan.seconds * 1000
  let sent = 0
  let ok = 0
  const once = () =>
    new Promise<void>((resolve, reject) => {
      sent += 1
      const request = crypto && plan.callback ? sealedCallback(plan.callback, crypto, sent) : null
      const req = http.request(
        plan.url + (request?.query ?? ''),
        { agent, method: request ? 'POST' : 'GET' },
        (res) => {
          if (res.statusCode === 200) ok += 1
          res.resume().on('end', resolve).on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(request?.body)
    })
  await Promise.all(
    Array.from({ length: plan.concurrency }, async () => {
      while (performance.now() < deadline) await once()
    }),
  )
  agent.destroy()
  return ok / plan.seconds
}

if (require.main === module) {
  run(JSON.parse(process.argv[2]) as LoadPlan).then(
    (perSecond) => process.stdout.write(JSON.stringify({ perSecond })),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
