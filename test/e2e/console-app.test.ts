import { PassThrough } from 'node:stream'
import { startApp, type RunningApp } from '../../src/app'
import { loadConfig } from '../../src/config'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { silentLogger } from '../support/harness'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.drop())

function start(stdin: PassThrough, stdout: PassThrough): Promise<RunningApp> {
  const config = loadConfig({ DATABASE_URL: db.url, CONSOLE_CHANNEL: 'on', SEED_DEMO: 'on', PORT: '0' })
  return startApp(config, silentLogger, { stdin, stdout })
}

async function waitFor(read: () => string, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 1000; i += 1) {
    if (pattern.test(read())) return read()
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`timed out waiting for ${pattern}; got:\n${read()}`)
}

describe('the whole app with the console channel', () => {
  it('greets the demo owner with the menu, files a complaint, and survives a restart mid-dialog', async () => {
    let output = ''
    const stdin = new PassThrough()
    const stdout = new PassThrough()
    stdout.on('data', (chunk) => (output += chunk.toString()))
    const app = await start(stdin, stdout)

    const health = await fetch(`${app.adminUrl}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({
      database: { status: 'up', pendingMigrations: false },
    })

    stdin.write('你好\n')
    await waitFor(() => output, /张三您好[\s\S]*1\. 我要投诉/)
    stdin.write('1\n2\n')
    await waitFor(() => output, /问题发生在哪里/)
    stdin.end()
    await app.console?.whenInputEnds()
    await app.shutdown()

    let after = ''
    const stdin2 = new PassThrough()
    const stdout2 = new PassThrough()
    stdout2.on('data', (chunk) => (after += chunk.toString()))
    const restarted = await start(stdin2, stdout2)
    stdin2.write('1\n电梯经常停在半层，很危险\n跳过\n是\n')
    await waitFor(() => after, /投诉已登记，工单号 TS\d{8}-\d{4}/)
    expect(after).toMatch(/类别：物业服务\n位置：翠湖花园 1栋 101/)
    stdin2.end()
    await restarted.console?.whenInputEnds()
    await restarted.shutdown()
  })

  it('answers unknown admin routes with problem+json', async () => {
    const app = await start(new PassThrough(), new PassThrough())
    try {
      const response = await fetch(`${app.adminUrl}/nope`)
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/)
      expect(await response.json()).toMatchObject({ code: 'NOT_FOUND', status: 404 })
    } finally {
      await app.shutdown()
    }
  })

  it('answers the owner’s plain sentences from the issue on the console, as the owner types them', async () => {
    let output = ''
    const stdin = new PassThrough()
    const stdout = new PassThrough()
    stdout.on('data', (chunk) => (output += chunk.toString()))
    const app = await start(stdin, stdout)
    const exchange = async (line: string, expected: RegExp, unexpected?: RegExp) => {
      const from = output.length
      stdin.write(`${line}\n`)
      const reply = (await waitFor(() => output.slice(from), expected)).trim()
      if (unexpected) expect(reply).not.toMatch(unexpected)
      return reply
    }
    try {
      const menu = /请回复 1 到|请问需要办理什么/
      await exchange(
        '我家卫生间漏水了，能派人来看看吗',
        /好的，为您登记报修：防水渗漏[\s\S]*请选择需要维修的房屋/,
        menu,
      )
      await exchange('取消', /已取消当前操作/)
      await exchange('交房时间是什么时候', /2027 年 6 月 30 日前交付[\s\S]*解决您的问题了吗/, menu)
      await exchange('物业费怎么交', /「翠湖生活」小程序[\s\S]*解决您的问题了吗/, menu)
      await exchange('维修基金怎么交', /专项维修资金[\s\S]*解决您的问题了吗/, /请选择报修类别/)
      await exchange('是', /很高兴帮到您/)
      // Inside a form, a question is answered and does not cost a try.
      await exchange('投诉', /请选择投诉类别/)
      await exchange('物业费怎么交', /关于「物业费怎么交？」[\s\S]*请选择投诉类别/, /还可以再试/)
      await exchange('我要人工', /已通知客户大使李娜/)
      await exchange('菜单', /请问需要办理什么/)
      await exchange('请转人工', /已通知客户大使李娜/)
      await exchange('菜单', /请问需要办理什么/)
    } finally {
      stdin.end()
      await app.console?.whenInputEnds()
      await app.shutdown()
    }
  })
})
