import { ambassadorDialog } from './flows/ambassador.dialog'
import { casesDialog } from './flows/cases.dialog'
import { complaintDialog } from './flows/complaint.dialog'
import { menuDialog } from './flows/menu.dialog'
import type { DialogDeps } from './ports'
import type { Dialog } from './runtime/dialog'

/** Every dialog an owner can be in, by id. A menu item without a dialog here is announced as coming soon. */
export const dialogs: ReadonlyMap<string, Dialog<DialogDeps>> = new Map(
  [menuDialog, complaintDialog, casesDialog, ambassadorDialog].map((dialog) => [dialog.id, dialog]),
)
