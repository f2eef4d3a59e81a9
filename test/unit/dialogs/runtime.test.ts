import { defineDialog } from '../../../src/dialogs/runtime/dialog'
import { accept, reject } from '../../../src/dialogs/runtime/parse'
import { renderAsText } from '../../../src/dialogs/runtime/messages'
import { runTurn, stepBack } from '../../../src/dialogs/runtime/runner'

const calls: string[] = []
const survey = defineDialog<null>({ id: 'probe', version: 1 }, async (d) => {
  const name = await d.ask('名字？', (s) => (s.length > 0 ? accept(s) : reject('不能为空')))
  const lookedUp = await d.run('lookup', async () => {
    calls.push(name)
    return `${name}!`
  })
  d.say(`你好 ${lookedUp}`)
  const age = await d.ask('年龄？', (s) => (/^\d+$/.test(s) ? accept(Number(s)) : reject('请填数字')))
  d.say(`记下了 ${age}`)
})

const texts = (result: { outgoing: Parameters<typeof renderAsText>[0][] }) =>
  result.outgoing.map(renderAsText)

describe('replay runtime', () => {
  beforeEach(() => calls.splice(0))

  it('says each message once across turns and runs each effect once', async () => {
    const opts = { maxTries: 3 }
    const first = await runTurn(survey, null, null, null, opts)
    expect(texts(first)).toEqual(['名字？'])
    const second = await runTurn(survey, first.state, { text: '小王' }, null, opts)
    expect(texts(second)).toEqual(['你好 小王!', '年龄？'])
    const third = await runTurn(survey, JSON.parse(JSON.stringify(second.state)), { text: '30' }, null, opts)
    expect(texts(third)).toEqual(['记下了 30'])
    expect(third.outcome).toBe('finished')
    expect(calls).toEqual(['小王'])
  })

  it('steps back to the last accepted answer, dropping the effects after it', async () => {
    const opts = { maxTries: 3 }
    const a = await runTurn(survey, null, null, null, opts)
    const b = await runTurn(survey, a.state, { text: '小王' }, null, opts)
    const c = await runTurn(survey, b.state, { text: 'abc' }, null, opts)
    expect(texts(c)[0]).toMatch(/请填数字/)
    const back = stepBack(c.state!)
    expect(back.log).toEqual([])
    const again = await runTurn(survey, back, null, null, opts)
    expect(texts(again)).toEqual(['名字？'])
  })
})
