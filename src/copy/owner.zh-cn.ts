/**
 * Every sentence an owner reads, in one place, so that the service team can review the tone and a
 * translation or a brand voice is one file's work. Templates are functions of plain values.
 */
export const ownerCopy = {
  // Runtime
  menuFooter: '请回复序号。随时可回复「菜单」「返回」「取消」「人工」或「帮助」。',

  confirmHint: '回复「是」确认，「否」放弃。',

  yesWords: ['是', '是的', '确认', '确定', '好', '好的', '对', '提交', 'y', 'yes', 'ok', '1'],

  noWords: ['否', '不', '不是', '不用', '放弃', '不对', 'n', 'no', '2'],

  yesOrNo: '请回复「是」或「否」。',

  pickFromList: (count: number) => `请回复 1 到 ${count} 之间的序号。`,

  tryAgain: (reason: string, failures: number, maxTries: number) =>
    `${reason}（还可以再试 ${maxTries - failures} 次）`,

  textExpected: '这一步需要文字回复。',

  anythingElse: '好的。如需办理其他事项，回复「菜单」。',

  photosDoneWords: ['好了', '好', '完成', '发完了', '跳过', '没有', '无', '不用'],

  photoReceived: (count: number, max: number) =>
    `已收到第 ${count} 张照片（最多 ${max} 张）。继续发送，或回复「好了」进入下一步。`,

  photosOrDone: '请发送照片，或回复「好了」/「跳过」进入下一步。',

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

  // Free text: what the bot understood, and messages that are not answers to the question asked
  understood: {
    repair: (category: string, description: string | null) =>
      `好的，为您登记报修：${category}` +
      (description ? `\n问题：${description}` : '') +
      '\n（理解有误请回复「不对」重新选择）',
    complaint: (category: string, description: string | null) =>
      `好的，为您登记投诉：${category}` +
      (description ? `\n内容：${description}` : '') +
      '\n（理解有误请回复「不对」重新选择）',
    wrongWords: ['不对', '错了', '不是这个', '选错了'],
  },

  youAreWelcome: '不客气，有需要随时找我。回复「菜单」查看可办理的事项。',

  /** Said when an owner asks for something else in the middle of a dialog. */
  switchOffer: (current: string, next: string) =>
    `您正在办理「${current}」。如需改办「${next}」，请直接回复「${next}」；也可以继续回答下面的问题。`,

  switched: (previous: string) => `已结束刚才的「${previous}」，未提交的内容没有保存。`,

  /** Before the pending question is asked again, after an aside. */
  backToQuestion: '我们继续刚才的步骤：',

  mediaKinds: { image: '图片', voice: '语音', video: '视频', file: '文件', location: '位置' },

  media: {
    handedOff: (kind: string, ambassador: string) =>
      `已收到您的${kind}。机器人暂时看不懂${kind}，已转给您的客户大使${ambassador}，TA 会在这里回复您。回复「菜单」可继续自助办理。`,
    handedOffAfterHours: (kind: string, ambassador: string, opensAt: string) =>
      `已收到您的${kind}，已转给您的客户大使${ambassador}。现在是非工作时间，TA 将于 ${opensAt} 起回复您；紧急情况请拨打物业服务中心电话。回复「菜单」可继续自助办理。`,
    noAmbassador: (kind: string) =>
      `已收到您的${kind}。您暂未分配客户大使，我们已转给客户服务中心，工作人员会尽快回复您。`,
    inDialog: (kind: string) => `已收到您的${kind}，已转给您的客户大使查看。请按下面的提示继续：`,
  },

  knowledge: {
    askWhat: '请问您想了解什么？可以直接输入问题，例如「物业费怎么交」。',
    solved: '这个回答解决您的问题了吗？回复「是」或「否」。',
    solvedWords: ['是', '是的', '解决了', '有用', '有帮助', '好的', '好', '明白了', '知道了', '谢谢', '对'],
    unsolvedWords: ['否', '不', '没有', '没', '没解决', '没用', '不是', '不对', '不行'],
    didYouMean: '您想问的是下面哪一个？',
    noneOfThese: '都不是',
    glad: '很高兴帮到您！还有其他问题可以直接问我。',
    notSolved: '抱歉没能帮到您。回复「人工」联系您的客户大使，或换个说法再问一次。',
    notSolvedStranger: '抱歉没能帮到您。回复「人工」联系客服人员，或换个说法再问一次。',
    none: '抱歉，这个问题我暂时答不上来，已记录下来供工作人员补充。您可以换个说法再问，或回复「人工」联系客户大使。',
    notUnderstood:
      '抱歉，我没太理解您的意思。您可以换个说法，或从下面选择要办理的事项；回复「人工」联系客户大使。',
    notUnderstoodStranger:
      '抱歉，我没太理解您的意思。您可以直接提问（例如「物业费怎么交」），回复「人工」联系客服人员；业主回复「绑定」核对身份后即可办理业务。',
    noneStranger:
      '抱歉，这个问题我暂时答不上来，已记录下来供工作人员补充。您可以换个说法再问，回复「人工」联系客服人员；业主回复「绑定」核对身份后即可办理报修、投诉等业务。',
    /** An answer given in the middle of a dialog, before its question is asked again. */
    aside: (question: string, answer: string) => `关于「${question}」：${answer}`,
    asideNone: '这个问题我暂时答不上来，稍后可回复「人工」联系客户大使。',
  },

  privacy: {
    myDataWords: ['查看我的信息', '我的信息', '个人信息', '我的资料', '查看个人信息'],
    unbindWords: ['解绑', '解除绑定', '取消绑定'],
    myData: (d: {
      name: string
      maskedPhone: string
      householdCode: string
      units: string[]
      ambassador: string | null
      accounts: number
      cases: number
      consent: { version: string; at: string } | null
    }) =>
      [
        '我们保存的您的信息：',
        `姓名：${d.name}`,
        `手机号：${d.maskedPhone}`,
        `户号：${d.householdCode}`,
        `房屋：${d.units.join('；') || '—'}`,
        `客户大使：${d.ambassador ?? '安排中'}`,
        `绑定的微信账号：${d.accounts} 个`,
        `您提交的工单：${d.cases} 条`,
        d.consent ? `您于 ${d.consent.at} 同意了个人信息保护说明（${d.consent.version} 版）` : '',
        '聊天记录保存 1 年，照片等文件保存 3 年。如需更正、复制或删除您的信息，请回复「人工」或联系客户服务中心；回复「解绑」可解除本微信的绑定。',
      ]
        .filter(Boolean)
        .join('\n'),
    confirmUnbind:
      '解绑后，这个微信将不能再查看您房屋的工单和函件，也不会再收到通知；您的业主档案和工单记录保留。确认解绑吗？',
    keptBound: '好的，绑定保持不变。',
    unbound: '已解除本微信的绑定，相关同意已撤回。如需再次使用，回复「绑定」重新核对即可。',
    notBound: '您尚未绑定业主身份，我们只保存了您与本服务的聊天记录（保存 1 年）。如需删除，请回复「人工」。',
  },

  stranger: {
    bindWords: ['绑定', '认证', '核对身份', '业主认证', '我是业主'],
    needsBinding: (service: string) => `办理「${service}」需要先核对您的业主身份（只需一次）。`,
    handedOff: '已为您转接客服人员，工作时间内会尽快在这里回复您。回复「菜单」可回到自助服务。',
    noCentre: '暂时没有客服人员在线，请致电楼盘客户服务中心，或稍后再试。',
  },

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

  // Binding a WeChat identity to a household file
  bind: {
    welcome:
      '您好，这里是安居业主服务。业主首次使用需要核对房产信息（只需一次）；也可以直接提问（例如「物业费怎么交」），或回复「人工」联系客服人员。',
    privacyNotice:
      '【个人信息保护提示】为核对您的业主身份，我们需要您提供购房时登记的手机号和房号，仅用于与购房档案比对。核对后，我们会保存您的微信标识和聊天记录，用于为您办理报修、投诉、推送工程进度和回访，不会用于其他用途或提供给无关第三方。聊天记录保存 1 年，照片等文件保存 3 年，到期删除。您可随时回复「查看我的信息」了解我们保存的信息，回复「解绑」解除绑定，或联系客户服务中心更正、删除。',
    consentHint: '同意请回复「同意」，不同意请回复「不同意」（不影响您直接提问或回复「人工」）。',
    agreeWords: ['同意', '我同意', '好', '好的', '是', '可以', '确认', 'ok', 'yes', '1'],
    declineWords: ['不同意', '否', '不', '不要', '拒绝', 'no', '2'],
    agreeOrNot: '请回复「同意」或「不同意」。',
    consentDeclined:
      '好的，我们不会收集您的手机号。您仍可直接提问或回复「人工」联系客服人员；需要办理业务时回复「绑定」。',
    askPhone: '请输入购房时登记的手机号（11 位）：',
    badPhone: '手机号格式不对，请输入 11 位手机号，例如 13812345678。',
    pickProject: '请选择您的楼盘：',
    askUnit: '请输入楼栋和房号，例如「3栋1201」「3号楼1单元1201」或「A座1201」：',
    badUnit: '没能识别楼栋和房号，请写明楼栋和房号，例如「3栋1201」「3-1-1201」或「A座1201」。',
    mismatch: (left: number) =>
      `您输入的信息与档案不一致，请核对手机号和房号后重新输入（还可以再试 ${left} 次）。`,
    tooManyMismatches: '多次核对未通过。为保护业主信息，请联系客户服务中心或您的客户大使协助绑定。',
    lockedOut: '您的核对尝试次数过多，请 24 小时后再试，或联系客户服务中心协助绑定。',
    /** To an owner whose phone number someone kept trying. */
    ownerWarnedOfGuessing:
      '【安全提醒】有人多次尝试用您登记的手机号核对房产信息，未能通过，相关核对已暂停 24 小时。如非您本人操作，无需处理，您的信息是安全的；如有疑问请联系您的客户大使。',
    /** To an owner when their file is bound on another WeChat account. */
    ownerNewDevice: (channel: string) =>
      `【安全提醒】您的业主档案刚刚在另一个微信账号（${channel}）上完成核对绑定。如非本人或家人操作，请回复「人工」或联系您的客户大使。`,
    bound: (name: string) => `核对成功，${name}您好！以后在这里即可办理业务。`,
    human: '核对房产信息后，即可联系您的专属客户大使。如需协助绑定，请致电楼盘客户服务中心。',
    help: '首次使用需要核对房产信息：输入购房时登记的手机号，再选择楼盘、输入楼栋和房号即可。回复「取消」可随时退出。',
  },

  // Complaint
  complaint: {
    pickCategory: '请选择投诉类别：',
    pickLocation: '问题发生在哪里？',
    publicArea: '小区公共区域',
    describe: '请描述具体情况（时间、位置、现象等，5 到 500 字）：',
    tooShort: '描述太短了，请至少写 5 个字，说明发生了什么。',
    tooLongDescription: '描述请控制在 500 字以内。',
    needsWords: '请用文字描述问题，只有表情或符号我们无法判断情况。',
    photos: '如有照片，请直接发送（最多 3 张），发完回复「好了」；没有照片回复「跳过」。',
    summary: (category: string, location: string, description: string, photos: number) =>
      `请确认投诉内容：\n类别：${category}\n位置：${location}\n描述：${description}` +
      (photos > 0 ? `\n照片：${photos} 张` : ''),
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
    header: '您最近的工单，回复序号查看详情：',
    line: (caseNo: string, kind: string, category: string, status: string, createdAt: string) =>
      `${caseNo}｜${kind}·${category}｜${status}｜${createdAt}`,
    detail: (d: {
      caseNo: string
      kind: string
      category: string
      status: string
      location: string
      description: string
      createdAt: string
      slot?: string
      history: { at: string; what: string }[]
    }) =>
      [
        `工单 ${d.caseNo}（${d.kind}·${d.category}）`,
        `状态：${d.status}`,
        `位置：${d.location}`,
        ...(d.slot ? [`上门时间：${d.slot}`] : []),
        `登记时间：${d.createdAt}`,
        `内容：${d.description}`,
        ...(d.history.length > 0 ? ['进展：', ...d.history.map((h) => `· ${h.at} ${h.what}`)] : []),
      ].join('\n'),
    notFound: '没有找到这张工单。',
    whatNext: '需要做什么？',
    actions: {
      note: '补充说明',
      escalate: '对处理不满意，申请升级到集团客户关系中心',
      reschedule: '改约上门时间',
      cancelRepair: '取消报修',
      done: '没有了',
    },
    askNote: '请输入要补充的内容（2 到 500 字）：',
    noteTooShort: '补充内容太短了，请至少写 2 个字。',
    noteTooLong: '补充内容请控制在 500 字以内。',
    noteAdded: (caseNo: string) => `已将补充内容记入工单 ${caseNo}，客户大使会看到。`,
    askEscalationReason: '请简要说明对分公司处理不满意的原因（5 到 500 字）：',
    confirmEscalation: (caseNo: string) =>
      `确认将工单 ${caseNo} 升级到集团客户关系中心吗？集团将直接跟进并在 24 个工作小时内联系您。`,
    escalated: (caseNo: string) =>
      `工单 ${caseNo} 已升级到集团客户关系中心，集团将在 24 个工作小时内与您联系。`,
    alreadyEscalated: (caseNo: string) => `工单 ${caseNo} 已经在集团客户关系中心跟进中。`,
    notEscalated: '好的，未升级。',
    /** The events an owner sees in a case's history, and how they read; no other event is shown. */
    history: {
      opened: '已受理',
      accepted: '客户大使已接单',
      technician_dispatched: '已派维修师傅',
      in_progress: '处理中',
      staff_reply: '客户大使答复了您',
      waiting_owner: '客户大使请您补充信息',
      owner_answered: '您已补充，继续处理',
      owner_note: '您补充了说明',
      escalated: '已升级到集团客户关系中心',
      rescheduled: '上门时间已改约',
      cancelled: '已取消',
      resolved: '已处理完毕',
      closed: '已关闭',
      reopened: '已重新处理',
      survey: '您完成了回访评价',
    } as Record<string, string>,
  },

  caseKinds: { complaint: '投诉', repair: '报修', alert: '预警' } as Record<string, string>,
  /** Status names as staff read them: "waiting for the owner", not the owner's "waiting for you". */

  caseStatuses: {
    open: '已受理',
    accepted: '已接单',
    in_progress: '处理中',
    waiting_owner: '待您回复',
    resolved: '已解决',
    closed: '已关闭',
    reopened: '重新处理中',
  } as Record<string, string>,

  // Repair booking
  repair: {
    pickCategory: '请选择报修类别：',
    pickUnit: '请选择需要维修的房屋：',
    noDeliveredUnit: '您的房屋尚未交付，交付前的问题请选择「我要投诉」或联系客户大使。',
    describe: '请描述需要维修的情况（位置、现象等，5 到 300 字）：',
    tooShort: '描述太短了，请至少写 5 个字，说明哪里坏了。',
    tooLongDescription: '描述请控制在 300 字以内。',
    needsWords: '请用文字描述需要维修的情况。',
    pickSlot: '请选择上门时间：',
    noSlots: '近期可预约的上门时间已约满，已为您转客户大使安排，稍后会联系您。',
    photos: '如有照片，请直接发送（最多 3 张），方便师傅带好配件，发完回复「好了」；没有照片回复「跳过」。',
    summary: (d: {
      category: string
      unit: string
      description: string
      photos: number
      slot: string
      warranty: string
    }) =>
      `请确认报修信息：\n类别：${d.category}\n房屋：${d.unit}\n描述：${d.description}` +
      (d.photos > 0 ? `\n照片：${d.photos} 张` : '') +
      `\n上门时间：${d.slot}\n${d.warranty}`,
    inWarranty: (until: string) => `保修：在保修期内（至 ${until}），免费维修。`,
    paid: (reason: string) => `保修：${reason}，本次为有偿维修，费用由维修师傅上门确认后收取。`,
    paidReasons: {
      expired: '已超出保修期',
      not_covered: '该类别不在保修范围内',
      not_delivered: '房屋尚未交付',
    } as Record<string, string>,
    notBooked: '好的，这次报修没有提交。回复「菜单」可重新开始。',
    slotTaken: '刚刚有其他业主约走了这个时间段，请重新选择。',
    tooManyTaken: '可预约的时间段变化较快，已为您转客户大使安排，稍后会联系您。',
    booked: (caseNo: string, slot: string, ambassador: string | null) =>
      `报修已预约，工单号 ${caseNo}，上门时间 ${slot}。` +
      (ambassador ? `客户大使${ambassador}会跟进到维修完成。` : '') +
      '如需改约或取消，回复「菜单」→「查询我的工单」。',
    rescheduled: (caseNo: string, slot: string) => `工单 ${caseNo} 已改约到 ${slot}。`,
    confirmCancel: (caseNo: string) => `确认取消报修工单 ${caseNo} 吗？`,
    cancelled: (caseNo: string) => `报修工单 ${caseNo} 已取消。`,
    notCancelled: '好的，保留原预约。',
    notOpen: '这张工单已处理完毕或已取消，不能再修改。',
    emergencyKinds: {
      gas: '燃气泄漏',
      water: '大量漏水',
      power: '停电或电气起火',
      urgent: '紧急情况',
    } as Record<string, string>,
    emergencySlot: (what: string) => `紧急报修（${what}），值班人员尽快上门`,
    /** What to do now, before anyone arrives: the first minutes matter more than the booking. */
    emergencySafety: {
      gas: '请立即关闭燃气总阀，打开门窗通风，不要开关任何电器、不要使用明火，人员先到室外；情况严重请拨打燃气公司抢修电话或 119。',
      water: '请先关闭户内进水总阀，切断漏水区域的电源，把贵重物品移开。',
      power:
        '如有冒烟或起火，请立即离开并拨打 119；不要用水扑救电气火灾。停电请先确认配电箱总开关，不要自行拆修。',
      urgent: '请先确保人身安全，远离危险区域；如有人受伤或被困，请立即拨打 120 或 119。',
    } as Record<string, string>,
    emergencyReported: (d: {
      caseNo: string
      what: string
      handledBy: { name: string; onDuty: boolean } | null
      safety: string
    }) =>
      `已按紧急报修（${d.what}）登记，工单号 ${d.caseNo}。${d.handledBy ? `${d.handledBy.onDuty ? '值班人员' : '客户大使'}${d.handledBy.name}` : '物业服务中心'}已收到通知，会在 30 分钟内与您联系并尽快上门，无需预约时间。\n${d.safety}`,
  },

  // Progress letters
  letters: {
    none: '您的楼盘暂时没有工程进度告知函。',
    pick: '您楼盘的工程进度告知函，回复序号阅读：',
    line: (title: string, publishedAt: string, read: boolean) =>
      `${read ? '' : '【未读】'}${title}（${publishedAt}）`,
    show: (title: string, body: string) => `${title}\n\n${body}`,
    gone: '这封告知函暂时无法查看，请联系客户大使。',
    askResponse: '这是一份设计变更通知，请告诉我们您的意见：',
    responses: ['同意变更', '不同意变更', '有疑问，请客户大使联系我'],
    responseRecorded: (answer: string) => `已记录您的意见：「${answer}」。客户大使会跟进。`,
    alreadyResponded: '您之前已经回复过这份通知，感谢！',
    kinds: { progress: '工程进度告知函', design_change: '设计变更通知', move_in: '入住通知' } as Record<
      string,
      string
    >,
    notice: (kind: string, title: string, body: string) =>
      `【${kind}】${title}\n\n${body}\n\n（回复「工程进度告知函」可随时查看历次函件）`,
  },

  // Callback survey
  survey: {
    intro: (caseNo: string) => `您好，您的工单 ${caseNo} 已处理完毕。耽误您几秒钟，为这次服务打个分吧。`,
    invite: (caseNo: string) =>
      `您好，您的工单 ${caseNo} 已处理完毕。方便时回复「回访」为这次服务打分，感谢您的支持！`,
    none: '您目前没有待评价的工单，感谢关注！',
    pickCase: '请选择要评价的工单：',
    askScore: (label: string) => `请为工单 ${label} 的处理打分：`,
    scoreHint: '请回复 1 到 5 的数字，5 表示非常满意。',
    askComment: '还有什么想告诉我们的吗？直接输入即可，或回复「跳过」。',
    skipWords: ['跳过', '没有', '无', '不用', '没有了'],
    commentTooLong: '意见请控制在 500 字以内。',
    thanks: '感谢您的评价！',
    reopened: (supervisor: string | null) =>
      `很抱歉没能让您满意。这张工单已重新打开，${supervisor ? `由客户服务主管${supervisor}` : '由客户服务主管'}亲自跟进，会尽快与您联系。`,
    alreadyAnswered: '这张工单已经评价过了，感谢您的反馈！',
  },

  // Case progress told to the owner
  progress: {
    update: (caseNo: string, note: string) => `您的工单 ${caseNo} 有新进展：${note}`,
    waiting: (caseNo: string, question: string) =>
      `关于工单 ${caseNo}，客户大使需要您补充：${question}（回复「工单」可补充说明）`,
    closed: (caseNo: string, note: string) => `您的工单 ${caseNo} 已处理完毕：${note}`,
    technician: (caseNo: string, name: string, phone: string) =>
      `您的报修工单 ${caseNo} 已派工：维修师傅${name}${phone ? `（电话 ${phone}）` : ''}将按预约时间上门。`,
  },

  // Ambassador
  conversation: {
    media: {
      image: '[图片]',
      voice: '[语音]',
      video: '[视频]',
      file: '[文件]',
      location: '[位置]',
    } as Record<string, string>,
    backToBot: '已为您转回智能助手。请问需要办理什么？回复「菜单」查看可办理的事项。',
  },

  ambassador: {
    none: '您的客户大使正在安排中，客户服务中心会尽快与您联系。',
    card: (name: string, phone: string) => `您的客户大使：${name}${phone ? `，电话 ${phone}` : ''}。`,
    handedOff: (name: string) =>
      `已通知客户大使${name}，稍后会直接与您联系。在此之前您仍可回复「菜单」自助办理。`,
    handedOffAfterHours: (name: string, opensAt: string) =>
      `已通知客户大使${name}。现在是非工作时间，${name}将在 ${opensAt} 上班后回复您。如遇漏水、燃气、停电等紧急情况，请回复「报修」并描述情况，我们会按紧急报修立即安排人员处理。`,
  },
} as const
