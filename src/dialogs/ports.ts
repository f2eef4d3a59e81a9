import type { Emergency } from '../domain/emergency'
import type { Address } from '../domain/address'
/**
 * What dialogs need from the rest of the system: ports implemented over Postgres in src/db and faked in
 * unit tests. Every method returns plain data, because dialog effects are recorded as JSON and replayed.
 * Every method is scoped to the session's household: no port takes a bare id from the owner's words.
 */
import type { WarrantyStatus } from '../domain/warranty'

export interface OwnerSession {
  ownerId: number
  ownerName: string
  householdId: number
  channel: string
  conversationId: number
  /** The household's ambassador when it was read with the conversation; absent: ask the owners service. */
  ambassador?: AmbassadorCard | null
}

export interface UnitSummary {
  unitId: number
  projectId: number
  label: string
  deliveredOn: string | null
}

export interface AmbassadorCard {
  id: number
  name: string
  phone: string
  /** Their WeCom account: where a hand-off sends the owner's chat on channels that can (微信客服). */
  wecomUserId: string | null
}

export interface CaseSummary {
  caseNo: string
  kind: string
  category: string
  status: string
  createdAt: string
  slot?: string
}

export interface CaseDetail extends CaseSummary {
  description: string
  location: string
  escalationLevel: number
  history: { at: string; what: string }[]
}

export interface NewComplaint {
  category: string
  unitId: number | null
  /** Where, as the owner chose it (the unit's label, or the public area): what staff are told. */
  location: string
  projectId: number
  publicArea: boolean
  description: string
  /** Channel media references of the owner's photos. */
  attachments: string[]
}

export interface FiledCase {
  caseNo: string
  ambassadorName: string | null
}

export interface OwnerServices {
  unitsOf(session: OwnerSession): Promise<UnitSummary[]>
  ambassadorOf(session: OwnerSession): Promise<AmbassadorCard | null>
  handOffToAmbassador(session: OwnerSession, context: string): Promise<AmbassadorCard | null>
  /** A WeCom message to the owner's ambassador without taking the conversation from the bot. */
  tellAmbassador(session: OwnerSession, message: string): Promise<void>
  /** What is kept about the owner, as they may see it in chat (phone masked). */
  myData(session: OwnerSession): Promise<OwnData>
  /** Unbinds this WeChat account (the owner's file stays); its consent is withdrawn. */
  unbind(session: OwnerSession): Promise<void>
}

export interface OwnData {
  name: string
  maskedPhone: string
  householdCode: string
  units: string[]
  ambassador: string | null
  accounts: number
  cases: number
  consent: { version: string; at: string } | null
}

export interface CaseServices {
  /** The developer's complaint categories, in the order owners see them. */
  complaintCategories(): Promise<string[]>
  recentCases(session: OwnerSession, limit: number): Promise<CaseSummary[]>
  caseDetail(session: OwnerSession, caseNo: string): Promise<CaseDetail | null>
  fileComplaint(session: OwnerSession, complaint: NewComplaint): Promise<FiledCase>
  addOwnerNote(session: OwnerSession, caseNo: string, note: string): Promise<boolean>
  escalateToGroup(
    session: OwnerSession,
    caseNo: string,
    reason: string,
  ): Promise<'escalated' | 'already' | 'not_found'>
}

export interface RepairSlot {
  slotId: number
  label: string
}

/** A repair category as an owner chooses it; an emergency one calls the on-duty staff at once. */
export interface RepairCategoryChoice {
  name: string
  emergency: boolean
}

export interface NewRepair {
  category: string
  unitId: number
  description: string
  attachments: string[]
  slotId: number
}

export type BookingResult =
  | { ok: true; caseNo: string; slot: string; warranty: WarrantyStatus; ambassadorName: string | null }
  | { ok: false; error: 'SLOT_TAKEN' | 'UNIT_NOT_OWNED' }

/** A repair that cannot wait for a visit slot (gas, water pouring, power or fire). */
export interface EmergencyRepair {
  category: string
  unitId: number
  description: string
  emergency: Emergency
}

export type EmergencyResult =
  | {
      ok: true
      caseNo: string
      /** Who was called: the project's on-duty staff member, else the owner's ambassador. */
      handledBy: { name: string; onDuty: boolean } | null
    }
  | { ok: false; error: 'UNIT_NOT_OWNED' }

export interface RepairServices {
  /** The developer's repair categories, in the order owners see them. */
  categories(): Promise<RepairCategoryChoice[]>
  /** Opens the case at once and calls the project's on-duty staff, at any hour. */
  reportEmergency(session: OwnerSession, repair: EmergencyRepair): Promise<EmergencyResult>
  openSlots(session: OwnerSession, unitId: number): Promise<RepairSlot[]>
  warrantyOf(session: OwnerSession, unitId: number, category: string): Promise<WarrantyStatus>
  book(session: OwnerSession, repair: NewRepair): Promise<BookingResult>
  reschedule(session: OwnerSession, caseNo: string, slotId: number): Promise<'ok' | 'SLOT_TAKEN' | 'NOT_OPEN'>
  cancel(session: OwnerSession, caseNo: string): Promise<'ok' | 'NOT_OPEN'>
  slotsForCase(session: OwnerSession, caseNo: string): Promise<RepairSlot[]>
}

/**
 * What every bound owner's dialog is given. A dialog that needs more declares it beside its flow
 * (`OwnerDeps & { letters: LetterServices }`); the registry in src/services provides it.
 */
export interface OwnerDeps {
  session: OwnerSession
  owners: OwnerServices
  /**
   * Whether staff of the owner's project (or of the project given) are at their desks now (its service
   * hours), and if not, when they will be (already formatted for owners).
   */
  staffAvailability(projectId?: number): Promise<{ open: true } | { open: false; opensAt: string }>
  knowledge: KnowledgeServices
  understander: Understander
}

/** For a WeChat user not yet bound to a household file. */
export interface BindingDeps {
  identity: { channel: string; externalId: string; conversationId: number }
  binding: BindingServices
  knowledge: KnowledgeServices
  understander: Understander
  /** Puts a stranger's conversation with the customer centre (no ambassador yet); false if none staffs it. */
  handOffToCentre(): Promise<boolean>
}

export interface ProjectChoice {
  projectId: number
  name: string
}

/** A failed check: `triesLeft` before the lock-out, or `locked` (nothing was checked, or this failure locked). */
export type BindingRefusal = { ok: false; locked: false; triesLeft: number } | { ok: false; locked: true }

/** The privacy notice shown before binding asks for a phone number, and whether this identity agreed to it. */
export interface PrivacyNotice {
  version: string
  text: string
  agreed: boolean
}

export interface BindingServices {
  projects(): Promise<ProjectChoice[]>
  privacyNotice(identity: BindingDeps['identity']): Promise<PrivacyNotice>
  /** Records that this identity agreed to the notice of this version, now. */
  consent(identity: BindingDeps['identity'], version: string): Promise<void>
  /** Whether this identity is locked out now (too many failures in the lock-out window). */
  lockedOut(identity: BindingDeps['identity']): Promise<boolean>
  /**
   * Binds when phone and unit belong to one household file; never says which part did not match.
   * Every failure is counted where it happens (per identity and per phone claimed), and a locked-out
   * identity or phone is refused without checking, so no dialog navigation can buy more guesses.
   */
  bind(
    identity: BindingDeps['identity'],
    claim: { phone: string; projectId: number; address: Address },
  ): Promise<{ ok: true; ownerName: string } | BindingRefusal>
}

/** What an owner's free sentence asks for, outside or inside a dialog. */
export type Intent =
  | 'complaint'
  | 'repair'
  | 'letters'
  | 'case_status'
  | 'ambassador'
  | 'survey'
  | 'human'
  | 'question'
  | 'greeting'
  | 'unknown'

export interface Understanding {
  intent: Intent
  /** 0–1: how sure the reader is; below the reader's own threshold the intent is 'unknown'. */
  confidence: number
  /** The repair or complaint category the words point to, when they point to one. */
  category: string | null
  /** The owner's own sentence, when it says more than the name of the request (shown, not asked again). */
  description: string | null
}

/** What a repair or complaint dialog takes from the owner's opening sentence. */
export interface UnderstoodRequest {
  category: string
  /** The sentence itself, when it says more than the request's name. */
  description: string | null
}

/** Reads owners' free Chinese text: offline by default, an LLM where the operator configures one. */
export interface Understander {
  understand(text: string): Promise<Understanding>
  /** 人工 in any phrasing: checked on every answer in a dialog, so offline and cheap whatever reads the rest. */
  asksForPerson(text: string): boolean
}

/** What the knowledge dialog is started with: the owner's words, and whether they read as a question. */
export interface KnowledgeQuestion {
  question: string
  understood: boolean
}

/** A knowledge-base entry as an owner is shown it. */
export interface KnowledgeItem {
  entryId: number
  question: string
  answer: string
}

/** What the knowledge base makes of a question: one confident answer, a few candidates, or nothing. */
export type KnowledgeAnswer =
  | { queryId: number; found: 'answer'; item: KnowledgeItem }
  | { queryId: number; found: 'choices'; items: KnowledgeItem[] }
  | { queryId: number; found: 'none' }

export interface KnowledgeServices {
  /** Searches the entries that apply to this person (project, stage, dates) and logs the question. */
  ask(question: string): Promise<KnowledgeAnswer>
  /** Which suggestion the owner picked, and whether the answer solved their problem. */
  feedback(queryId: number, feedback: { entryId?: number; solved?: boolean }): Promise<void>
}
