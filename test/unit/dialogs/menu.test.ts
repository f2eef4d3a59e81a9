import { Transcript } from '../../support/transcript'

describe('main menu', () => {
  it('greets a first message with the menu of services', async () => {
    const reply = await new Transcript().send('你好')
    for (const item of ['我要投诉', '预约报修', '工程进度告知函', '满意度回访', '联系客户大使']) {
      expect(reply).toContain(item)
    }
  })

  it('shows the ambassador card', async () => {
    const chat = new Transcript()
    await chat.send('菜单')
    expect(await chat.send('5')).toMatch(/您的客户大使：李娜，电话 13900000001/)
  })

  it('lists the household cases, or says there are none', async () => {
    const chat = new Transcript()
    expect(await chat.send('查询我的工单')).toMatch(/没有工单记录/)
    chat.services.cases = [
      {
        caseNo: 'TS20261120-0003',
        kind: 'complaint',
        category: '工程质量',
        status: 'in_progress',
        createdAt: '11月20日（周五）10:00',
      },
    ]
    expect(await chat.send('6')).toMatch(/TS20261120-0003｜投诉·工程质量｜处理中/)
  })

  it('understands full-width digits', async () => {
    const chat = new Transcript()
    await chat.send('菜单')
    expect(await chat.send('１')).toMatch(/请选择投诉类别/)
  })

  it('says there is nothing to cancel outside a dialog', async () => {
    expect(await new Transcript().send('取消')).toMatch(/当前没有进行中的操作/)
  })
})
