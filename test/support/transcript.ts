import { converse, type ConversationState } from '../../src/dialogs/conversation'
import type {
  AmbassadorCard,
  BookingResult,
  CaseDetail,
  CaseServices,
  CaseSummary,
  FiledCase,
  NewComplaint,
  NewRepair,
  OwnerServices,
  OwnerSession,
  RepairCategoryChoice,
  RepairServices,
  RepairSlot,
  UnitSummary,
  EmergencyRepair,
  EmergencyResult,
  KnowledgeAnswer,
  KnowledgeServices,
  OwnData,
} from '../../src/dialogs/ports'
import type { LetterServices, LetterSummary } from '../../src/dialogs/flows/letters.dialog'
import type { SurveyServices, SurveyTarget } from '../../src/dialogs/flows/survey.dialog'
import { ownerDialogs, type OwnerDialogDeps } from '../../src/services/dialog-registry'
import { COMPLAINT_CATEGORIES } from '../../src/domain/case'
import { REPAIR_CATEGORIES } from '../../src/domain/warranty'
import { offlineUnderstander } from '../../src/understanding/understand'
import type { OwnerInput } from '../../src/dialogs/runtime/dialog'
import { renderAsText } from '../../src/dialogs/runtime/messages'
import type { SatisfactionScore } from '../../src/domain/satisfaction'
import type { WarrantyStatus } from '../../src/domain/warranty'

/**
 * The dialogs' ports kept in memory, recording what the dialogs asked for. Integration tests run the same
 * dialogs over Postgres; these fakes keep the transcripts about conversation, not storage.
 */
export class FakeWorld
  implements OwnerServices, CaseServices, RepairServices, LetterServices, SurveyServices, KnowledgeServices
{
  /** Knowledge-base entries, found when the question contains one of their keys. */
  faq: { entryId: number; keys: string[]; question: string; answer: string }[] = [
    {
      entryId: 1,
      keys: ['物业费'],
      question: '物业费怎么交？',
      answer: '物业费可在物业服务中心或线上缴纳。',
    },
    {
      entryId: 2,
      keys: ['维修基金'],
      question: '维修基金怎么交？',
      answer: '维修基金在办理产权时一并缴纳。',
    },
    { entryId: 3, keys: ['交房'], question: '什么时候交房？', answer: '交房时间以交付通知书为准。' },
  ]
  feedbackGiven: { queryId: number; entryId?: number; solved?: boolean }[] = []
  told: string[] = []
  units: UnitSummary[] = [
    { unitId: 11, projectId: 1, label: '翠湖花园 3栋 1201', deliveredOn: '2025-06-30' },
    { unitId: 12, projectId: 1, label: '翠湖花园 1栋 101', deliveredOn: '2025-06-30' },
  ]
  ambassador: AmbassadorCard | null = { id: 7, name: '李娜', phone: '13900000001', wecomUserId: 'lina' }
  complaints: NewComplaint[] = []
  repairs: NewRepair[] = []
  handOffs: string[] = []
  cases: CaseSummary[] = []
  slots: RepairSlot[] = [
    { slotId: 1, label: '11月24日（周二）09:00-12:00' },
    { slotId: 2, label: '11月24日（周二）14:00-17:00' },
  ]
  /** Slots another owner takes between offer and booking. */
  takenOnBooking = new Set<number>()
  warranty: WarrantyStatus = { covered: true, until: '2027-06-30' }
  letters: (LetterSummary & { body: string })[] = []
  surveys: SurveyTarget[] = []
  answers: { caseNo: string; score: SatisfactionScore; comment: string | null }[] = []
  notes: string[] = []
  escalations: string[] = []

  async unitsOf(): Promise<UnitSummary[]> {
    return this.units
  }

  unbound = false
  async myData(): Promise<OwnData> {
    return {
      name: '张三',
      maskedPhone: '138****0001',
      householdCode: 'CUIHU-H0001',
      units: this.units.map((u) => u.label),
      ambassador: this.ambassador?.name ?? null,
      accounts: 1,
      cases: this.cases.length,
      consent: { version: '2026-12', at: '12月1日 10:00' },
    }
  }
  async unbind(): Promise<void> {
    this.unbound = true
  }

  async tellAmbassador(_session: OwnerSession, message: string): Promise<void> {
    this.told.push(message)
  }

  async ask(question: string): Promise<KnowledgeAnswer> {
    const hits = this.faq.filter((entry) => entry.keys.some((key) => question.includes(key)))
    const queryId = this.feedback.length + 100
    if (hits.length === 1) return { queryId, found: 'answer', item: hits[0] }
    if (hits.length > 1) return { queryId, found: 'choices', items: hits }
    return { queryId, found: 'none' }
  }

  async feedback(queryId: number, given: { entryId?: number; solved?: boolean }): Promise<void> {
    this.feedbackGiven.push({ queryId, ...given })
  }
  async ambassadorOf(): Promise<AmbassadorCard | null> {
    return this.ambassador
  }
  async handOffToAmbassador(_s: OwnerSession, context: string): Promise<AmbassadorCard | null> {
    this.handOffs.push(context)
    return this.ambassador
  }
  async recentCases(): Promise<CaseSummary[]> {
    return this.cases
  }
  async caseDetail(_s: OwnerSession, caseNo: string): Promise<CaseDetail | null> {
    const found = this.cases.find((c) => c.caseNo === caseNo)
    return found
      ? { ...found, description: '描述', location: '翠湖花园 3栋 1201', escalationLevel: 0, history: [] }
      : null
  }
  async fileComplaint(_s: OwnerSession, complaint: NewComplaint): Promise<FiledCase> {
    this.complaints.push(complaint)
    return {
      caseNo: `TS20261123-${String(this.complaints.length).padStart(4, '0')}`,
      ambassadorName: this.ambassador?.name ?? null,
    }
  }
  async addOwnerNote(_s: OwnerSession, _caseNo: string, note: string): Promise<boolean> {
    this.notes.push(note)
    return true
  }
  async escalateToGroup(_s: OwnerSession, caseNo: string): Promise<'escalated'> {
    this.escalations.push(caseNo)
    return 'escalated'
  }
  readonly emergencies: EmergencyRepair[] = []
  async reportEmergency(_s: OwnerSession, repair: EmergencyRepair): Promise<EmergencyResult> {
    this.emergencies.push(repair)
    return { ok: true, caseNo: 'BX20261123-0009', handledBy: { name: '王值班', onDuty: true } }
  }
  async openSlots(): Promise<RepairSlot[]> {
    return this.slots
  }
  /** The built-in categories a deployment starts with; a test may mark one an emergency or retire one. */
  repairCategories: RepairCategoryChoice[] = REPAIR_CATEGORIES.map((name) => ({ name, emergency: false }))
  complaintCategoryNames: string[] = [...COMPLAINT_CATEGORIES]
  async categories(): Promise<RepairCategoryChoice[]> {
    return this.repairCategories
  }
  async complaintCategories(): Promise<string[]> {
    return this.complaintCategoryNames
  }
  async warrantyOf(): Promise<WarrantyStatus> {
    return this.warranty
  }
  async book(_s: OwnerSession, repair: NewRepair): Promise<BookingResult> {
    if (this.takenOnBooking.has(repair.slotId)) {
      this.slots = this.slots.filter((s) => s.slotId !== repair.slotId)
      return { ok: false, error: 'SLOT_TAKEN' }
    }
    this.repairs.push(repair)
    const slot = this.slots.find((s) => s.slotId === repair.slotId)?.label ?? '?'
    return { ok: true, caseNo: 'BX20261123-0001', slot, warranty: this.warranty, ambassadorName: '李娜' }
  }
  async reschedule(): Promise<'ok'> {
    return 'ok'
  }
  async cancel(): Promise<'ok'> {
    return 'ok'
  }
  async slotsForCase(): Promise<RepairSlot[]> {
    return this.slots
  }
  async lettersFor(): Promise<LetterSummary[]> {
    return this.letters
  }
  responses: { letterId: number; response: string }[] = []
  async read(
    _s: OwnerSession,
    letterId: number,
  ): Promise<{ title: string; body: string; kind: string; responded: boolean } | null> {
    const letter = this.letters.find((l) => l.letterId === letterId)
    if (letter) letter.read = true
    return letter ? { ...letter, responded: this.responses.some((r) => r.letterId === letterId) } : null
  }
  async respond(_s: OwnerSession, letterId: number, response: string): Promise<boolean> {
    if (this.responses.some((r) => r.letterId === letterId)) return false
    this.responses.push({ letterId, response })
    return true
  }
  async pendingSurveys(): Promise<SurveyTarget[]> {
    return this.surveys
  }
  async record(
    _s: OwnerSession,
    answer: { caseNo: string; score: SatisfactionScore; comment: string | null },
  ): Promise<{ recorded: boolean; reopened: boolean; supervisorName: string | null }> {
    this.answers.push({ caseNo: answer.caseNo, score: answer.score, comment: answer.comment })
    return { recorded: true, reopened: answer.score <= 2, supervisorName: answer.score <= 2 ? '陈静' : null }
  }
}

export const demoSession: OwnerSession = {
  ownerId: 1,
  ownerName: '张三',
  householdId: 1,
  channel: 'test',
  conversationId: 1,
}

/**
 * Drives `converse` turn by turn like the pipeline does, pushing the state through JSON between turns,
 * exactly as Postgres stores it, so every transcript also proves the dialog resumes from stored state.
 */
export class Transcript {
  state: ConversationState = { dialog: null, dialogExpiresAt: null }
  now = new Date('2026-11-23T02:00:00Z') // Monday 10:00 in Shanghai
  readonly services = new FakeWorld()
  staffOpen = true

  constructor(private readonly options = { idleMinutes: 30, maxTries: 3 }) {}

  /** Sends one owner message (text, or a photo reference); returns the bot's replies as the owner reads them. */
  async send(input: string | OwnerInput): Promise<string> {
    const world = this.services
    const deps: OwnerDialogDeps = {
      session: demoSession,
      owners: world,
      cases: world,
      repairs: world,
      letters: world,
      surveys: world,
      knowledge: world,
      understander: offlineUnderstander,
      staffAvailability: async () =>
        this.staffOpen ? { open: true } : { open: false, opensAt: '11月24日（周二）09:00' },
    }
    const stored = JSON.parse(JSON.stringify(this.state)) as {
      dialog: ConversationState['dialog']
      dialogExpiresAt: string | null
    }
    const result = await converse(
      ownerDialogs,
      {
        dialog: stored.dialog,
        dialogExpiresAt: stored.dialogExpiresAt ? new Date(stored.dialogExpiresAt) : null,
      },
      typeof input === 'string' ? { text: input } : input,
      deps,
      { now: this.now, ...this.options },
    )
    this.state = result.state
    return result.outgoing.map(renderAsText).join('\n---\n')
  }

  get activeDialog(): string | null {
    return this.state.dialog?.id ?? null
  }
}
