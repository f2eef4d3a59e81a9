import { Transcript } from '../../support/transcript'

describe('progress letters dialog', () => {
  it('lists the letters with unread marks and shows the chosen one', async () => {
    const chat = new Transcript()
    chat.services.letters = [
      {
        letterId: 2,
        title: '11月工程进度告知函',
        kind: 'progress',
        publishedAt: '11月20日',
        read: false,
        body: '主体结构已封顶。',
      },
      {
        letterId: 1,
        title: '10月工程进度告知函',
        kind: 'progress',
        publishedAt: '10月20日',
        read: true,
        body: '地下室施工完成。',
      },
    ]
    expect(await chat.send('工程进度告知函')).toMatch(
      /1\. 【未读】11月工程进度告知函（11月20日）\n2\. 10月工程进度告知函/,
    )
    expect(await chat.send('1')).toMatch(/11月工程进度告知函\n\n主体结构已封顶。/)
    expect(chat.services.letters[0].read).toBe(true)
  })

  it('collects the buyer’s answer to a design-change notice, once', async () => {
    const chat = new Transcript()
    chat.services.letters = [
      {
        letterId: 9,
        title: '3栋阳台栏杆变更通知',
        kind: 'design_change',
        publishedAt: '11月21日',
        read: false,
        body: '栏杆样式调整。',
      },
    ]
    await chat.send('工程进度告知函')
    expect(await chat.send('1')).toMatch(/栏杆样式调整。[\s\S]*请告诉我们您的意见[\s\S]*1\. 同意变更/)
    expect(await chat.send('2')).toMatch(/已记录您的意见：「不同意变更」/)
    expect(chat.services.responses).toEqual([{ letterId: 9, response: '不同意变更' }])
    await chat.send('工程进度告知函')
    expect(await chat.send('1')).not.toMatch(/请告诉我们您的意见/)
  })

  it('says so when there are no letters', async () => {
    expect(await new Transcript().send('工程进度')).toMatch(/暂时没有工程进度告知函/)
  })
})

describe('callback survey dialog', () => {
  it('records the score as the number the owner typed, and a comment', async () => {
    const chat = new Transcript()
    chat.services.surveys = [
      { caseNo: 'BX20261120-0001', round: 1, label: 'BX20261120-0001（报修·水电管线）' },
    ]
    expect(await chat.send('满意度回访')).toMatch(
      /请为工单 BX20261120-0001（报修·水电管线） 的处理打分[\s\S]*5\. 非常满意[\s\S]*1\. 很不满意/,
    )
    expect(await chat.send('5')).toMatch(/还有什么想告诉我们的吗/)
    expect(await chat.send('师傅很准时')).toMatch(/感谢您的评价/)
    expect(chat.services.answers).toEqual([{ caseNo: 'BX20261120-0001', score: 5, comment: '师傅很准时' }])
  })

  it('accepts the label, skips the comment, and tells the owner a poor score reopens the case', async () => {
    const chat = new Transcript()
    chat.services.surveys = [
      { caseNo: 'TS20261101-0002', round: 1, label: 'TS20261101-0002（投诉·物业服务）' },
    ]
    await chat.send('回访')
    await chat.send('不满意')
    const reply = await chat.send('跳过')
    expect(reply).toMatch(/工单已重新打开，由客户服务主管陈静亲自跟进/)
    expect(chat.services.answers).toEqual([{ caseNo: 'TS20261101-0002', score: 2, comment: null }])
  })

  it('re-asks an out-of-range score', async () => {
    const chat = new Transcript()
    chat.services.surveys = [{ caseNo: 'TS1', round: 1, label: 'TS1' }]
    await chat.send('回访')
    expect(await chat.send('6')).toMatch(/请回复 1 到 5 的数字，5 表示非常满意/)
  })

  it('has nothing to ask when no case awaits a callback', async () => {
    expect(await new Transcript().send('回访')).toMatch(/没有待评价的工单/)
  })
})

describe('case follow-up from the case list', () => {
  const withCase = () => {
    const chat = new Transcript()
    chat.services.cases = [
      {
        caseNo: 'TS20261120-0003',
        kind: 'complaint',
        category: '工程质量',
        status: 'open',
        createdAt: '11月20日（周五）10:00',
      },
    ]
    return chat
  }

  it('adds a note to an open case', async () => {
    const chat = withCase()
    await chat.send('工单')
    expect(await chat.send('1')).toMatch(/工单 TS20261120-0003（投诉·工程质量）[\s\S]*1\. 补充说明/)
    await chat.send('补充说明')
    expect(await chat.send('今天漏得更厉害了')).toMatch(/已将补充内容记入工单 TS20261120-0003/)
    expect(chat.services.notes).toEqual(['今天漏得更厉害了'])
  })

  it('escalates a complaint to the group centre after confirmation', async () => {
    const chat = withCase()
    await chat.send('工单')
    await chat.send('1')
    await chat.send('2')
    await chat.send('分公司两周都没有回复我')
    expect(await chat.send('是')).toMatch(/已升级到集团客户关系中心/)
    expect(chat.services.escalations).toEqual(['TS20261120-0003'])
  })
})
