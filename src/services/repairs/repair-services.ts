import { sessionAmbassador } from '../households/owner-services'
import type { EntityManager } from 'typeorm'
import { copy } from '../../copy'
import type {
  BookingResult,
  EmergencyRepair,
  EmergencyResult,
  NewRepair,
  OwnerSession,
  RepairCategoryChoice,
  RepairServices,
  RepairSlot,
} from '../../dialogs/ports'
import { categoryByName, listCategories } from '../../db/category-queries'
import { warrantyMonthsOf } from '../../domain/categories'
import { onDutyStaffOf } from '../../db/organisation-queries'
import { notifyStaff } from '../notifications/staff-notifications'
import { warrantyFor, type WarrantyPeriods, type WarrantyStatus } from '../../domain/warranty'
import { formatShanghai, shanghaiClock } from '../../domain/working-time'
import type { CaseClock } from '../cases/case-clock'
import { CaseLifecycle, lockCase } from '../cases/case-lifecycle'
import { openRecordedCase, recordCaseEvent } from '../cases/case-events'
import {
  freeSlots,
  householdUnit,
  openRepairOf,
  releaseSlotPlace,
  setRepairSlot,
  takeSlotPlace,
  type SlotRow,
} from '../../db/repair-queries'

const slotLabel = (slot: SlotRow) =>
  `${formatShanghai(slot.starts_at)}-${formatShanghai(slot.ends_at).slice(-5)}`

/** How many open slots an owner is offered at once. */
const SLOTS_OFFERED = 8

/**
 * Repair visits. Capacity is enforced by one conditional update (booked < capacity) under the slot's row
 * lock, so two owners racing for the last place get one booking and one SLOT_TAKEN.
 */
export class PgRepairServices implements RepairServices {
  constructor(
    private readonly manager: EntityManager,
    private readonly now: Date,
    private readonly warrantyPeriods: WarrantyPeriods,
    private readonly clock: CaseClock,
  ) {}

  /**
   * An emergency: the case opens now on the emergency clock (30 minutes, day or night) and the project's
   * on-duty staff are called as well as the ambassador; no visit slot is taken — someone comes at once.
   */
  async reportEmergency(session: OwnerSession, repair: EmergencyRepair): Promise<EmergencyResult> {
    const unit = await this.ownedUnit(session, repair.unitId)
    if (!unit) return { ok: false, error: 'UNIT_NOT_OWNED' }
    const ambassador = await sessionAmbassador(this.manager, session)
    const onDuty = await onDutyStaffOf(this.manager, unit.project_id)
    const what = copy.repair.emergencyKinds[repair.emergency]
    const opened = await this.openOwnerRepair(
      session,
      { ...repair, attachments: [], projectId: unit.project_id, ambassadorId: ambassador?.id ?? null },
      { emergency: repair.emergency },
      { location: unit.label, slot: copy.repair.emergencySlot(what), warranty: '' },
    )
    const clock = await this.clock.forProject(this.manager, unit.project_id)
    await clock.start(
      this.manager,
      { id: opened.id, kind: 'repair', publicArea: false, openedAt: this.now },
      { reply: clock.settings.policies.emergencyDispatch, solve: null },
    )
    if (onDuty && onDuty.id !== ambassador?.id)
      await notifyStaff(
        this.manager,
        onDuty.id,
        copy.staff.emergencyRepair({
          caseNo: opened.caseNo,
          what,
          owner: session.ownerName,
          location: unit.label,
          description: repair.description,
        }),
      )
    const handledBy = onDuty
      ? { name: onDuty.name, onDuty: true }
      : ambassador
        ? { name: ambassador.name, onDuty: false }
        : null
    return { ok: true, caseNo: opened.caseNo, handledBy }
  }

  /** A repair case the owner opened in chat, with its `opened` event and the new-repair notice. */
  private openOwnerRepair(
    session: OwnerSession,
    repair: {
      category: string
      unitId: number
      description: string
      attachments: string[]
      projectId: number
      ambassadorId: number | null
    },
    details: Record<string, unknown>,
    notice: { location: string; slot: string; warranty: string },
  ) {
    return openRecordedCase(
      this.manager,
      {
        kind: 'repair',
        category: repair.category,
        projectId: repair.projectId,
        householdId: session.householdId,
        ownerId: session.ownerId,
        unitId: repair.unitId,
        publicArea: false,
        ambassadorId: repair.ambassadorId,
        intakeChannel: session.channel,
        description: repair.description,
        actor: `owner:${session.ownerId}`,
        now: this.now,
        attachments: repair.attachments,
        details,
      },
      notice,
    )
  }

  async categories(): Promise<RepairCategoryChoice[]> {
    return (await listCategories(this.manager, { kind: 'repair' })).map(({ name, emergency }) => ({
      name,
      emergency,
    }))
  }

  /** The category's warranty in months; a name no longer among the categories has none. */
  private async warrantyMonths(category: string): Promise<number> {
    const found = await categoryByName(this.manager, 'repair', category)
    return found ? warrantyMonthsOf(found, this.warrantyPeriods) : 0
  }

  async openSlots(session: OwnerSession, unitId: number): Promise<RepairSlot[]> {
    const unit = await this.ownedUnit(session, unitId)
    return unit ? this.slotsOfProject(unit.project_id, null) : []
  }

  async warrantyOf(session: OwnerSession, unitId: number, category: string): Promise<WarrantyStatus> {
    const unit = await this.ownedUnit(session, unitId)
    return warrantyFor(
      { months: await this.warrantyMonths(category) },
      unit?.delivered_on ?? null,
      shanghaiClock(this.now).ymd,
    )
  }

  async book(session: OwnerSession, repair: NewRepair): Promise<BookingResult> {
    const unit = await this.ownedUnit(session, repair.unitId)
    if (!unit) return { ok: false, error: 'UNIT_NOT_OWNED' }
    const slot = await this.takeSlot(repair.slotId, unit.project_id)
    if (!slot) return { ok: false, error: 'SLOT_TAKEN' }
    const warranty = warrantyFor(
      { months: await this.warrantyMonths(repair.category) },
      unit.delivered_on,
      shanghaiClock(this.now).ymd,
    )
    const ambassador = await sessionAmbassador(this.manager, session)
    const label = slotLabel(slot)
    const warrantyText = warranty.covered
      ? copy.repair.inWarranty(warranty.until)
      : copy.repair.paid(copy.repair.paidReasons[warranty.reason])
    const opened = await this.openOwnerRepair(
      session,
      { ...repair, projectId: unit.project_id, ambassadorId: ambassador?.id ?? null },
      { warranty },
      { location: unit.label, slot: label, warranty: warrantyText },
    )
    await setRepairSlot(this.manager, opened.id, slot.id, null)
    // The front desk dispatches within 10 minutes of service hours: the ambassador's 接单 meets it.
    await this.clock.start(this.manager, {
      id: opened.id,
      kind: 'repair',
      publicArea: false,
      openedAt: this.now,
      projectId: unit.project_id,
    })
    return {
      ok: true,
      caseNo: opened.caseNo,
      slot: label,
      warranty,
      ambassadorName: ambassador?.name ?? null,
    }
  }

  async slotsForCase(session: OwnerSession, caseNo: string): Promise<RepairSlot[]> {
    const repair = await this.openRepair(session, caseNo, false)
    return repair ? this.slotsOfProject(repair.project_id, repair.repair_slot_id) : []
  }

  async reschedule(
    session: OwnerSession,
    caseNo: string,
    slotId: number,
  ): Promise<'ok' | 'SLOT_TAKEN' | 'NOT_OPEN'> {
    const repair = await this.openRepair(session, caseNo, true)
    if (!repair) return 'NOT_OPEN'
    const slot = await this.takeSlot(slotId, repair.project_id)
    if (!slot) return 'SLOT_TAKEN'
    await this.releaseSlot(repair.repair_slot_id)
    await setRepairSlot(this.manager, repair.id, slot.id, this.now)
    await recordCaseEvent(this.manager, {
      caseId: repair.id,
      actor: `owner:${session.ownerId}`,
      kind: 'rescheduled',
      data: { slotId: slot.id, slot: slotLabel(slot) },
      at: this.now,
    })
    return 'ok'
  }

  async cancel(session: OwnerSession, caseNo: string): Promise<'ok' | 'NOT_OPEN'> {
    const repair = await this.openRepair(session, caseNo, true)
    if (!repair) return 'NOT_OPEN'
    await this.releaseSlot(repair.repair_slot_id)
    const locked = await lockCase(this.manager, repair.id)
    if (locked)
      await new CaseLifecycle(this.manager, this.clock, this.now).cancel(locked, `owner:${session.ownerId}`)
    return 'ok'
  }

  private async ownedUnit(
    session: OwnerSession,
    unitId: number,
  ): Promise<{ project_id: number; delivered_on: string | null; label: string } | null> {
    return householdUnit(this.manager, session.householdId, unitId)
  }

  private async openRepair(session: OwnerSession, caseNo: string, lock: boolean) {
    return openRepairOf(this.manager, session.householdId, caseNo, lock)
  }

  private async slotsOfProject(projectId: number, except: number | null): Promise<RepairSlot[]> {
    const rows = await freeSlots(this.manager, projectId, this.now, except, SLOTS_OFFERED)
    return rows.map((row) => ({ slotId: row.id, label: slotLabel(row) }))
  }

  private async takeSlot(slotId: number, projectId: number): Promise<SlotRow | null> {
    return takeSlotPlace(this.manager, slotId, projectId, this.now)
  }

  private async releaseSlot(slotId: number | null): Promise<void> {
    if (slotId === null) return
    await releaseSlotPlace(this.manager, slotId)
  }
}
