import { Transcript } from '../../support/transcript'

describe('complaint dialog', () => {
  it('files a complaint in five answers and tells the owner the case number and ambassador', async () => {
    const chat = new Transcript()
    expect(await chat.send('你好')).toMatch(/张三您好[\s\S]*1\. 我要投诉/)
    expect(await chat.send('1')).toMatch(/请选择投诉类别[\s\S]*1\. 工程质量/)
    expect(await chat.send('工程质量')).toMatch(/问题发生在哪里[\s\S]*翠湖花园 3栋 1201[\s\S]*小区公共区域/)
    expect(await chat.send('1')).toMatch(/请描述具体情况/)
    expect(await chat.send('卫生间天花板渗水，已经两天了')).toMatch(/如有照片，请直接发送/)
    expect(await chat.send({ text: '', media: { kind: 'image', ref: 'media-1' } })).toMatch(
      /已收到第 1 张照片/,
    )
    expect(await chat.send('好了')).toMatch(
      /类别：工程质量\n位置：翠湖花园 3栋 1201\n描述：卫生间天花板渗水，已经两天了\n照片：1 张/,
    )
    const filed = await chat.send('是')
    expect(filed).toMatch(/投诉已登记，工单号 TS20261123-0001/)
    expect(filed).toMatch(/客户大使李娜/)
    expect(chat.services.complaints).toEqual([
      {
        category: '工程质量',
        unitId: 11,
        location: '翠湖花园 3栋 1201',
        projectId: 1,
        publicArea: false,
        description: '卫生间天花板渗水，已经两天了',
        attachments: ['media-1'],
      },
    ])
    expect(chat.activeDialog).toBeNull()
  })

  it('files a public-area complaint against the project of the owner', async () => {
    const chat = new Transcript()
    await chat.send('投诉')
    await chat.send('2')
    await chat.send('小区公共区域')
    await chat.send('地下车库照明坏了一半，晚上很黑')
    await chat.send('跳过')
    await chat.send('确认')
    expect(chat.services.complaints[0]).toMatchObject({
      unitId: null,
      projectId: 1,
      publicArea: true,
      category: '物业服务',
    })
  })

  it('tells the owner when staff will pick the case up outside business hours', async () => {
    const chat = new Transcript()
    chat.staffOpen = false
    for (const input of ['投诉', '1', '1', '门窗关不严，漏风严重', '跳过']) await chat.send(input)
    expect(await chat.send('是')).toMatch(/非工作时间，工作人员将于 11月24日（周二）09:00 开始处理/)
  })

  it('files nothing when the owner says no at the confirmation', async () => {
    const chat = new Transcript()
    for (const input of ['投诉', '1', '1', '门窗关不严，漏风严重', '跳过']) await chat.send(input)
    expect(await chat.send('否')).toMatch(/没有提交/)
    expect(chat.services.complaints).toHaveLength(0)
  })

  it('cancels mid-form with 取消 and keeps nothing', async () => {
    const chat = new Transcript()
    await chat.send('投诉')
    await chat.send('1')
    expect(await chat.send('取消')).toMatch(/已取消当前操作/)
    expect(chat.activeDialog).toBeNull()
    expect(chat.services.complaints).toHaveLength(0)
    // The next message starts afresh rather than continuing the old form.
    expect(await chat.send('你好')).toMatch(/请问需要办理什么/)
  })

  it('re-asks with the reason on wrong input and ends with a way out after three tries', async () => {
    const chat = new Transcript()
    await chat.send('投诉')
    expect(await chat.send('9')).toMatch(/请回复 1 到 6 之间的序号。（还可以再试 2 次）[\s\S]*请选择投诉类别/)
    expect(await chat.send('随便')).toMatch(/还可以再试 1 次/)
    const gaveUp = await chat.send('🙂')
    expect(gaveUp).toMatch(/几次都没能识别您的回复/)
    expect(gaveUp).toMatch(/回复「人工」/)
    expect(chat.activeDialog).toBeNull()
  })

  it('rejects emoji-only and too-short descriptions, keeping the form', async () => {
    const chat = new Transcript()
    for (const input of ['投诉', '1', '1']) await chat.send(input)
    expect(await chat.send('😡😡😡😡😡')).toMatch(/只有表情或符号/)
    expect(await chat.send('漏水')).toMatch(/描述太短了/)
    expect(chat.activeDialog).toBe('complaint')
    expect(await chat.send('卧室墙面大面积开裂')).toMatch(/如有照片/)
    expect(await chat.send('跳过')).toMatch(/请确认投诉内容/)
  })

  it('goes back one question with 返回 and accepts a different answer', async () => {
    const chat = new Transcript()
    await chat.send('投诉')
    await chat.send('1')
    expect(await chat.send('返回')).toMatch(/请选择投诉类别/)
    await chat.send('物业服务')
    await chat.send('1')
    await chat.send('保洁很久没有打扫楼道了')
    await chat.send('跳过')
    await chat.send('是')
    expect(chat.services.complaints[0].category).toBe('物业服务')
  })

  it('answers 帮助 mid-form and repeats the pending question', async () => {
    const chat = new Transcript()
    await chat.send('投诉')
    const help = await chat.send('帮助')
    expect(help).toMatch(/随时回复「菜单」/)
    expect(help).toMatch(/请选择投诉类别/)
    expect(chat.activeDialog).toBe('complaint')
  })

  it('answers an unknown command typed mid-form with the question again', async () => {
    const chat = new Transcript()
    await chat.send('投诉')
    expect(await chat.send('/start')).toMatch(/请回复 1 到 6 之间的序号[\s\S]*请选择投诉类别/)
    expect(chat.activeDialog).toBe('complaint')
  })

  it('hands the conversation to the ambassador with 人工, with the dialog as context', async () => {
    const chat = new Transcript()
    await chat.send('投诉')
    expect(await chat.send('人工')).toMatch(/已通知客户大使李娜/)
    expect(chat.services.handOffs).toEqual(['complaint'])
    expect(chat.activeDialog).toBeNull()
  })

  it('restarts politely when the owner comes back after the idle timeout', async () => {
    const chat = new Transcript({ idleMinutes: 30, maxTries: 3 })
    await chat.send('投诉')
    chat.now = new Date(chat.now.getTime() + 31 * 60_000)
    const reply = await chat.send('1')
    expect(reply).toMatch(/上次的操作已超时/)
    // "1" outside a dialog is menu item 1.
    expect(reply).toMatch(/请选择投诉类别/)
  })
})

describe('photos in a complaint', () => {
  it('takes at most three photos, then moves on by itself', async () => {
    const chat = new Transcript()
    for (const input of ['投诉', '1', '1', '墙面开裂，裂缝越来越长']) await chat.send(input)
    for (const ref of ['a', 'b']) await chat.send({ text: '', media: { kind: 'image', ref } })
    expect(await chat.send({ text: '', media: { kind: 'image', ref: 'c' } })).toMatch(/照片：3 张/)
    await chat.send('是')
    expect(chat.services.complaints[0].attachments).toEqual(['a', 'b', 'c'])
  })

  it('passes a photo sent at a choice to the ambassador and asks the question again', async () => {
    const chat = new Transcript()
    await chat.send('投诉')
    expect(await chat.send({ text: '', media: { kind: 'image', ref: 'x' } })).toMatch(
      /已收到您的图片，已转给您的客户大使查看[\s\S]*请选择投诉类别/,
    )
    expect(chat.activeDialog).toBe('complaint')
  })
})
