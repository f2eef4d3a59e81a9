import { COMPLAINT_CATEGORIES } from '../../domain/case'
import { copy } from '../../copy'
import type { DialogDeps, UnitSummary } from '../ports'
import { defineDialog } from '../runtime/dialog'
import { freeText } from '../runtime/validators'

/** What an owner writes about a complaint (the description, or why they escalate it): 5 to 500 characters. */
export const complaintText = freeText({
  min: 5,
  max: 500,
  tooShort: copy.complaint.tooShort,
  tooLong: copy.complaint.tooLongDescription,
  needsWords: copy.complaint.needsWords,
})

const PUBLIC_AREA = {
  unitId: null,
  projectId: null,
  label: copy.complaint.publicArea,
  deliveredOn: null,
} as const
type Location = UnitSummary | typeof PUBLIC_AREA

/** 投诉: category, place, description, confirmation; the case belongs to the owner's ambassador (首问负责制). */
export const complaintDialog = defineDialog<DialogDeps>(
  { id: 'complaint', version: 1 },
  async (d, { session, owners, cases, staffAvailability }) => {
    const units = await d.run('units', () => owners.unitsOf(session))
    const category = await d.choose(copy.complaint.pickCategory, COMPLAINT_CATEGORIES, (c) => c)
    const location: Location = await d.choose<Location>(
      copy.complaint.pickLocation,
      [...units, PUBLIC_AREA],
      (place) => place.label,
    )
    const description = await d.ask(copy.complaint.describe, complaintText)

    const photos = await d.askPhotos(copy.complaint.photos, 3)

    if (!(await d.confirm(copy.complaint.summary(category, location.label, description, photos.length)))) {
      d.say(copy.complaint.notFiled)
      return
    }

    const filed = await d.run('file', () =>
      cases.fileComplaint(session, {
        category,
        unitId: location.unitId,
        // A public-area complaint belongs to the project of the owner's (first) unit.
        projectId: location.projectId ?? units[0].projectId,
        publicArea: location.unitId === null,
        description,
        attachments: photos.map((photo) => photo.ref),
      }),
    )
    const availability = await d.run('availability', async () => staffAvailability())
    d.say(
      copy.complaint.filed(filed.caseNo, filed.ambassadorName) +
        (availability.open ? '' : `\n${copy.complaint.outsideHours(availability.opensAt)}`),
    )
  },
)
