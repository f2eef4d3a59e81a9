import { converse, type ConversationState } from '../../src/dialogs/conversation'
import type {
  AmbassadorCard,
  CaseSummary,
  DialogDeps,
  FiledCase,
  NewComplaint,
  OwnerServices,
  OwnerSession,
  UnitSummary,
} from '../../src/dialogs/ports'
import { renderAsText } from '../../src/dialogs/runtime/messages'

/** Owner services kept in memory, recording what the dialogs asked for. */
export class FakeOwnerServices implements OwnerServices {
  units: UnitSummary[] = [
    { unitId: 11, projectId: 1, label: '翠湖花园 3栋 1201' },
    { unitId: 12, projectId: 1, label: '翠湖花园 1栋 101' },
  ]
  ambassador: AmbassadorCard | null = { id: 7, name: '李娜', phone: '13900000001' }
  complaints: NewComplaint[] = []
  handOffs: string[] = []
  cases: CaseSummary[] = []

  async unitsOf(): Promise<UnitSummary[]> {
    return this.units
  }
  async ambassadorOf(): Promise<AmbassadorCard | null> {
    return this.ambassador
  }
  async recentCases(): Promise<CaseSummary[]> {
    return this.cases
  }
  async fileComplaint(_session: OwnerSession, complaint: NewComplaint): Promise<FiledCase> {
    this.complaints.push(complaint)
    return {
      caseNo: `TS20261123-${String(this.complaints.length).padStart(4, '0')}`,
      ambassadorName: this.ambassador?.name ?? null,
    }
  }
  async handOffToAmbassador(_session: OwnerSession, context: string): Promise<AmbassadorCard | null> {
    this.handOffs.push(context)
    return this.ambassador
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
  readonly services = new FakeOwnerServices()
  staffOpen = true

  constructor(private readonly options = { idleMinutes: 30, maxTries: 3 }) {}

  /** Sends one owner message; returns the bot's replies as the owner would read them. */
  async send(input: string): Promise<string> {
    const deps: DialogDeps = {
      session: demoSession,
      services: this.services,
      staffAvailability: () =>
        this.staffOpen ? { open: true } : { open: false, opensAt: '11月24日（周二）09:00' },
    }
    const stored = JSON.parse(JSON.stringify(this.state)) as {
      dialog: ConversationState['dialog']
      dialogExpiresAt: string | null
    }
    const result = await converse(
      {
        dialog: stored.dialog,
        dialogExpiresAt: stored.dialogExpiresAt ? new Date(stored.dialogExpiresAt) : null,
      },
      input,
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
