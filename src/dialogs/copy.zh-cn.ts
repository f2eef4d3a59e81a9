/**
 * Every sentence an owner reads, in one place, so that the service team can review the tone and a
 * translation or a brand voice is one file's work. Templates are functions of plain values.
 */
export const copy = {
  // Runtime
  menuFooter: '请回复序号。随时可回复「菜单」「返回」「取消」「人工」或「帮助」。',
  confirmHint: '回复「是」确认，「否」放弃。',
  yesWords: ['是', '是的', '确认', '确定', '好', '好的', '对', '提交', 'y', 'yes', 'ok', '1'],
  noWords: ['否', '不', '不是', '不用', '放弃', '不对', 'n', 'no', '2'],
  yesOrNo: '请回复「是」或「否」。',
  pickFromList: (count: number) => `请回复 1 到 ${count} 之间的序号。`,
  tryAgain: (reason: string, failures: number, maxTries: number) =>
    `${reason}（还可以再试 ${maxTries - failures} 次）`,
  tooManyTries:
    '抱歉，几次都没能识别您的回复，本次操作已结束。您可以回复「菜单」重新开始，或回复「人工」由您的客户大使为您处理。',

  // Global commands
  cancelled: '已取消当前操作，您填写的内容没有提交。回复「菜单」可重新开始。',
  nothingToCancel: '当前没有进行中的操作。回复「菜单」查看可办理的事项。',
  nothingToGoBackTo: '已经是第一步了。',
  help: '安居客服可以为您：登记投诉、预约报修、查看工程进度告知函、填写回访满意度、联系您的客户大使。\n随时回复「菜单」回到主菜单，「返回」回到上一步，「取消」放弃当前操作，「人工」转给您的客户大使。',
  sessionExpired: '您上次的操作已超时，未提交的内容没有保存。我们重新开始吧。',
  dialogUpdated: '服务流程刚刚更新过，为避免出错，请重新开始本次操作。',
  somethingWentWrong: '抱歉，系统刚才出了点问题，您的消息已记录。请稍后再试，或回复「人工」联系客户大使。',
  tooLong: (max: number) => `您的消息太长了（超过 ${max} 字），请分几条发送，或精简后再发。`,
  emptyMessage: '没有收到文字内容。请用文字回复，或回复「菜单」查看可办理的事项。',
  unsupportedMedia: '暂时只能识别文字消息。请用文字描述，或回复「人工」联系客户大使。',

  // Main menu
  greeting: (name: string) => `${name}您好，这里是安居业主服务。请问需要办理什么？`,
  menuItems: {
    complaint: '我要投诉',
    repair: '预约报修',
    letters: '工程进度告知函',
    survey: '满意度回访',
    ambassador: '联系客户大使',
    cases: '查询我的工单',
  },
  notYetAvailable: (what: string) =>
    `「${what}」正在上线中，暂不能在这里办理。您可以回复「人工」，由客户大使为您处理。`,

  // Unbound identities
  notBound:
    '您好，这里是安居业主服务。您的微信还没有绑定房产信息，暂时无法办理业务。请联系您的客户大使完成绑定。',

  // Complaint
  complaint: {
    pickCategory: '请选择投诉类别：',
    pickLocation: '问题发生在哪里？',
    publicArea: '小区公共区域',
    describe: '请描述具体情况（时间、位置、现象等，5 到 500 字）：',
    tooShort: '描述太短了，请至少写 5 个字，说明发生了什么。',
    tooLongDescription: '描述请控制在 500 字以内。',
    needsWords: '请用文字描述问题，只有表情或符号我们无法判断情况。',
    summary: (category: string, location: string, description: string) =>
      `请确认投诉内容：\n类别：${category}\n位置：${location}\n描述：${description}`,
    notFiled: '好的，这条投诉没有提交。回复「菜单」可重新开始。',
    filed: (caseNo: string, ambassador: string | null) =>
      `投诉已登记，工单号 ${caseNo}。` +
      (ambassador
        ? `您的客户大使${ambassador}会在 24 个工作小时内答复您。`
        : '客户服务中心会在 24 个工作小时内答复您。') +
      '可随时回复「菜单」→「查询我的工单」查看进度。',
    outsideHours: (opensAt: string) => `现在是非工作时间，工作人员将于 ${opensAt} 开始处理。`,
  },

  // Cases
  cases: {
    none: '您目前没有工单记录。',
    header: '您最近的工单：',
    line: (caseNo: string, kind: string, category: string, status: string, createdAt: string) =>
      `${caseNo}｜${kind}·${category}｜${status}｜${createdAt}`,
  },
  caseKinds: { complaint: '投诉', repair: '报修', alert: '预警' } as Record<string, string>,
  caseStatuses: {
    open: '已受理',
    accepted: '已接单',
    in_progress: '处理中',
    waiting_owner: '待您回复',
    resolved: '已解决',
    closed: '已关闭',
    reopened: '重新处理中',
  } as Record<string, string>,

  // Ambassador
  ambassador: {
    none: '您的客户大使正在安排中，客户服务中心会尽快与您联系。',
    card: (name: string, phone: string) => `您的客户大使：${name}${phone ? `，电话 ${phone}` : ''}。`,
    handedOff: (name: string) =>
      `已通知客户大使${name}，稍后会直接与您联系。在此之前您仍可回复「菜单」自助办理。`,
  },
} as const

export type Copy = typeof copy
