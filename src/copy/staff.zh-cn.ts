/**
 * Every sentence staff read — WeCom messages and cards, chat commands, the console and the sidebar — in
 * one place. Templates are functions of plain values.
 */
export const staffCopy = {
  staffCaseStatuses: {
    open: '待接单',
    accepted: '已接单',
    in_progress: '处理中',
    waiting_owner: '待业主回复',
    resolved: '已解决',
    closed: '已关闭',
    reopened: '重新处理中',
  } as Record<string, string>,

  // Messages to staff on WeCom (ambassadors, supervisors, the group centre)
  staff: {
    ownerSays: (d: { owner: string; conversation: number; text: string }) =>
      `【业主消息·会话 C${d.conversation}】${d.owner}：${d.text}\n直接回复请发送：回复 C${d.conversation} 内容（发送「释放 C${d.conversation}」交回智能助手）`,
    bindingLockout: (d: { owner: string; phone: string; channel: string }) =>
      `【安全提醒】有人多次用业主${d.owner}的手机号 ${d.phone} 核对房产信息未通过（${d.channel}），已暂停核对 24 小时。如业主本人需要协助，请联系业主核实后处理。`,
    bindingNewDevice: (d: { owner: string; channel: string }) =>
      `【提醒】业主${d.owner}的档案在新的微信账号（${d.channel}）上完成了绑定；业主此前已绑定其他账号。如业主反映非本人操作，请及时处理。`,
    newComplaint: (d: {
      caseNo: string
      owner: string
      location: string
      category: string
      description: string
    }) =>
      `【新投诉】${d.caseNo}\n业主：${d.owner}（${d.location}）\n类别：${d.category}\n内容：${d.description}\n请在 24 个工作小时内答复业主。`,
    newRepair: (d: {
      caseNo: string
      owner: string
      location: string
      category: string
      slot: string
      warranty: string
    }) =>
      `【新报修】${d.caseNo}\n业主：${d.owner}（${d.location}）\n类别：${d.category}\n上门：${d.slot}\n${d.warranty}\n请在 10 分钟内派单。`,
    repairChanged: (caseNo: string, change: string) => `【报修变更】${caseNo}：${change}`,
    caseAssigned: (caseNo: string, category: string, by: string | null) =>
      `【转派给您】${caseNo}\n${category}${by ? `，由${by}转来` : ''}，请及时处理。`,
    ownerNote: (caseNo: string, owner: string, note: string) => `【业主补充】${caseNo}（${owner}）：${note}`,
    emergencyRepair: (d: {
      caseNo: string
      what: string
      owner: string
      location: string
      description: string
    }) =>
      `【紧急报修·${d.what}】${d.caseNo}\n业主：${d.owner}（${d.location}）\n内容：${d.description}\n请立即联系业主并安排上门，30 分钟内接单。`,
    handedOver: (d: { households: number; cases: number; team: number }) =>
      `【工作交接】同事离职，以下工作已交接给您：业主 ${d.households} 户，未结工单 ${d.cases} 件${d.team ? `，团队成员 ${d.team} 人` : ''}。请查看工单列表并尽快与业主联系。`,
    handOffNotPickedUp: (d: { owner: string; conversation: number; handler: string; since: string }) =>
      `【人工服务待接手】业主${d.owner}自 ${d.since} 起等待人工服务（会话 C${d.conversation}，${d.handler}），至今无人回复。请督促跟进，或发送「回复 C${d.conversation} 内容」直接回复业主。`,
    handOffAfterHours: (owner: string, context: string) =>
      `【值班·业主请求人工】非工作时间，${owner}在「${context}」时请求人工服务。如属紧急情况请及时联系业主，其余由客户大使上班后跟进。`,
    ownerSentMedia: (owner: string, kind: string, conversation: number) =>
      `【业主发来${kind}】${owner}在自助办理中发来一条${kind}（会话 C${conversation}），机器人无法识别，请在会话记录中查看，必要时联系业主。`,
    strangerHandOff: (conversation: number) =>
      `【访客请求人工】一位尚未绑定的微信用户请求人工服务（会话 C${conversation}），请在控制台会话列表中接手，或发送「回复 C${conversation} 内容」直接回复。`,
    handOff: (owner: string, context: string) =>
      `【业主请求人工】${owner}在「${context}」时请求人工服务，请尽快联系业主。`,
    escalatedByStaff: (caseNo: string, by: string, reason: string) =>
      `【集团升级】${caseNo}：${by}将工单升级到集团客户关系中心。原因：${reason}`,
    escalated: (caseNo: string, owner: string, reason: string) =>
      `【集团升级】${caseNo}：业主${owner}对分公司处理不满意，申请升级。原因：${reason}`,
    heldForOwner: (owner: string, preview: string, reason: string) =>
      `【待联系业主】按${reason === 'KF_WINDOW_CLOSED' ? '微信客服 48 小时规则' : '微信客服发送次数限制'}，发给业主${owner}的消息暂未送达，业主下次发消息时会自动补发。如需尽快告知，请电话联系。内容：${preview}`,
    letterWithoutChannel:
      '【函件需另行送达】您负责的 %s 户业主尚未绑定微信，《%s》需电话、短信或纸质方式送达并登记。',
    slaReminder: (caseNo: string, dueAt: string) =>
      `【即将超时】${caseNo} 将于 ${dueAt} 到期，请尽快处理并答复业主。`,
    slaBreached: (caseNo: string, ambassador: string) =>
      `【超时升级】${caseNo} 已超过答复时限，客户大使：${ambassador}。请分公司负责人督办。`,
    solveOverdue: (caseNo: string, category: string) =>
      `【群诉未解决】${caseNo}（${category}）已超过 12 小时解决时限，请集团客户关系中心督办。`,
    slaGroup: (caseNo: string) => `【集团督办】${caseNo} 超时后仍未处理，已升级到集团客户关系中心。`,
    callOwner: (caseNo: string, owner: string) =>
      `【电话回访】${caseNo}：业主${owner}尚未完成线上回访，请在 24 小时内电话回访并记录满意度。`,
    groupWarning: (project: string, category: string, households: number, hours: number) =>
      `【群诉预警】${project}：${hours} 小时内已有 ${households} 户业主投诉「${category}」，请立即启动应急处理。`,
    monthlyReport: (period: string, total: number) =>
      `【月度投诉分析】${period} 共受理投诉 ${total} 件，分析报告已生成，请在管理后台查看。`,
    reopened: (caseNo: string, owner: string, score: number, comment: string | null) =>
      `【回访不满意】${caseNo}：业主${owner}评分 ${score}${comment ? `，意见：${comment}` : ''}。工单已重新打开，请主管跟进。`,
  },

  groupAlert: (category: string) => `群诉预警：${category}`,

  // Ambassadors' chat commands on WeCom
  staffCommands: {
    help: '可用指令：\n工单 — 我的未结工单\n接单 工单号\n派工 工单号 维修师傅姓名 — 告知业主谁来上门\n进展 工单号 内容 — 答复业主（计入 24 小时答复）\n等待 工单号 需要业主补充的内容 — 暂停计时\n关闭 工单号 处理结果 — 办结并安排回访\n转派 工单号 企业微信账号\n退回 工单号 — 退回主管重新分派\n回复 C会话号 内容 — 直接回复业主（智能助手暂停）\n释放 C会话号 — 交回智能助手',
    unknown: '没有识别这条指令。',
    notStaff: '您的企业微信账号还没有登记为客户服务人员，请联系管理员。',
    noOpenCases: '您目前没有未结工单。',
    listHeader: (count: number) => `您有 ${count} 张未结工单：`,
    line: (l: {
      caseNo: string
      kind: string
      category: string
      status: string
      owner: string
      dueAt: string | null
      overdue: boolean
    }) =>
      `${l.overdue ? '【已超时】' : ''}${l.caseNo}｜${l.category}｜${l.owner}｜${l.status}${l.dueAt ? `｜时限 ${l.dueAt}` : ''}`,
    defaultCloseNote: '问题已处理完毕',
    accepted: (caseNo: string) => `已接单 ${caseNo}。`,
    dispatched: (caseNo: string, technician: string) => `已派工 ${caseNo}：${technician}，业主已收到通知。`,
    progressed: (caseNo: string) => `已将进展告知业主（${caseNo}）。`,
    waiting: (caseNo: string) => `已请业主补充信息，${caseNo} 暂停计时。`,
    closed: (caseNo: string) => `${caseNo} 已办结，系统将安排回访。`,
    transferred: (caseNo: string, to: string) => `${caseNo} 已转派给 ${to}。`,
    handedBack: (caseNo: string) => `${caseNo} 已退回主管重新分派。`,
    conversationReplied: (conversation: number) =>
      `已发给业主（会话 C${conversation}），智能助手暂停回复，发送「释放 C${conversation}」交回。`,
    conversationReleased: (conversation: number) => `会话 C${conversation} 已交回智能助手。`,
    noSuchConversation: '没有找到这个会话。',
    outcomes: {
      NOT_FOUND: '没有找到这张工单。',
      BAD_STATE: '工单当前状态不能做这个操作。',
      NO_SUCH_STAFF: '没有找到这位同事的企业微信账号。',
      NO_SUCH_TECHNICIAN: '这个项目的维修组里没有这位师傅（或有重名，请在控制台派工）。',
    } as Record<string, string>,
  },

  // The ambassador's sidebar in WeCom (labels for the page)
  sidebar: {
    title: '业主档案',
    loading: '正在读取业主档案…',
    units: '房产',
    delivered: '交付',
    openCases: '未结工单',
    due: '时限',
    surveys: '近期回访',
    none: '无',
    noOpenCases: '没有未结工单',
    noSurveys: '暂无回访记录',
    notOwner: '这位客户还没有绑定业主档案。',
    notYours: '这位业主不在您的名下，档案不可查看。',
    failed: '业主档案读取失败，请稍后重试。',
    replies: '快捷回复',
    noReplies: '暂无快捷回复',
    send: '发送到会话',
    sent: '已发送',
    sendFailed: '发送失败，请在聊天框中发送',
  },

  // The staff console (labels for the page)
  console: {
    title: '安居 · 客户服务后台',
    mediaStates: {
      pending: '保存中…',
      failed: '未能保存',
      rejected: '格式不支持，未保存',
      unknown: '未保存',
    },
    mediaOpen: '打开',
    exportCsv: '导出 CSV',
    intake: {
      title: '登记工单（来电、来访、信函、邮件、物业转来、网络舆情）',
      channels: {
        hotline: '客服热线',
        walk_in: '来访',
        letter: '信函',
        email: '邮件',
        property_office: '物业转来',
        forum: '网络论坛',
        public_incident: '公共事件',
      },
      kinds: { complaint: '投诉', repair: '报修' },
      householdCode: '户号（业主填写，如 CUIHU-H0001）',
      projectId: '项目编号（非业主填写）',
      reporterName: '反映人姓名（非业主）',
      reporterPhone: '反映人电话（非业主）',
      category: '类别，如：工程质量',
      description: '情况描述',
      major: '重大投诉（立即升级集团）',
      submit: '登记',
      noSuchHousehold: '没有找到这个户号。',
      opened: '已登记，工单号 ',
    },
    escalate: '升级到集团',
    caseConversation: '查看业主的会话记录',
    allProjects: '全部项目',
    left: '剩',
    over: '已超',
    escalateNeedsReason: '请先在上方填写升级原因。',
    organisation: {
      title: '项目与人员',
      projectColumns: [
        '编号',
        '项目',
        '分公司',
        '交付日期',
        '服务时间',
        '投诉答复时限',
        '报修派单时限',
        '值班人员',
        '',
      ],
      deliveryDate: '交付日期',
      teamsTitle: '维修组与维修师傅',
      teamColumns: ['维修组', '维修师傅', '报修产能'],
      teamName: '维修组名称',
      addTeam: '添加维修组',
      technicianName: '师傅姓名',
      addTechnician: '添加维修师傅',
      capacitySet: '已设置',
      capacityNone: '未设置',
      branchesTitle: '分公司',
      projectsTitle: '项目',
      branchColumns: ['分公司', '项目数', '负责人'],
      branchName: '分公司名称',
      addBranch: '添加分公司',
      byDefault: '默认',
      edit: '设置',
      editing: '设置项目：',
      serviceHours: '服务时间',
      serviceHoursExample: '如 08:30-18:00，留空为默认',
      replyAmount: '投诉答复时限',
      dispatchMinutes: '报修派单时限（服务时间内分钟）',
      blankIsDefault: '留空为默认',
      onDuty: '值班人员（紧急报修、下班后转人工）',
      noOnDuty: '未指定',
      save: '保存',
      saved: '已保存',
      modes: { workday: '工作日小时', business: '服务时间小时', calendar: '自然小时' },
      minutes: '分钟',
      staffTitle: '员工',
      staffColumns: ['姓名', '企业微信账号', '角色', '项目', '状态'],
      active: '在职',
      left: '已离职',
      roles: {
        ambassador: '客户大使',
        supervisor: '主管',
        branch_head: '分公司负责人',
        group_centre: '集团客户中心',
      },
      staffName: '姓名',
      wecomUserId: '企业微信账号（通讯录 → 账号）',
      phone: '电话',
      noProject: '不属于项目',
      noSupervisor: '无主管',
      addStaff: '添加员工',
      added: '已添加：',
      rulesTitle: '新业主分配规则',
      ruleColumns: ['项目', '楼栋', '客户大使', ''],
      wholeProject: '整个项目',
      ruleBuilding: '楼栋名（如 3号楼，留空为整个项目）',
      addRule: '添加规则',
      removeRule: '删除',
      categoriesTitle: '投诉与报修类别',
      categoryColumns: ['类型', '类别', '保修（月）', '重大工程', '紧急', '状态', ''],
      kinds: { repair: '报修', complaint: '投诉' },
      statutory: '法定',
      noWarranty: '无',
      yes: '是',
      retire: '停用',
      restore: '启用',
      retired: '已停用',
      categoryName: '类别名称',
      warrantyMonths: '保修月数（报修，留空为法定）',
      majorWorks: '重大工程（两个月后二次回访）',
      emergency: '紧急（值班人员立即处理）',
      addCategory: '添加类别',
    },
    knowledge: {
      title: '常见问题（知识库）',
      search: '搜索问题或答案',
      columns: ['问题', '范围', '答案', ''],
      groupWide: '集团通用',
      retire: '停用',
      question: '问题，如：物业费怎么交？',
      projectId: '项目编号（留空为集团通用）',
      paraphrases: '其他问法，每行一个',
      answer: '答案',
      tags: '标签，空格分隔',
      save: '保存条目',
      saved: '已保存',
      unanswered: '近 30 天业主问过、未能解答的问题（按次数）',
      times: '次',
      addThis: '补充为条目',
      noneUnanswered: '暂无',
    },
    tokenPlaceholder: '访问令牌',
    signIn: '登录',
    signedInPrefix: '已登录：',
    error: '出错了：',
    cases: '工单',
    allStatuses: '全部状态',
    queues: {
      '': '全部工单',
      mine: '我的工单',
      unassigned: '未分配',
      breached: '已超时',
      due_soon: '即将到期',
    } as Record<string, string>,
    allSla: '全部时效',
    apply: '筛选',
    more: '更多',
    caseColumns: ['工单号', '类型', '类别', '状态', '业主', '客户大使', '时限', '时效'],
    sla: {
      breached: '已超时',
      due_soon: '即将到期',
      running: '计时中',
      paused: '已暂停',
      met: '已按时答复',
    } as Record<string, string>,
    letters: '函件群发',
    projectId: '楼盘编号',
    letterTitle: '标题',
    letterBody: '正文',
    publish: '发布并发送',
    recipients: '收件人 ',
    deliveryStatuses: {
      queued: '排队',
      held: '暂缓',
      delivered: '已送达',
      read: '已读',
      failed: '失败',
    } as Record<string, string>,
    reports: '报表',
    load: '查看',
    chartLabel: '投诉类别分布',
    complaintsTotal: '投诉 ',
    onTime: '按时率 ',
    satisfaction: '满意度 ',
    conversations: '会话',
    withStaff: '人工处理中',
    allConversations: '全部会话',
    conversationColumns: ['会话', '业主', '渠道', '状态', '最近消息'],
    conversationStates: { with_staff: '人工处理中', bot: '智能助手' } as Record<string, string>,
    channels: { console: '控制台', wechat: '微信', 'wecom-kf': '微信客服', test: '测试' } as Record<
      string,
      string
    >,
    authors: { owner: '业主', bot: '智能助手' } as Record<string, string>,
    cannedNone: '快捷回复（可选）',
    replyPlaceholder: '回复业主，将按业主所在渠道的规则送达',
    send: '发送',
    release: '交回智能助手',
    pickConversation: '点击左侧会话查看聊天记录',
    updatedAt: '更新于 ',
    caseEvents: {
      opened: '受理',
      accepted: '接单',
      technician_dispatched: '派工',
      in_progress: '处理中',
      staff_reply: '答复业主',
      note: '内部备注',
      waiting_owner: '待业主回复',
      owner_answered: '业主已补充',
      owner_note: '业主补充说明',
      escalated: '升级',
      sla_breached: '超过答复时限',
      reassigned: '转派',
      rescheduled: '改约',
      cancelled: '取消',
      resolved: '已解决',
      closed: '关闭',
      reopened: '重新处理',
      survey: '回访评价',
      sla_recounted: '时限重算',
    } as Record<string, string>,
    caseActionNote: '备注或答复业主的内容',
    keepStatus: '状态不变（仅备注）',
    submit: '提交',
    dueAt: '答复时限 ',
    system: '系统',
    assignTo: '转派给…',
    assign: '转派',
  },
} as const
