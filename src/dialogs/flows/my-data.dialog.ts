import { copy } from '../../copy'
import type { OwnerDeps } from '../ports'
import { defineDialog } from '../runtime/dialog'

/** 查看我的信息: what is kept about the owner, and how to have it corrected, copied or deleted. */
export const myDataDialog = defineDialog<OwnerDeps>(
  { id: 'my-data', version: 1 },
  async (d, { session, owners }) => {
    const data = await d.run('my-data', () => owners.myData(session))
    d.say(copy.privacy.myData(data))
  },
)

/** 解绑: this WeChat account stops being the owner's, after a confirmation; the file stays. */
export const unbindDialog = defineDialog<OwnerDeps>(
  { id: 'unbind', version: 1 },
  async (d, { session, owners }) => {
    if (!(await d.confirm(copy.privacy.confirmUnbind))) {
      d.say(copy.privacy.keptBound)
      return
    }
    await d.run('unbind', () => owners.unbind(session))
    d.say(copy.privacy.unbound)
  },
)
