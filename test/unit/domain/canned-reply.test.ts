import { fillCannedReply, unknownPlaceholders } from '../../../src/domain/canned-reply'

describe('canned reply placeholders', () => {
  it('finds placeholders nobody can fill, once each, and ignores braces that are not placeholders', () => {
    expect(unknownPlaceholders('{业主}您好，{业主名}，{业主名}，{地址}')).toEqual(['业主名', '地址'])
    expect(unknownPlaceholders('JSON 示例 { "a": 1 } 与 {} 不算占位符')).toEqual([])
  })

  it('fills what the conversation knows and a neutral word for what it lacks', () => {
    const body = '{业主}您好，我是{项目}客户大使{客户大使}，电话{大使电话}。'
    expect(
      fillCannedReply(body, { 业主: '张三', 项目: '翠湖花园', 客户大使: '李娜', 大使电话: '13900000001' }),
    ).toBe('张三您好，我是翠湖花园客户大使李娜，电话13900000001。')
    expect(fillCannedReply(body, { 业主: null })).toBe('业主您好，我是项目客户大使客户大使，电话客服热线。')
  })
})
