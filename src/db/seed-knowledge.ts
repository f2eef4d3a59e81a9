import type { EntityManager } from 'typeorm'

/**
 * The demo's knowledge base: what owners of a new development ask in their first year. Group-wide
 * entries hold the general rules; the project's own entries (its dates, its offices) say 翠湖花园.
 * Answers are the kind a service team writes — concrete, with where to go and what to bring — and
 * are examples for the demo: every developer writes its own.
 */
interface SeedEntry {
  question: string
  paraphrases: string[]
  answer: string
  tags: string[]
  stages?: string[]
  /** The demo project's own entry (its dates and places), else group-wide. */
  project?: true
}

export const DEMO_KNOWLEDGE: SeedEntry[] = [
  {
    question: '交房时间是什么时候？',
    paraphrases: ['什么时候交房', '什么时候能收房', '交付时间', '哪天交房', '房子什么时候交付'],
    answer:
      '翠湖花园 3、5 栋计划于 2027 年 6 月 30 日前交付，具体时间以《交付通知书》为准，我们会提前 30 天通过短信和本公众号通知您。',
    tags: ['交房'],
    project: true,
  },
  {
    question: '收房需要带什么材料？',
    paraphrases: ['交房要准备什么', '收房带什么', '验房需要什么证件', '交付需要什么资料'],
    answer:
      '请携带：购房合同原件、业主本人身份证原件、《交付通知书》、购房款及代收费用缴清凭证。委托他人收房的，还需带委托书（需公证）和受托人身份证。',
    tags: ['交房', '验房'],
  },
  {
    question: '收房的流程是什么？',
    paraphrases: ['交房流程', '收房流程', '入伙流程', '验房流程'],
    answer:
      '收房流程：签到核验身份 → 缴纳/核对相关费用 → 签署物业服务协议 → 领取钥匙与资料 → 在工作人员陪同下验房 → 登记问题（整改由客户大使跟进）→ 签署交接单。全程约 2 小时。',
    tags: ['交房'],
  },
  {
    question: '验房发现问题怎么办？',
    paraphrases: ['验房有问题', '收房时发现质量问题', '验房不合格'],
    answer:
      '验房时发现的问题请当场登记在《验房问题记录表》上，我们会在 15 个工作日内整改并通知您复验；也可以在这里回复「报修」登记。',
    tags: ['交房', '验房'],
  },
  {
    question: '可以委托别人收房吗？',
    paraphrases: ['让家人代收房', '委托收房', '本人不能到场收房'],
    answer:
      '可以。受托人需携带经公证的委托书、业主身份证复印件和受托人本人身份证原件，其余材料同业主本人收房。',
    tags: ['交房'],
  },
  {
    question: '物业费怎么交？',
    paraphrases: ['物业费在哪交', '怎么缴物业费', '物业费可以网上交吗', '物业费交费方式'],
    answer:
      '物业费可在物业服务中心（1 栋架空层，每天 8:30–18:00）刷卡或扫码缴纳，也可在「翠湖生活」小程序的「缴费」页在线缴纳，缴费后可开具电子发票。',
    tags: ['物业费', '缴费'],
  },
  {
    question: '物业费多少钱？',
    paraphrases: ['物业费一平米多少钱', '物业费标准', '物业费怎么收', '物业费收费标准'],
    answer: '住宅物业费按合同约定为每月每平方米 3.2 元（按建筑面积计），按季度预交。',
    tags: ['物业费'],
    project: true,
  },
  {
    question: '物业费从什么时候开始算？',
    paraphrases: ['物业费起算时间', '没收房要交物业费吗', '物业费从哪天开始交'],
    answer: '物业费自《交付通知书》载明的交付之日起计收；逾期未办理收房的，同样自该日起计收。',
    tags: ['物业费', '交房'],
  },
  {
    question: '维修基金怎么交？',
    paraphrases: ['维修基金在哪交', '专项维修资金怎么交', '公共维修基金怎么缴纳', '维修基金交多少'],
    answer:
      '住宅专项维修资金在办理不动产登记前缴纳，标准为房屋总价的 2%（以当地住建部门规定为准）。可在交房现场由银行代收，或到不动产登记中心缴纳，请保管好缴款凭证。',
    tags: ['维修基金', '缴费'],
  },
  {
    question: '维修基金是干什么用的？',
    paraphrases: ['维修基金用途', '维修基金能退吗', '什么是维修基金'],
    answer:
      '专项维修资金专用于保修期满后共用部位、共用设施设备（如电梯、屋面防水、外墙）的维修和更新，归业主所有，经业主表决后使用；房屋转让时随房转移，不予退还。',
    tags: ['维修基金'],
  },
  {
    question: '装修需要办什么手续？',
    paraphrases: ['装修许可证怎么办', '装修要去哪里办手续', '装修备案', '装修申请怎么办'],
    answer:
      '开工前请到物业服务中心办理装修登记：带上身份证、装修图纸、装修公司资质复印件，签署《装修管理协议》，领取《装修许可证》和施工人员出入证后即可开工。',
    tags: ['装修'],
  },
  {
    question: '装修押金多少？什么时候退？',
    paraphrases: ['装修保证金', '装修押金退还', '装修要交押金吗', '装修押金什么时候退'],
    answer: '装修保证金 3000 元，装修完工经物业验收无违规、公共部位无损坏后，30 日内无息退还。',
    tags: ['装修', '缴费'],
  },
  {
    question: '装修施工时间有什么规定？',
    paraphrases: ['几点可以装修', '周末可以装修吗', '装修时间', '晚上几点以后不能装修', '电钻几点能用'],
    answer:
      '工作日 8:00–12:00、14:00–18:00 可施工；周末及法定节假日禁止电钻、切割等噪音作业，只可做无噪音的工作；春节假期暂停装修。',
    tags: ['装修', '噪音'],
  },
  {
    question: '装修可以改动哪些地方？',
    paraphrases: ['可以打掉墙吗', '能不能改水电', '阳台能封吗', '可以改承重墙吗', '精装房可以改吗'],
    answer:
      '严禁拆改承重墙、梁柱和外立面，严禁改变卫生间、厨房的防水层位置；非承重墙、水电改造需在装修登记时报图审批。改动防水、水电的部位将影响对应保修，请慎重。',
    tags: ['装修', '保修'],
  },
  {
    question: '装修垃圾放在哪里？',
    paraphrases: ['装修垃圾怎么处理', '建筑垃圾放哪', '装修垃圾清运'],
    answer:
      '装修垃圾请袋装后放到地库 B1 的装修垃圾临时堆放点，由物业统一清运（清运费含在装修管理费中），请勿放在楼道或生活垃圾桶。',
    tags: ['装修', '垃圾'],
  },
  {
    question: '车位怎么买或者租？',
    paraphrases: ['车位还有吗', '停车位怎么买', '车位怎么租', '月租车位多少钱', '停车费多少'],
    answer:
      '产权车位可到售楼处（小区南门）咨询选购；月租车位在物业服务中心办理，地库月租 300 元/月，需提供行驶证和业主身份证明。',
    tags: ['停车', '车位'],
  },
  {
    question: '访客车辆怎么进小区？',
    paraphrases: ['朋友开车来怎么进', '访客停车', '临时停车怎么收费'],
    answer:
      '访客车辆在门岗登记后进入，地库临时停车 2 小时内免费，之后每小时 5 元；业主也可在小程序提前为访客登记车牌。',
    tags: ['停车'],
  },
  {
    question: '房产证什么时候能办下来？',
    paraphrases: [
      '不动产证怎么办',
      '房产证啥时候能拿到',
      '办证进度',
      '不动产权证书什么时候发',
      '什么时候办房产证',
    ],
    answer:
      '项目交付后约 6–12 个月完成首次登记，我们会统一通知业主办理转移登记。办理时需要：身份证、购房合同、契税和维修资金缴纳凭证；已婚的还需结婚证。',
    tags: ['产权', '房产证'],
  },
  {
    question: '契税怎么交？',
    paraphrases: ['契税什么时候交', '契税交多少', '契税在哪交'],
    answer:
      '契税在办理不动产转移登记时向税务部门缴纳，首套房 90 平方米及以下税率 1%，以上 1.5%（以当地现行政策为准）。',
    tags: ['产权', '缴费'],
  },
  {
    question: '水电燃气怎么开户？',
    paraphrases: ['水电怎么过户', '燃气怎么开通', '电卡怎么充值', '水费在哪交', '电费怎么交'],
    answer:
      '交房时水、电已开通，电费在「网上国网」App 充值，水费由自来水公司按月抄表，可在支付宝生活缴费中缴纳。燃气需本人带身份证和房产资料到燃气公司营业厅开户并预约点火。',
    tags: ['水电', '燃气', '缴费'],
  },
  {
    question: '宽带和有线电视怎么装？',
    paraphrases: ['宽带怎么装', '哪家宽带能装', '有线电视怎么开'],
    answer:
      '小区已接入电信、移动、联通三家光纤，直接联系运营商预约上门安装即可；有线电视请联系当地广电营业厅。',
    tags: ['水电'],
  },
  {
    question: '门禁卡怎么办？',
    paraphrases: [
      '门禁卡丢了怎么办',
      '门禁卡怎么补办',
      '可以多办一张门禁卡吗',
      '电梯卡丢了怎么补',
      '门禁卡多少钱',
    ],
    answer:
      '交房时每户免费领取 4 张门禁卡；补办或加办请带身份证到物业服务中心，每张工本费 20 元，丢失的卡会同时注销。也可在小程序开通手机开门。',
    tags: ['门禁'],
  },
  {
    question: '小区可以养宠物吗？',
    paraphrases: ['小区能养狗吗', '能养猫吗', '养狗需要办证吗', '宠物要登记吗'],
    answer:
      '可以饲养宠物。犬只需在公安部门办理养犬登记并接种疫苗，出门请拴绳、及时清理粪便；禁止饲养烈性犬，宠物请勿进入儿童游乐区和泳池。',
    tags: ['宠物'],
  },
  {
    question: '邻居太吵怎么办？',
    paraphrases: ['楼上太吵怎么办', '邻居噪音扰民', '楼上噪音', '半夜有噪音'],
    answer:
      '请先告诉物业服务中心（24 小时电话 0571-88880000），管家会上门沟通劝导；装修噪音超出允许时间的，物业会当场制止。若多次无效，可回复「投诉」登记。',
    tags: ['噪音', '邻里'],
  },
  {
    question: '快递柜在哪里？',
    paraphrases: ['快递放哪了', '快递柜位置', '快递怎么取'],
    answer: '快递柜在小区南门和北门各一组，外卖和快递员不进楼栋；大件快递可由物业前台代收，凭取件码领取。',
    tags: ['快递'],
  },
  {
    question: '物业服务中心在哪？电话多少？',
    paraphrases: ['物业电话是多少', '物业办公室在哪', '物业几点上班', '物业公司电话', '客服中心电话'],
    answer:
      '物业服务中心在 1 栋架空层，每天 8:30–18:00 办公；24 小时服务电话 0571-88880000。您的客户大使可在这里回复「联系客户大使」查看。',
    tags: ['物业'],
    project: true,
  },
  {
    question: '房屋保修期是多久？',
    paraphrases: ['保修期多长', '防水保修几年', '保修范围有哪些', '墙面保修多久', '保修多长时间'],
    answer:
      '按国家规定：屋面防水、有防水要求的卫生间和外墙渗漏保修 5 年；电气管线、给排水管道、设备安装和装修工程保修 2 年；供热与供冷系统保修 2 个采暖期或供冷期；地基基础和主体结构为设计使用年限。保修期自交付之日起算。',
    tags: ['保修'],
  },
  {
    question: '过了保修期坏了怎么办？',
    paraphrases: ['保修期过了还能修吗', '保修期外维修收费吗', '过保修期'],
    answer:
      '保修期外仍可在这里预约维修，师傅上门后先报价，经您同意再施工，按物业公示的收费标准收取材料费和人工费。',
    tags: ['保修', '维修'],
  },
  {
    question: '空调外机装在哪里？',
    paraphrases: ['空调孔在哪', '空调外机位置', '空调怎么装'],
    answer:
      '每个房间的空调外机位和预留孔已按设计设置（见《住宅使用说明书》户型图），请安装在指定外机位，不得安装在外立面其他位置。',
    tags: ['装修', '空调'],
  },
  {
    question: '业主群怎么进？',
    paraphrases: ['怎么加业主群', '有没有业主群', '业主微信群'],
    answer: '请联系您的客户大使，核实业主身份后会邀请您加入所在楼栋的业主群。',
    tags: ['社区'],
  },
  {
    question: '供暖费怎么交？',
    paraphrases: ['供暖费多少钱', '暖气费怎么交', '采暖费'],
    answer: '本项目为分户地暖，燃气费即采暖费用，无需另交集中供暖费。',
    tags: ['缴费', '供暖'],
    project: true,
  },
  {
    question: '可以提前装修吗？',
    paraphrases: ['交房前可以装修吗', '提前进场装修'],
    answer: '须在办理收房手续、取得《装修许可证》后方可进场，交付前不能提前装修。',
    tags: ['装修', '交房'],
    stages: ['准业主'],
  },
]

/** Inserts the demo entries once (matched on question and project, so a second run adds nothing). */
export async function seedKnowledge(manager: EntityManager, projectId: number, now: Date): Promise<void> {
  for (const entry of DEMO_KNOWLEDGE) {
    const project = entry.project ? projectId : null
    await manager.query(
      `INSERT INTO knowledge_entry (project_id, question, paraphrases, answer, tags, stages, created_by, created_at, updated_at)
       SELECT $1, $2, $3, $4, $5, $6, 'demo', $7, $7
        WHERE NOT EXISTS (SELECT 1 FROM knowledge_entry WHERE question = $2 AND project_id IS NOT DISTINCT FROM $1)`,
      [project, entry.question, entry.paraphrases, entry.answer, entry.tags, entry.stages ?? [], now],
    )
  }
}
