import { ambassadorDialog } from './flows/ambassador.dialog'
import { casesDialog } from './flows/cases.dialog'
import { complaintDialog } from './flows/complaint.dialog'
import { knowledgeDialog } from './flows/knowledge.dialog'
import { myDataDialog, unbindDialog } from './flows/my-data.dialog'
import { lettersDialog } from './flows/letters.dialog'
import { menuDialog } from './flows/menu.dialog'
import { repairDialog } from './flows/repair.dialog'
import { surveyDialog } from './flows/survey.dialog'
import type { DialogDeps } from './ports'
import type { Dialog } from './runtime/dialog'

/** Every dialog a bound owner can be in, by id (the menu's choices are these ids). */
export const dialogs: ReadonlyMap<string, Dialog<DialogDeps>> = new Map(
  [
    menuDialog,
    complaintDialog,
    repairDialog,
    lettersDialog,
    surveyDialog,
    casesDialog,
    ambassadorDialog,
    knowledgeDialog,
    myDataDialog,
    unbindDialog,
  ].map((dialog) => [dialog.id, dialog]),
)
