import type { EntityManager } from 'typeorm'
import { copy } from '../../copy'
import type {
  BindingDeps,
  BindingRefusal,
  BindingServices,
  PrivacyNotice,
  ProjectChoice,
} from '../../dialogs/ports'
import { attributeConsents, hasConsented, recordConsent } from '../../db/personal-data-queries'
import { sameUnit, type Address } from '../../domain/address'
import { maskPhone } from '../../domain/customer'
import { openPhone, phoneLookupKey } from '../../domain/phone-vault'
import { assignHousehold } from './assignment'
import {
  bindIdentity,
  lockPhoneChecks,
  otherAccounts,
  ownersTried,
  projectChoices,
  recentFailures,
  recordFailure,
  unitsOfPhone,
} from '../../db/binding-queries'
import { audit } from '../../db/case-store'
import { notifyOwner } from '../notifications/owner-notifications'
import { notifyStaff } from '../notifications/staff-notifications'

type Identity = BindingDeps['identity']
const subjectOf = (identity: Identity) => `${identity.channel}:${identity.externalId}`

/** Failed checks per identity, and per phone number claimed, within the window before it locks. */
export const BINDING_LOCKOUT_FAILURES = 5

/**
 * Failures are counted by phone without keeping the numbers someone tried: by the keyed hash owners'
 * numbers are found by, which without the key says nothing about the number.
 */
export const phoneHash = (phone: string) => phoneLookupKey(phone)

/** The privacy notice in force: its version is recorded with each consent; changing the text means a new version. */
export interface PrivacySettings {
  version: string
  /** Null: the default wording in the copy module. */
  text: string | null
}

export const DEFAULT_PRIVACY: PrivacySettings = { version: '2026-12', text: null }

/** Binds a channel identity to an owner when phone and unit match one household file. */
export class PgBindingServices implements BindingServices {
  constructor(
    private readonly manager: EntityManager,
    private readonly now: Date,
    private readonly privacy: PrivacySettings = DEFAULT_PRIVACY,
  ) {}

  async privacyNotice(identity: Identity): Promise<PrivacyNotice> {
    return {
      version: this.privacy.version,
      text: this.privacy.text ?? copy.bind.privacyNotice,
      agreed: await hasConsented(this.manager, identity.channel, identity.externalId, this.privacy.version),
    }
  }

  async consent(identity: Identity, version: string): Promise<void> {
    await recordConsent(this.manager, {
      channel: identity.channel,
      externalId: identity.externalId,
      version,
      at: this.now,
    })
  }

  async projects(): Promise<ProjectChoice[]> {
    const rows = await projectChoices(this.manager)
    return rows.map((row) => ({ projectId: row.id, name: row.name }))
  }

  async lockedOut(identity: Identity): Promise<boolean> {
    return (await this.failures(identity, null)).identity >= BINDING_LOCKOUT_FAILURES
  }

  async bind(
    identity: Identity,
    claim: { phone: string; projectId: number; address: Address },
  ): Promise<{ ok: true; ownerName: string } | BindingRefusal> {
    const hash = phoneHash(claim.phone)
    // One phone's checks one at a time, so that guesses from many accounts at once all count.
    await lockPhoneChecks(this.manager, hash)
    const before = await this.failures(identity, hash)
    if (before.identity >= BINDING_LOCKOUT_FAILURES || before.phone >= BINDING_LOCKOUT_FAILURES) {
      await this.record(identity, claim, 'binding.refused_locked')
      return { ok: false, locked: true }
    }
    // The units of the households this phone belongs to, in the project; the address must name one of
    // them, however the developer spelled building and room.
    const candidates = await unitsOfPhone(this.manager, hash, claim.projectId)
    const owner = candidates.find((c) => sameUnit(claim.address, { building: c.building, roomNo: c.room_no }))
    await this.record(identity, claim, owner ? 'binding.succeeded' : 'binding.failed')
    if (!owner) {
      await recordFailure(this.manager, identity, hash, this.now)
      const identityFailures = before.identity + 1
      const phoneFailures = before.phone + 1
      const locks =
        identityFailures === BINDING_LOCKOUT_FAILURES || phoneFailures === BINDING_LOCKOUT_FAILURES
      if (locks) await this.warnOfGuessing(identity, hash)
      const triesLeft = BINDING_LOCKOUT_FAILURES - Math.max(identityFailures, phoneFailures)
      return triesLeft <= 0 ? { ok: false, locked: true } : { ok: false, locked: false, triesLeft }
    }
    await this.warnOtherAccounts(identity, owner)
    await bindIdentity(this.manager, identity, owner.id)
    await attributeConsents(this.manager, identity.channel, identity.externalId, owner.id)
    // Every owner has an ambassador from the first contact on.
    await assignHousehold(this.manager, owner.household_id, subjectOf(identity))
    return { ok: true, ownerName: owner.name }
  }

  private async failures(
    identity: Identity,
    hash: string | null,
  ): Promise<{ identity: number; phone: number }> {
    return recentFailures(this.manager, identity, hash, this.now)
  }

  /** The audit keeps what was claimed, with the phone masked as everywhere staff read. */
  private record(
    identity: Identity,
    claim: { phone: string; projectId: number; address: Address },
    action: string,
  ): Promise<void> {
    return audit(this.manager, {
      actor: subjectOf(identity),
      action,
      subjectType: 'channel_identity',
      subjectId: subjectOf(identity),
      at: this.now,
      details: {
        phone: maskPhone(claim.phone),
        projectId: claim.projectId,
        ...claim.address,
      },
    })
  }

  /**
   * A lock-out just started: the owners whose numbers were tried (by this identity, or this number by
   * anyone) and their ambassadors hear of it, once, so a real owner locked out knows whom to ask.
   */
  private async warnOfGuessing(identity: Identity, hash: string): Promise<void> {
    const owners = await ownersTried(this.manager, identity, hash, this.now)
    for (const owner of owners) {
      await notifyOwner(this.manager, owner.id, copy.bind.ownerWarnedOfGuessing)
      await notifyStaff(
        this.manager,
        owner.ambassador_id,
        copy.staff.bindingLockout({
          owner: owner.name,
          phone: maskPhone(openPhone(owner.phone_enc) ?? ''),
          channel: identity.channel,
        }),
      )
    }
  }

  /** A file already bound elsewhere gains another account: its owner and ambassador are told. */
  private async warnOtherAccounts(
    identity: Identity,
    owner: { id: number; name: string; household_id: number },
  ): Promise<void> {
    const others = await otherAccounts(this.manager, owner, identity)
    if (others.n === 0) return
    await notifyOwner(this.manager, owner.id, copy.bind.ownerNewDevice(identity.channel))
    await notifyStaff(
      this.manager,
      others.ambassador_id,
      copy.staff.bindingNewDevice({ owner: owner.name, channel: identity.channel }),
    )
  }
}
