import type { EntityManager } from 'typeorm'
import { copy } from '../../copy'
import { SATISFACTION_LEVELS } from '../../domain/satisfaction'
import { formatShanghai } from '../../domain/working-time'
import { canSeeHousehold, phoneFor, scopeOf, type Viewer } from '../../db/access'
import { audit } from '../../db/case-store'
import { UNIT_LABEL_SQL } from '../../db/unit-label'
import { slaStateSql } from '../../domain/sla-state'

/** A staff record signed in to the sidebar (its role is the staff record's, not a token's). */
export interface StaffMember {
  id: number
  name: string
  role: 'ambassador' | 'supervisor' | 'branch_head' | 'group_centre'
}

export type SidebarFile = {
  owner: { name: string; phone: string; relation: string }
  household: { code: string; stage: string }
  units: { label: string; deliveredOn: string | null }[]
  openCases: {
    caseNo: string
    kind: string
    category: string
    status: string
    dueAt: string | null
    overdue: boolean
  }[]
  surveys: { caseNo: string; score: number; label: string; comment: string | null }[]
}

/**
 * The household file an ambassador sees next to a chat, under the same scope and phone masking as the
 * API (an ambassador their own households, a supervisor their team's, a branch head their branch's);
 * every read and every refusal is audited, as customer files are confidential.
 */
export async function sidebarFile(
  manager: EntityManager,
  staff: StaffMember,
  externalUserId: string,
  now: Date,
): Promise<SidebarFile | 'NOT_AN_OWNER' | 'NOT_YOURS'> {
  const [owner] = await manager.query(
    `SELECT o.id, o.name, o.phone, o.relation, o.household_id, h.code, h.stage,
            (SELECT ambassador_id FROM ambassador_assignment
              WHERE household_id = o.household_id AND ended_at IS NULL) AS ambassador_id
       FROM channel_identity ci JOIN owner o ON o.id = ci.owner_id JOIN household h ON h.id = o.household_id
      WHERE (ci.channel = 'wecom-kf' AND split_part(ci.external_id, '|', 2) = $1)
         OR (ci.channel = 'wecom-contact' AND ci.external_id = $1)
      LIMIT 1`,
    [externalUserId],
  )
  if (!owner) return 'NOT_AN_OWNER'
  const viewer: Viewer = { role: staff.role, ambassadorId: staff.id }
  const allowed = await canSeeHousehold(manager, await scopeOf(manager, viewer), owner.household_id)
  await audit(manager, {
    actor: `staff:${staff.id}`,
    action: allowed ? 'customer_file.read' : 'customer_file.denied',
    subjectType: 'household',
    subjectId: String(owner.household_id),
    details: { via: 'wecom-sidebar' },
  })
  if (!allowed) return 'NOT_YOURS'

  const units: { label: string; delivered_on: string | null }[] = await manager.query(
    `SELECT ${UNIT_LABEL_SQL} AS label, u.delivered_on::text AS delivered_on
       FROM household_unit hu JOIN unit u ON u.id = hu.unit_id JOIN building b ON b.id = u.building_id
       JOIN project p ON p.id = b.project_id WHERE hu.household_id = $1 ORDER BY label`,
    [owner.household_id],
  )
  const cases: {
    case_no: string
    kind: string
    category: string
    status: string
    reply_due_at: Date | null
    sla_paused_at: Date | null
    overdue: boolean
  }[] = await manager.query(
    `SELECT case_no, kind, category, status, reply_due_at, sla_paused_at,
            COALESCE((${slaStateSql(2, 'service_case')}) = 'breached', false) AS overdue
       FROM service_case WHERE household_id = $1 AND status NOT IN ('resolved', 'closed')
      ORDER BY reply_due_at NULLS LAST, id`,
    [owner.household_id, now],
  )
  const surveys: { case_no: string; score: number; comment: string | null }[] = await manager.query(
    `SELECT c.case_no, s.score, s.comment FROM survey s JOIN service_case c ON c.id = s.case_id
      WHERE c.household_id = $1 AND s.answered_at IS NOT NULL ORDER BY s.answered_at DESC LIMIT 5`,
    [owner.household_id],
  )
  return {
    owner: {
      name: owner.name,
      phone: phoneFor(viewer, owner.phone, owner.ambassador_id === staff.id),
      relation: owner.relation,
    },
    household: { code: owner.code, stage: owner.stage },
    units: units.map((u) => ({ label: u.label, deliveredOn: u.delivered_on })),
    openCases: cases.map((c) => ({
      caseNo: c.case_no,
      kind: copy.caseKinds[c.kind] ?? c.kind,
      category: c.category,
      status: copy.staffCaseStatuses[c.status] ?? c.status,
      dueAt: c.reply_due_at && !c.sla_paused_at ? formatShanghai(c.reply_due_at) : null,
      overdue: c.overdue,
    })),
    surveys: surveys.map((s) => ({
      caseNo: s.case_no,
      score: s.score,
      label: SATISFACTION_LEVELS.find((level) => level.score === s.score)?.label ?? '',
      comment: s.comment,
    })),
  }
}
