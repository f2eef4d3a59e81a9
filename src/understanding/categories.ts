import type { ComplaintCategory } from '../domain/case'
import type { RepairCategory } from '../domain/warranty'

/**
 * Which category an owner's own words point to. Each category lists the words owners use for it with a
 * weight (a leak outweighs the wall it shows on); the heaviest total wins, and no word at all means no
 * guess — the dialog then asks. Matched on the normalised, compacted sentence (simplified, no spaces).
 */
type Lexicon<C extends string> = Record<Exclude<C, '其他'>, [RegExp, number][]>

const REPAIR_WORDS: Lexicon<RepairCategory> = {
  防水渗漏: [
    [
      /漏水|渗水|渗漏|漏雨|返潮|反潮|洇水|阴湿|水渍|水印|发霉|长霉|霉斑|渗|防水|滴水|往下滴|漏了|湿了一片|进水|全是水|淹|往下(流|淌)|(天花板|顶上|吊顶).{0,4}水|墙.{0,6}湿/,
      3,
    ],
    [/潮|湿/, 1],
  ],
  水电管线: [
    [/跳闸|没电|不通电|断电|停电|插座|开关|电路|短路|漏电|电线|灯不亮|灯.{0,2}坏|配电箱|电箱|电闸|空开/, 3],
    [
      /水管|下水|排水|地漏|马桶|坐便|堵|反味|返味|臭味|水压|没水|没有水|停水|出不来水|水龙头|龙头|花洒|管道|水表|热水器|燃气|煤气|天然气|排风扇|排气扇/,
      3,
    ],
    [/水|电/, 0.5],
  ],
  门窗五金: [
    [
      /门锁|锁芯|锁舌|锁坏|锁不上|密码锁|指纹锁|入户门|防盗门|房门|门框|门把|门吸|把手|合页|铰链|推拉|滑轮|滑轨|纱窗|玻璃|五金|拉手|密封条|胶条|关不上|关不严|打不开/,
      3,
    ],
    // A bare 门 or 窗 is weaker: 上门 is a visit, 门卫 a guard, and water coming in by a window is a leak.
    [/(?<![上出进大楼单阀])门(?![卫禁口岗])|窗/, 2],
  ],
  墙地面装修: [
    [
      /裂缝|开裂|裂了|空鼓|起鼓|脱落|掉皮|起皮|墙皮|瓷砖|地砖|地板|墙面|墙体|踢脚|吊顶|涂料|乳胶漆|找平|不平|色差|墙/,
      2,
    ],
    [/地面|墙上|顶棚/, 1],
  ],
  供暖空调: [
    // Heating named outweighs the leak it has: 暖气漏水 is the heating's repair.
    [/暖气|供暖|采暖|地暖|空调|新风|风机盘管/, 4],
    [/不热|不暖|太冷|冷得|温度/, 2],
  ],
}

const COMPLAINT_WORDS: Lexicon<ComplaintCategory> = {
  工程质量: [
    [
      /质量|漏水|渗水|裂缝|开裂|空鼓|偷工减料|施工|工程|返修|修了.{0,4}(没好|还|又)|修不好|没修好|豆腐渣|做工|瑕疵/,
      3,
    ],
    [/墙|窗|门|地板|瓷砖/, 1],
  ],
  物业服务: [
    [
      /物业|保安|保洁|门卫|管家|垃圾|卫生|电梯|停车|车位管理|噪音|绿化.{0,2}(没人|不管)|服务态度|态度|收费|乱收|放人|外人/,
      3,
    ],
  ],
  销售承诺: [
    [
      /销售|置业顾问|售楼|宣传|广告|说好的|当初说|买房时|买的时候|合同|交房.{0,3}(延期|推迟|晚)|延期交房|虚假|样板间|赠送|送的|面积缩水|退房|骗|忽悠|兑现/,
      3,
    ],
    [/承诺/, 2],
  ],
  设计变更: [
    [/设计|变更|图纸|户型.{0,3}(变|改|不一样)|规划|和样板|与样板|不符|容积率|层高|楼间距|外立面|景观/, 3],
  ],
  配套设施: [
    [
      /配套|学校|幼儿园|会所|泳池|游泳池|商业|超市|公交|道路|路灯|充电桩|健身|儿童乐园|游乐|绿化|花园|地库|车库|门禁|快递柜/,
      3,
    ],
  ],
}

function bestOf<C extends string>(lexicon: Lexicon<C>, compacted: string): Exclude<C, '其他'> | null {
  let best: Exclude<C, '其他'> | null = null
  let bestScore = 0
  for (const [category, words] of Object.entries(lexicon) as [Exclude<C, '其他'>, [RegExp, number][]][]) {
    const score = words.reduce((sum, [pattern, weight]) => sum + (pattern.test(compacted) ? weight : 0), 0)
    if (score > bestScore) {
      best = category
      bestScore = score
    }
  }
  // Half a point is the faint "水" or "电" alone: too little to pick a category on.
  return bestScore >= 1 ? best : null
}

export function repairCategoryOf(compacted: string): RepairCategory | null {
  return bestOf(REPAIR_WORDS, compacted)
}

export function complaintCategoryOf(compacted: string): ComplaintCategory | null {
  return bestOf(COMPLAINT_WORDS, compacted)
}
