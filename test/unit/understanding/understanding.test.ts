import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DICTIONARY_FILE, trimmedDictionary } from '../../../scripts/jieba-dict'
import { simplificationTable, TABLE_FILE } from '../../../scripts/t2s-table'
import { normalizeUtterance } from '../../../src/understanding/normalize'
import { readCorpus } from '../../../scripts/nlu-corpus'
import { evaluate } from '../../../src/understanding/evaluation'
import { trainFromCorpus } from '../../../src/understanding/training'
import { understandOffline } from '../../../src/understanding/understand'

describe('the offline reader of owners’ free text', () => {
  it('reads the held-out evaluation set at the targets: ≥95% intents, ≥90% categories', () => {
    const report = evaluate(readCorpus('eval'))
    expect(report.messages).toBeGreaterThanOrEqual(300)
    expect(report.intentAccuracy).toBeGreaterThanOrEqual(0.95)
    expect(report.categoryAccuracy).toBeGreaterThanOrEqual(0.9)
    // Every intent is both found and not over-predicted.
    for (const row of report.perIntent) expect(row.recall).toBeGreaterThan(0.6)
  })

  it('is evaluated on sentences it never trained on', () => {
    const trained = new Set(readCorpus('train').map((example) => example.text))
    expect(readCorpus('eval').filter((example) => trained.has(example.text))).toEqual([])
  })

  it('ships the traditional-to-simplified table opencc-js gives (npm run nlu:t2s)', () => {
    const shipped = JSON.parse(readFileSync(TABLE_FILE, 'utf8'))
    expect(simplificationTable()).toEqual(shipped)
    expect(normalizeUtterance('維修基金怎麼交？電梯壞了')).toBe('维修基金怎么交?电梯坏了')
  })

  it('ships the jieba dictionary its corpus keeps (npm run nlu:dict, then nlu:train, after editing nlu/train.tsv)', () => {
    expect(trimmedDictionary() === readFileSync(DICTIONARY_FILE, 'utf8')).toBe(true)
  })

  it('ships the model its corpus trains (npm run nlu:train after editing nlu/train.tsv)', () => {
    const shipped = JSON.parse(readFileSync(join(__dirname, '../../../src/understanding/model.json'), 'utf8'))
    expect(trainFromCorpus(readCorpus('train'))).toEqual(shipped)
  })

  it.each([
    ['我家卫生间漏水了，能派人来看看吗', 'repair', '防水渗漏'],
    ['維修基金怎麼交', 'question', null],
    ['交房时间是什么时候', 'question', null],
    ['物业费怎么交', 'question', null],
    ['请转人工', 'human', null],
    ['我要人工', 'human', null],
    ['人工费多少钱', 'question', null],
    ['家里跳闸了　插座都没电', 'repair', '水电管线'],
    ['暖气漏水了', 'repair', '供暖空调'],
    ['我想约个师傅上门', 'repair', null],
    ['物业保安态度太差了我要投诉', 'complaint', '物业服务'],
    ['我的报修啥时候来人', 'case_status', null],
    ['我们楼盖到几层了', 'letters', null],
    ['谢谢🙏', 'greeting', null],
  ])('reads “%s” as %s (%s)', (text, intent, category) => {
    const read = understandOffline(text)
    expect(read.intent).toBe(intent)
    expect(read.category).toBe(category)
  })

  it('keeps the owner’s sentence as the description only when it says more than the request’s name', () => {
    expect(understandOffline('卧室墙皮一块块往下掉').description).toBe('卧室墙皮一块块往下掉')
    expect(understandOffline('我要报修').description).toBeNull()
    expect(understandOffline('投诉').description).toBeNull()
  })
})
