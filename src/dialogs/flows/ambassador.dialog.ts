import { copy } from '../../copy'
import type { OwnerDeps } from '../ports'
import { defineDialog } from '../runtime/dialog'

/** 联系客户大使: who the owner's ambassador is, and how to reach them. */
export const ambassadorDialog = defineDialog<OwnerDeps>(
  { id: 'ambassador', version: 1 },
  async (d, { session, owners }) => {
    const ambassador = await d.run('ambassador', () => owners.ambassadorOf(session))
    d.say(ambassador ? copy.ambassador.card(ambassador.name, ambassador.phone) : copy.ambassador.none)
  },
)
