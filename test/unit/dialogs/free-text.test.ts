import { Transcript } from '../../support/transcript'

/** Owners write sentences: each example from the issue, as the owner would see it. */
describe('owners writing sentences instead of menu numbers', () => {
  it('books a repair from “我家卫生间漏水了，能派人来看看吗” without asking category or description again', async () => {
    const chat = new Transcript()
    const opening = await chat.send('我家卫生间漏水了，能派人来看看吗')
    expect(opening).toMatch(/好的，为您登记报修：防水渗漏\n问题：我家卫生间漏水了，能派人来看看吗/)
    expect(opening).not.toMatch(/请选择报修类别|请回复 1 到/)
    expect(opening).toMatch(/请选择需要维修的房屋/) // two units on file: the sentence named none
    await chat.send('1')
    await chat.send('跳过')
    await chat.send('1')
    expect(await chat.send('是')).toMatch(/报修已预约，工单号/)
    expect(chat.services.repairs).toEqual([
      expect.objectContaining({
        category: '防水渗漏',
        unitId: 11,
        description: '我家卫生间漏水了，能派人来看看吗',
      }),
    ])
  })

  it('takes the unit a sentence names, and files a complaint in the category it points to', async () => {
    const chat = new Transcript()
    const opening = await chat.send('1栋101的物业保安态度太差了，我要投诉')
    expect(opening).toMatch(/好的，为您登记投诉：物业服务/)
    expect(opening).toMatch(/如有照片/) // category, place and description all came from the sentence
    await chat.send('跳过')
    await chat.send('是')
    expect(chat.services.complaints).toEqual([
      expect.objectContaining({
        category: '物业服务',
        unitId: 12,
        description: '1栋101的物业保安态度太差了，我要投诉',
      }),
    ])
  })

  it('undoes a wrong guess with one word (不对) and asks instead', async () => {
    const chat = new Transcript()
    expect(await chat.send('3栋1201阳台窗户关不严')).toMatch(/登记报修：门窗五金/)
    expect(await chat.send('不对')).toMatch(/请选择报修类别/)
    expect(chat.activeDialog).toBe('repair')
    await chat.send('1')
    expect(await chat.send('1')).toMatch(/请描述需要维修的情况/) // nothing is taken from the sentence now
  })

  it.each([
    ['交房时间是什么时候', /交房时间以交付通知书为准/],
    ['物业费怎么交', /物业费可在物业服务中心或线上缴纳/],
    ['维修基金怎么交', /维修基金在办理产权时一并缴纳/],
  ])(
    'answers “%s” from the knowledge base, not with the menu or a repair booking',
    async (question, answer) => {
      const chat = new Transcript()
      const reply = await chat.send(question)
      expect(reply).toMatch(answer)
      expect(reply).toMatch(/解决您的问题了吗/)
      expect(reply).not.toMatch(/请回复 1 到|请选择报修类别/)
      expect(await chat.send('是')).toMatch(/很高兴帮到您/)
      expect(chat.services.feedbackGiven).toEqual([expect.objectContaining({ solved: true })])
    },
  )

  it('offers the ambassador when an answer did not help, and reads a new question instead of a yes or no', async () => {
    const chat = new Transcript()
    await chat.send('物业费怎么交')
    expect(await chat.send('没解决')).toMatch(/回复「人工」联系您的客户大使/)
    await chat.send('物业费怎么交')
    // Another question instead of 是/否: answered, not refused.
    expect(await chat.send('那维修基金怎么交')).toMatch(/维修基金在办理产权时一并缴纳/)
  })

  it('answers a question in the middle of a form without counting it as a wrong try, then asks again', async () => {
    const chat = new Transcript()
    await chat.send('投诉')
    for (let i = 0; i < 4; i += 1) {
      const reply = await chat.send('物业费怎么交')
      expect(reply).toMatch(/关于「物业费怎么交？」：物业费可在物业服务中心或线上缴纳/)
      expect(reply).toMatch(/请选择投诉类别/)
      expect(reply).not.toMatch(/还可以再试/)
    }
    expect(chat.activeDialog).toBe('complaint')
  })

  it('offers to switch when another request comes mid-form, and switches on its name', async () => {
    const chat = new Transcript()
    await chat.send('报修')
    expect(await chat.send('我想投诉物业保安态度太差了')).toMatch(
      /您正在办理「预约报修」。如需改办「我要投诉」[\s\S]*请选择报修类别/,
    )
    expect(chat.activeDialog).toBe('repair')
    const switched = await chat.send('我要投诉')
    expect(switched).toMatch(/已结束刚才的「预约报修」[\s\S]*请选择投诉类别/)
    expect(chat.activeDialog).toBe('complaint')
  })

  it.each(['我要人工', '请转人工', '找个真人', '转人工客服'])(
    'hands “%s” to the ambassador, also mid-form',
    async (words) => {
      const outside = new Transcript()
      expect(await outside.send(words)).toMatch(/已通知客户大使李娜/)
      const inside = new Transcript()
      await inside.send('投诉')
      await inside.send('1')
      await inside.send('1')
      expect(await inside.send(words)).toMatch(/已通知客户大使李娜/) // not taken as the description
      expect(inside.services.complaints).toEqual([])
      expect(inside.services.handOffs).toEqual(['complaint'])
    },
  )

  it('says so when it does not understand, and shows what it can do', async () => {
    const chat = new Transcript()
    const reply = await chat.send('今天天气真好')
    expect(reply).toMatch(/没太理解您的意思[\s\S]*请问需要办理什么/)
  })

  it('thanks get a word back, not the menu', async () => {
    const chat = new Transcript()
    expect(await chat.send('谢谢🙏')).toMatch(/不客气/)
  })
})

describe('pictures, voice, video, files and locations', () => {
  it.each([
    ['voice', '语音'],
    ['video', '视频'],
    ['file', '文件'],
    ['image', '图片'],
  ] as const)('acknowledges a %s outside a form and hands it to the ambassador', async (kind, word) => {
    const chat = new Transcript()
    const reply = await chat.send({ text: '', media: { kind, ref: 'm1' } })
    expect(reply).toMatch(new RegExp(`已收到您的${word}[\\s\\S]*已转给您的客户大使李娜`))
    expect(chat.services.handOffs).toEqual([`发来${word}`])
  })

  it('keeps the form going when a voice note comes mid-form, telling the ambassador', async () => {
    const chat = new Transcript()
    await chat.send('投诉')
    const reply = await chat.send({ text: '', media: { kind: 'voice', ref: 'v1' } })
    expect(reply).toMatch(/已收到您的语音，已转给您的客户大使查看[\s\S]*请选择投诉类别/)
    expect(reply).not.toMatch(/还可以再试/)
    expect(chat.services.told).toEqual([expect.stringMatching(/【业主发来语音】张三/)])
    expect(chat.activeDialog).toBe('complaint')
  })
})

describe('an owner’s own data in chat', () => {
  it('shows what is kept (phone masked) on 查看我的信息', async () => {
    const chat = new Transcript()
    const reply = await chat.send('查看我的信息')
    expect(reply).toMatch(/姓名：张三\n手机号：138\*\*\*\*0001\n户号：CUIHU-H0001/)
    expect(reply).toMatch(/同意了个人信息保护说明（2026-12 版）/)
  })

  it('unbinds this WeChat only after a confirmation', async () => {
    const chat = new Transcript()
    expect(await chat.send('解绑')).toMatch(/确认解绑吗/)
    expect(await chat.send('否')).toMatch(/绑定保持不变/)
    expect(chat.services.unbound).toBe(false)
    await chat.send('解除绑定')
    expect(await chat.send('是')).toMatch(/已解除本微信的绑定/)
    expect(chat.services.unbound).toBe(true)
  })
})
