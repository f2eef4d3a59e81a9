import type { EntityManager } from 'typeorm'
import { handConversationTo } from '../../db/conversation-queries'
import { householdProject, unitsOfHousehold } from '../../db/household-queries'
import { onDutyStaffOf } from '../../db/organisation-queries'
import { formatShanghai, nextBusinessOpening } from '../../domain/working-time'
import { ambassadorOfHousehold } from '../../db/staff-directory'
import { copy } from '../../copy'
import type { AmbassadorCard, OwnData, OwnerServices, OwnerSession, UnitSummary } from '../../dialogs/ports'
import { ownSummary, unbindIdentity, withdrawConsents } from '../../db/personal-data-queries'
import { conversationIdentity } from '../../db/conversation-queries'
import { maskPhone } from '../../domain/customer'
import { audit } from '../../db/case-store'
import { notifyStaff } from '../notifications/staff-notifications'
import type { CaseClock } from '../cases/case-clock'
import { schedulePickupCheck } from '../conversations/hand-off-pickup'

/** The owner's ambassador: as read with the conversation when the turn has it, else from the directory. */
export async function sessionAmbassador(
  manager: EntityManager,
  session: OwnerSession,
): Promise<AmbassadorCard | null> {
  if (session.ambassador !== undefined) return session.ambassador
  return ambassadorOfHousehold(manager, session.householdId)
}

/** The household's units, its ambassador, and hand-off to that person. */
export class PgOwnerServices implements OwnerServices {
  constructor(
    private readonly manager: EntityManager,
    private readonly now: Date,
    private readonly clock: CaseClock,
  ) {}

  async unitsOf(session: OwnerSession): Promise<UnitSummary[]> {
    const rows = await unitsOfHousehold(this.manager, session.householdId)
    return rows.map((row) => ({
      unitId: row.unit_id,
      projectId: row.project_id,
      label: row.label,
      deliveredOn: row.delivered_on,
    }))
  }

  async ambassadorOf(session: OwnerSession): Promise<AmbassadorCard | null> {
    return sessionAmbassador(this.manager, session)
  }

  async myData(session: OwnerSession): Promise<OwnData> {
    const identity = await conversationIdentity(this.manager, session.conversationId)
    const own = await ownSummary(this.manager, session.ownerId, identity)
    const ambassador = await this.ambassadorOf(session)
    return {
      name: own.name,
      maskedPhone: maskPhone(own.phone),
      householdCode: own.householdCode,
      units: own.units,
      ambassador: ambassador?.name ?? null,
      accounts: own.accounts,
      cases: own.cases,
      consent:
        own.consentVersion && own.consentAt
          ? { version: own.consentVersion, at: formatShanghai(own.consentAt) }
          : null,
    }
  }

  async unbind(session: OwnerSession): Promise<void> {
    const identity = await conversationIdentity(this.manager, session.conversationId)
    await unbindIdentity(this.manager, identity.channel, identity.externalId)
    await withdrawConsents(this.manager, identity, this.now)
    await audit(this.manager, {
      actor: `owner:${session.ownerId}`,
      action: 'owner.unbind',
      subjectType: 'owner',
      subjectId: String(session.ownerId),
      details: { channel: identity.channel },
      at: this.now,
    })
  }

  async tellAmbassador(session: OwnerSession, message: string): Promise<void> {
    const ambassador = await this.ambassadorOf(session)
    await notifyStaff(this.manager, ambassador?.id ?? null, message)
  }

  async handOffToAmbassador(session: OwnerSession, context: string): Promise<AmbassadorCard | null> {
    const ambassador = await this.ambassadorOf(session)
    await handConversationTo(this.manager, session.conversationId, ambassador?.id ?? null, this.now)
    await audit(this.manager, {
      actor: `owner:${session.ownerId}`,
      action: 'conversation.handoff',
      subjectType: 'conversation',
      subjectId: String(session.conversationId),
      details: { ambassadorId: ambassador?.id ?? null, context },
      at: this.now,
    })
    const projectId = await householdProject(this.manager, session.householdId)
    await schedulePickupCheck(this.manager, this.clock, session.conversationId, this.now, projectId)
    const where = copy.menuItems[context as keyof typeof copy.menuItems] ?? context
    await notifyStaff(this.manager, ambassador?.id ?? null, copy.staff.handOff(session.ownerName, where))
    // Outside service hours the project's on-duty staff hear it too, in case it cannot wait for morning.
    const { businessHours, calendar } = (await this.clock.forProject(this.manager, projectId)).settings
    if (nextBusinessOpening(this.now, businessHours, calendar).getTime() !== this.now.getTime()) {
      const onDuty = projectId === null ? null : await onDutyStaffOf(this.manager, projectId)
      if (onDuty && onDuty.id !== ambassador?.id)
        await notifyStaff(this.manager, onDuty.id, copy.staff.handOffAfterHours(session.ownerName, where))
    }
    return ambassador
  }
}

export { ambassadorOfHousehold }
