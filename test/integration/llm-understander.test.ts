import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { LlmUnderstander } from '../../src/services/understanding/llm-understander'

/**
 * The optional LLM reader against a fake OpenAI-compatible server on loopback: what it is sent, what it
 * makes of the answer, and that the offline reader answers whenever the provider fails.
 */
let server: Server
let baseUrl: string
const requests: {
  headers: IncomingMessage['headers']
  body: { model: string; messages: { role: string; content: string }[] }
}[] = []
let reply: (body: unknown) => { status: number; body: unknown; delayMs?: number } = () => ({
  status: 500,
  body: {},
})

beforeAll(async () => {
  server = createServer((request, response) => {
    let raw = ''
    request.on('data', (chunk) => (raw += chunk))
    request.on('end', () => {
      const body = JSON.parse(raw)
      requests.push({ headers: request.headers, body })
      const answer = reply(body)
      setTimeout(() => {
        response.writeHead(answer.status, { 'content-type': 'application/json' })
        response.end(JSON.stringify(answer.body))
      }, answer.delayMs ?? 0)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
})
afterAll(() => new Promise((resolve) => server.close(resolve)))
beforeEach(() => (requests.length = 0))

const completion = (content: string) => ({
  status: 200,
  body: { choices: [{ message: { role: 'assistant', content } }] },
})

function reader(timeoutMs = 1000) {
  const fallbacks: string[] = []
  const understander = new LlmUnderstander(
    { baseUrl, apiKey: 'sk-test', model: 'qwen-plus', timeoutMs },
    (reason) => fallbacks.push(reason),
  )
  return { understander, fallbacks }
}

describe('the LLM reader (optional, OpenAI-compatible)', () => {
  it('uses the model’s reading and sends only the redacted message text', async () => {
    reply = () => completion('{"intent":"repair","category":"门窗五金"}')
    const { understander, fallbacks } = reader()
    const read = await understander.understand('3栋1201的推拉门卡住了，电话13812345678')
    expect(read).toMatchObject({
      intent: 'repair',
      category: '门窗五金',
      description: '3栋1201的推拉门卡住了，电话13812345678',
    })
    expect(fallbacks).toEqual([])
    const [sent] = requests
    expect(sent.headers.authorization).toBe('Bearer sk-test')
    expect(sent.body.model).toBe('qwen-plus')
    const user = sent.body.messages.find((m) => m.role === 'user')!.content
    expect(user).toBe('[房号]的推拉门卡住了,电话[手机号]')
    expect(JSON.stringify(sent.body)).not.toMatch(/13812345678|1201/)
  })

  it('drops a category that is not one of ours', async () => {
    reply = () => completion('```json\n{"intent":"complaint","category":"态度问题"}\n```')
    const read = await reader().understander.understand('你们的客服态度太差了')
    expect(read).toMatchObject({ intent: 'complaint', category: null })
  })

  it.each([
    ['a timeout', () => ({ ...completion('{"intent":"question"}'), delayMs: 400 })],
    ['an HTTP error', () => ({ status: 503, body: { error: 'overloaded' } })],
    ['an answer that is not the JSON asked for', () => completion('这是一条报修')],
    ['an intent we do not have', () => completion('{"intent":"chitchat"}')],
  ])('falls back to the offline reader on %s', async (_what, answer) => {
    reply = answer
    const { understander, fallbacks } = reader(150)
    expect(await understander.understand('我家卫生间漏水了')).toMatchObject({
      intent: 'repair',
      category: '防水渗漏',
    })
    expect(fallbacks).toHaveLength(1)
  })

  it('never asks the model about 人工', async () => {
    reply = () => completion('{"intent":"greeting"}')
    expect((await reader().understander.understand('请转人工')).intent).toBe('human')
    expect(requests).toHaveLength(0)
  })
})
