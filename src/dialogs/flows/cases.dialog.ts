import { copy } from '../copy.zh-cn'
import type { DialogDeps } from '../ports'
import { defineDialog } from '../runtime/dialog'

/** 查询我的工单: the household's latest cases with their status. */
export const casesDialog = defineDialog<DialogDeps>(
  { id: 'cases', version: 1 },
  async (d, { session, services }) => {
    const cases = await d.run('cases', () => services.recentCases(session, 10))
    if (cases.length === 0) {
      d.say(copy.cases.none)
      return
    }
    const lines = cases.map((c) =>
      copy.cases.line(
        c.caseNo,
        copy.caseKinds[c.kind] ?? c.kind,
        c.category,
        copy.caseStatuses[c.status] ?? c.status,
        c.createdAt,
      ),
    )
    d.say([copy.cases.header, ...lines].join('\n'))
  },
)
