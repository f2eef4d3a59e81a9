import { emergencyOf } from '../../../src/domain/emergency'

describe('emergency repairs', () => {
  it.each([
    ['厨房燃气泄漏了，味道很大', 'gas'],
    ['家里有煤气味，怎么办', 'gas'],
    ['廚房煤氣味很重', 'gas'],
    ['卫生间水管爆了，水止不住', 'water'],
    ['楼上一直在漏水，我家天花板在往下流水不停', 'water'],
    ['客厅被淹了', 'water'],
    ['全屋停电了，别人家都有电', 'power'],
    ['家里断电了', 'power'],
    ['配电箱冒烟，有焦味', 'power'],
    ['插座打火花', 'power'],
  ])('%s → %s', (text, kind) => {
    expect(emergencyOf(text)).toBe(kind)
  })

  it.each([
    '卫生间插座没有电',
    '水龙头有点滴水',
    '卫生间天花板渗水，已经两天了',
    '门锁坏了',
    '燃气灶打不着火',
  ])('an ordinary repair: %s', (text) => {
    expect(emergencyOf(text)).toBeNull()
  })
})
