import { copy } from '../../copy'
import type { CaseServices, OwnerDeps, UnderstoodRequest, UnitSummary } from '../ports'
import { defineDialog } from '../runtime/dialog'
import { unitNamedIn } from '../runtime/units'
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

/**
 * 投诉: category, place, description, confirmation; the case belongs to the owner's ambassador (首问负责制).
 * Started from a sentence, its category, the unit it names and the sentence itself are taken, said back
 * first (不对 undoes the guess).
 */
export type ComplaintDeps = OwnerDeps & { cases: CaseServices }

export const complaintDialog = defineDialog<ComplaintDeps>(
  { id: 'complaint', version: 3 },
  async (d, { session, owners, cases, staffAvailability }) => {
    const understood = await d.seeded<UnderstoodRequest>()
    const units = await d.run('units', () => owners.unitsOf(session))
    const categories = await d.run('categories', () => cases.complaintCategories())
    // A guess counts only when it is one of the developer's categories today.
    const guessed = understood && categories.includes(understood.category) ? understood.category : null
    const told = understood?.description ? complaintText(understood.description) : null
    const toldDescription = told?.ok ? told.value : null
    if (guessed) d.say(copy.understood.complaint(guessed, toldDescription))
    const category = guessed ?? (await d.choose(copy.complaint.pickCategory, categories, (c) => c))
    const location: Location =
      unitNamedIn(toldDescription, units) ??
      (await d.choose<Location>(copy.complaint.pickLocation, [...units, PUBLIC_AREA], (place) => place.label))
    const description = toldDescription ?? (await d.ask(copy.complaint.describe, complaintText))

    const photos = await d.askPhotos(copy.complaint.photos, 3)

    if (!(await d.confirm(copy.complaint.summary(category, location.label, description, photos.length)))) {
      d.say(copy.complaint.notFiled)
      return
    }

    // A public-area complaint belongs to the project of the owner's (first) unit.
    const projectId = location.projectId ?? units[0].projectId
    // Asked before filing, so the filing's locks are held no longer than they must be.
    const availability = await d.run('availability', () => staffAvailability(projectId))
    const filed = await d.run('file', () =>
      cases.fileComplaint(session, {
        category,
        unitId: location.unitId,
        location: location.label,
        projectId,
        publicArea: location.unitId === null,
        description,
        attachments: photos.map((photo) => photo.ref),
      }),
    )
    d.say(
      copy.complaint.filed(filed.caseNo, filed.ambassadorName) +
        (availability.open ? '' : `\n${copy.complaint.outsideHours(availability.opensAt)}`),
    )
  },
)
