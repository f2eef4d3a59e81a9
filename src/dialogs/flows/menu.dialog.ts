import { copy } from '../../copy'
import type { OwnerDeps } from '../ports'
import { defineDialog } from '../runtime/dialog'

export type MenuChoice = keyof typeof copy.menuItems
const items = Object.entries(copy.menuItems) as [MenuChoice, string][]

/** The main menu: greets the owner and hands the turn to the chosen dialog. */
export const menuDialog = defineDialog<OwnerDeps>(
  // Soft: a sentence instead of a number is read for what it asks, never answered with 请回复序号.
  { id: 'menu', version: 1, soft: 'always' },
  async (d, { session }) => {
    const [choice] = await d.choose(copy.greeting(session.ownerName), items, ([, label]) => label)
    return { next: choice }
  },
)

/** "投诉", "报修", "我的工单" … typed outside any dialog go straight to that dialog. */
export function shortcutFor(input: string): MenuChoice | null {
  const keywords: [RegExp, MenuChoice][] = [
    [/投诉/, 'complaint'],
    [/报修|维修|修理/, 'repair'],
    [/进度|告知函|函件/, 'letters'],
    [/回访|满意度|评价/, 'survey'],
    [/大使|管家/, 'ambassador'],
    [/工单|进展|查询/, 'cases'],
  ]
  return keywords.find(([pattern]) => pattern.test(input))?.[1] ?? null
}

export function isMenuNumber(input: string): boolean {
  return /^\d+$/.test(input) && Number(input) >= 1 && Number(input) <= items.length
}
