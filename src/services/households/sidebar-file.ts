import type { EntityManager } from 'typeorm'
import { mediaViews } from '../media/media-links'
import { openPhone } from '../../domain/phone-vault'
import { householdPlaceholderValues, listCannedReplies } from '../../db/canned-reply-queries'
import { fillFor } from '../conversations/canned-replies'
import { copy } from '../../copy'
import { SATISFACTION_LEVELS } from '../../domain/satisfaction'
import { formatShanghai } from '../../domain/working-time'
import { canSeeHousehold, phoneFor, scopeOf, type Viewer } from '../../db/access'
import { audit } from '../../db/case-store'
import {
  labelledUnits,
  openCasesOfHousehold,
  ownerOfContact,
  recentSurveyAnswers,
} from '../../db/household-queries'

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
  /** Canned replies for this owner's project, filled in for them, to send into the chat with one tap. */
  replies: { title: string; text: string }[]
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
  const owner = await ownerOfContact(manager, externalUserId)
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

  const units = await labelledUnits(manager, owner.household_id)
  const cases = await openCasesOfHousehold(manager, owner.household_id, now)
  // The owners' photos as kept, behind short links: the viewer was checked against the household above.
  const media = await mediaViews(
    manager,
    cases.flatMap((c) => c.attachments ?? []),
    now,
  )
  const surveys = await recentSurveyAnswers(manager, owner.household_id)
  const values = await householdPlaceholderValues(manager, owner.household_id, owner.name)
  // Group-wide replies and this project's (-1: no project, so group-wide ones only).
  const replies = await listCannedReplies(manager, {
    scope: { kind: 'all' },
    projectId: values.projectId ?? -1,
  })
  return {
    owner: {
      name: owner.name,
      phone: phoneFor(viewer, openPhone(owner.phone_enc) ?? '', owner.ambassador_id === staff.id),
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
      media: (c.attachments ?? []).flatMap((ref) => {
        const view = media.get(ref)
        return view ? [view] : []
      }),
    })),
    replies: replies.map((reply) => ({
      title: reply.title,
      text: fillFor(reply.body, values),
    })),
    surveys: surveys.map((s) => ({
      caseNo: s.case_no,
      score: s.score,
      label: SATISFACTION_LEVELS.find((level) => level.score === s.score)?.label ?? '',
      comment: s.comment,
    })),
  }
}
