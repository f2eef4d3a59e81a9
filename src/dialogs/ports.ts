/**
 * What dialogs need from the rest of the system. Implemented over Postgres in src/db; faked in unit tests.
 * Every method returns plain data, because dialog effects are recorded as JSON and replayed.
 */
export interface OwnerSession {
  ownerId: number
  ownerName: string
  householdId: number
  channel: string
  conversationId: number
}

export interface UnitSummary {
  unitId: number
  projectId: number
  label: string
}

export interface AmbassadorCard {
  id: number
  name: string
  phone: string
}

export interface CaseSummary {
  caseNo: string
  kind: string
  category: string
  status: string
  createdAt: string
}

export interface NewComplaint {
  category: string
  unitId: number | null
  projectId: number
  publicArea: boolean
  description: string
}

export interface FiledCase {
  caseNo: string
  ambassadorName: string | null
}

export interface OwnerServices {
  unitsOf(session: OwnerSession): Promise<UnitSummary[]>
  ambassadorOf(session: OwnerSession): Promise<AmbassadorCard | null>
  recentCases(session: OwnerSession, limit: number): Promise<CaseSummary[]>
  fileComplaint(session: OwnerSession, complaint: NewComplaint): Promise<FiledCase>
  handOffToAmbassador(session: OwnerSession, context: string): Promise<AmbassadorCard | null>
}

export interface DialogDeps {
  session: OwnerSession
  services: OwnerServices
  /** Whether staff are at their desks now, and if not, when they will be (already formatted for owners). */
  staffAvailability(): { open: true } | { open: false; opensAt: string }
}
