import { Transcript } from '../../support/transcript'

const book = async (chat: Transcript) => {
  expect(await chat.send('报修')).toMatch(/请选择报修类别[\s\S]*1\. 防水渗漏/)
  expect(await chat.send('2')).toMatch(/请选择需要维修的房屋/)
  expect(await chat.send('1')).toMatch(/请描述需要维修的情况/)
  expect(await chat.send('厨房水龙头一直滴水')).toMatch(/如有照片/)
  expect(await chat.send('跳过')).toMatch(/请选择上门时间[\s\S]*1\. 11月24日（周二）09:00-12:00/)
}

describe('repair booking dialog', () => {
  it('books a slot, shows the warranty in the confirmation and gives the case number', async () => {
    const chat = new Transcript()
    await book(chat)
    expect(await chat.send('1')).toMatch(
      /类别：水电管线\n房屋：翠湖花园 3栋 1201\n描述：厨房水龙头一直滴水\n上门时间：11月24日（周二）09:00-12:00\n保修：在保修期内（至 2027-06-30），免费维修/,
    )
    expect(await chat.send('是')).toMatch(
      /报修已预约，工单号 BX20261123-0001，上门时间 11月24日（周二）09:00-12:00/,
    )
    expect(chat.services.repairs).toEqual([
      { category: '水电管线', unitId: 11, description: '厨房水龙头一直滴水', attachments: [], slotId: 1 },
    ])
  })

  it('takes gas, water pouring out or power as an emergency: no slot, the on-duty staff, what to do now', async () => {
    const chat = new Transcript()
    await chat.send('报修')
    await chat.send('1')
    await chat.send('1')
    const reply = await chat.send('卫生间水管爆了，水止不住')
    expect(reply).toMatch(/已按紧急报修（大量漏水）登记，工单号 BX20261123-0009。值班人员王值班已收到通知/)
    expect(reply).toMatch(/关闭户内进水总阀/)
    expect(reply).not.toMatch(/照片|上门时间/)
    expect(chat.services.emergencies).toEqual([
      { category: '防水渗漏', unitId: 11, description: '卫生间水管爆了，水止不住', emergency: 'water' },
    ])
    expect(chat.services.repairs).toEqual([])
  })

  it('says a repair is paid when the warranty has expired', async () => {
    const chat = new Transcript()
    chat.services.warranty = { covered: false, reason: 'expired', until: '2025-06-30' }
    await book(chat)
    expect(await chat.send('1')).toMatch(/已超出保修期，本次为有偿维修/)
  })

  it('offers the remaining slots when the chosen one was taken meanwhile', async () => {
    const chat = new Transcript()
    chat.services.takenOnBooking.add(1)
    await book(chat)
    await chat.send('1')
    const retry = await chat.send('是')
    expect(retry).toMatch(
      /刚刚有其他业主约走了这个时间段[\s\S]*请选择上门时间：\n1\. 11月24日（周二）14:00-17:00/,
    )
    await chat.send('1')
    expect(await chat.send('是')).toMatch(/报修已预约/)
    expect(chat.services.repairs.map((r) => r.slotId)).toEqual([2])
  })

  it('hands over to the ambassador when no slot is free', async () => {
    const chat = new Transcript()
    chat.services.slots = []
    await chat.send('报修')
    await chat.send('1')
    await chat.send('1')
    await chat.send('阳台地漏往上返水')
    expect(await chat.send('跳过')).toMatch(/已约满，已为您转客户大使安排/)
    expect(chat.services.handOffs).toEqual(['repair:no-slots'])
  })

  it('refuses repairs before delivery and points to complaints', async () => {
    const chat = new Transcript()
    chat.services.units = [{ unitId: 20, projectId: 1, label: '翠湖花园 2栋 502', deliveredOn: null }]
    expect(await chat.send('报修')).toMatch(/房屋尚未交付/)
    expect(chat.activeDialog).toBeNull()
  })

  it('skips the unit question for an owner with one delivered unit', async () => {
    const chat = new Transcript()
    chat.services.units = [chat.services.units[0]]
    await chat.send('报修')
    expect(await chat.send('1')).toMatch(/请描述需要维修的情况/)
  })
})
