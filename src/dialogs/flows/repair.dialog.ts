import { emergencyOfReport } from '../../domain/emergency'
import type { WarrantyStatus } from '../../domain/warranty'
import { copy } from '../../copy'
import type { OwnerDeps, RepairServices, UnderstoodRequest } from '../ports'
import { defineDialog, type DialogContext } from '../runtime/dialog'
import { unitNamedIn } from '../runtime/units'
import { freeText } from '../runtime/validators'

const repairText = freeText({
  min: 5,
  max: 300,
  tooShort: copy.repair.tooShort,
  tooLong: copy.repair.tooLongDescription,
  needsWords: copy.repair.needsWords,
})

/** A slot can be taken between showing it and booking it; after this many such races, staff take over. */
const BOOKING_ROUNDS = 3

const warrantyLine = (warranty: WarrantyStatus) =>
  warranty.covered
    ? copy.repair.inWarranty(warranty.until)
    : copy.repair.paid(copy.repair.paidReasons[warranty.reason])

/**
 * 报修: category, unit, description, visit slot, confirmation; warranty or paid by category and delivery
 * date. Started from a sentence ("卫生间漏水了，能派人来看看吗"), what it said is not asked again: the
 * category, the unit it names, and the sentence as the description — said back first, so a wrong guess
 * costs one word (不对).
 */
export type RepairDeps = OwnerDeps & { repairs: RepairServices }

export const repairDialog = defineDialog<RepairDeps>({ id: 'repair', version: 3 }, async (d, deps) => {
  const { session, owners, repairs } = deps
  const understood = await d.seeded<UnderstoodRequest>()
  const units = (await d.run('units', () => owners.unitsOf(session))).filter((u) => u.deliveredOn !== null)
  if (units.length === 0) {
    d.say(copy.repair.noDeliveredUnit)
    return
  }
  const categories = await d.run('categories', () => repairs.categories())
  // A guess counts only when it is one of the developer's categories today.
  const guessed = categories.find((c) => c.name === understood?.category) ?? null
  const told = understood?.description ? repairText(understood.description) : null
  const toldDescription = told?.ok ? told.value : null
  if (guessed) d.say(copy.understood.repair(guessed.name, toldDescription))
  const chosen = guessed ?? (await d.choose(copy.repair.pickCategory, categories, (c) => c.name))
  const category = chosen.name
  const unit =
    units.length === 1
      ? units[0]
      : (unitNamedIn(toldDescription, units) ?? (await d.choose(copy.repair.pickUnit, units, (u) => u.label)))
  const description = toldDescription ?? (await d.ask(copy.repair.describe, repairText))
  // Gas, water pouring out, power or fire, or a category the developer marked: no photos, no slot — the
  // on-duty staff come now.
  const emergency = emergencyOfReport(description, chosen.emergency)
  if (emergency) {
    const reported = await d.run('emergency', () =>
      repairs.reportEmergency(session, { category, unitId: unit.unitId, description, emergency }),
    )
    d.say(
      reported.ok
        ? copy.repair.emergencyReported({
            caseNo: reported.caseNo,
            what: copy.repair.emergencyKinds[emergency],
            handledBy: reported.handledBy,
            safety: copy.repair.emergencySafety[emergency],
          })
        : copy.repair.notOpen,
    )
    return
  }
  const photos = await d.askPhotos(copy.repair.photos, 3)
  const warranty = await d.run('warranty', () => repairs.warrantyOf(session, unit.unitId, category))

  for (let round = 1; round <= BOOKING_ROUNDS; round += 1) {
    const slots = await d.run(`slots-${round}`, () => repairs.openSlots(session, unit.unitId))
    if (slots.length === 0) {
      await d.run('handoff', () => owners.handOffToAmbassador(session, 'repair:no-slots'))
      d.say(copy.repair.noSlots)
      return
    }
    const slot = await d.choose(copy.repair.pickSlot, slots, (s) => s.label)
    const summary = {
      category,
      unit: unit.label,
      description,
      photos: photos.length,
      slot: slot.label,
      warranty: warrantyLine(warranty),
    }
    if (!(await d.confirm(copy.repair.summary(summary)))) {
      d.say(copy.repair.notBooked)
      return
    }
    const booked = await d.run(`book-${round}`, () =>
      repairs.book(session, {
        category,
        unitId: unit.unitId,
        description,
        attachments: photos.map((photo) => photo.ref),
        slotId: slot.slotId,
      }),
    )
    if (booked.ok) {
      d.say(copy.repair.booked(booked.caseNo, booked.slot, booked.ambassadorName))
      return
    }
    if (booked.error !== 'SLOT_TAKEN') {
      d.say(copy.repair.notOpen)
      return
    }
    d.say(copy.repair.slotTaken)
  }
  await d.run('handoff', () => owners.handOffToAmbassador(session, 'repair:slots-contended'))
  d.say(copy.repair.tooManyTaken)
})

/** 改约: pick another slot for an open repair; the old slot is released in the same transaction. */
export async function rescheduleRepair(
  d: DialogContext,
  { session, repairs }: RepairDeps,
  caseNo: string,
): Promise<void> {
  for (let round = 1; round <= BOOKING_ROUNDS; round += 1) {
    const slots = await d.run(`reslots-${round}`, () => repairs.slotsForCase(session, caseNo))
    if (slots.length === 0) {
      d.say(copy.repair.noSlots)
      return
    }
    const slot = await d.choose(copy.repair.pickSlot, slots, (s) => s.label)
    const outcome = await d.run(`reschedule-${round}`, () => repairs.reschedule(session, caseNo, slot.slotId))
    if (outcome === 'ok') {
      d.say(copy.repair.rescheduled(caseNo, slot.label))
      return
    }
    if (outcome === 'NOT_OPEN') {
      d.say(copy.repair.notOpen)
      return
    }
    d.say(copy.repair.slotTaken)
  }
  d.say(copy.repair.tooManyTaken)
}
