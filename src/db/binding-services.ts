import type { EntityManager } from 'typeorm'
import type { BindingDeps, BindingServices, ProjectChoice } from '../dialogs/ports'
import { maskPhone } from '../domain/customer'
import { assignHousehold } from './assignment'
import { audit } from './case-store'

const subjectOf = (identity: BindingDeps['identity']) => `${identity.channel}:${identity.externalId}`

/** Binds a channel identity to an owner when phone and unit match one household file. */
export class PgBindingServices implements BindingServices {
  constructor(
    private readonly manager: EntityManager,
    private readonly now: Date,
  ) {}

  async projects(): Promise<ProjectChoice[]> {
    const rows: { id: number; name: string }[] = await this.manager.query(
      `SELECT id, name FROM project ORDER BY name`,
    )
    return rows.map((row) => ({ projectId: row.id, name: row.name }))
  }

  async recentFailures(identity: BindingDeps['identity']): Promise<number> {
    const [{ n }] = await this.manager.query(
      `SELECT count(*)::int AS n FROM audit_log
        WHERE subject_type = 'channel_identity' AND subject_id = $1 AND action = 'binding.failed'
          AND at > $2::timestamptz - interval '24 hours'`,
      [subjectOf(identity), this.now],
    )
    return n
  }

  async bind(
    identity: BindingDeps['identity'],
    claim: { phone: string; projectId: number; building: string; room: string },
  ): Promise<{ ok: true; ownerName: string } | { ok: false }> {
    const owners: { id: number; name: string; household_id: number }[] = await this.manager.query(
      `SELECT o.id, o.name, o.household_id
         FROM owner o
         JOIN household_unit hu ON hu.household_id = o.household_id
         JOIN unit u ON u.id = hu.unit_id
         JOIN building b ON b.id = u.building_id
        WHERE o.phone = $1 AND b.project_id = $2 AND b.name = $3 AND u.room_no = $4
        LIMIT 1`,
      [claim.phone, claim.projectId, claim.building, claim.room],
    )
    const owner = owners[0]
    await audit(this.manager, {
      actor: subjectOf(identity),
      action: owner ? 'binding.succeeded' : 'binding.failed',
      at: this.now,
      subjectType: 'channel_identity',
      subjectId: subjectOf(identity),
      // The audit keeps what was claimed, with the phone masked as everywhere staff read.
      details: {
        phone: maskPhone(claim.phone),
        projectId: claim.projectId,
        building: claim.building,
        room: claim.room,
      },
    })
    if (!owner) return { ok: false }
    await this.manager.query(
      `INSERT INTO channel_identity (channel, external_id, owner_id) VALUES ($1, $2, $3)
       ON CONFLICT (channel, external_id) DO NOTHING`,
      [identity.channel, identity.externalId, owner.id],
    )
    await this.manager.query(`UPDATE conversation SET owner_id = $2 WHERE id = $1`, [
      identity.conversationId,
      owner.id,
    ])
    // Every owner has an ambassador from the first contact on.
    await assignHousehold(this.manager, owner.household_id, subjectOf(identity))
    return { ok: true, ownerName: owner.name }
  }
}
