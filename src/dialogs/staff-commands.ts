/**
 * Ambassadors work their cases by chat on WeCom: short commands with a case number. Parsing is pure;
 * executing goes through the StaffCaseServices port.
 */
import { copy } from '../copy'
import { normalizeInput } from './runtime/parse'

export type StaffCommand =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'accept'; caseNo: string }
  | { kind: 'dispatch'; caseNo: string; technician: string }
  | { kind: 'progress'; caseNo: string; note: string }
  | { kind: 'wait'; caseNo: string; note: string }
  | { kind: 'close'; caseNo: string; note: string }
  | { kind: 'transfer'; caseNo: string; to: string }
  | { kind: 'handBack'; caseNo: string }
  | { kind: 'replyInConversation'; conversationId: number; text: string }
  | { kind: 'release'; conversationId: number }
  | { kind: 'unknown' }

const CASE_NO = /^[A-Z]{2}\d{8}-\d{4,}$/i
/** A conversation as staff are told of it: C and its number ("C42"). */
const CONVERSATION = /^C(\d{1,9})$/i

export function parseStaffCommand(input: string): StaffCommand {
  // Verb and case number are normalised (full-width digits …); the note keeps the staff member's words.
  const [rawVerb = '', rawCaseNo = '', ...rest] = input.trim().split(/\s+/)
  const verb = normalizeInput(rawVerb)
  const caseNo = normalizeInput(rawCaseNo)
  const note = rest.join(' ')
  const upper = caseNo.toUpperCase()
  if (['帮助', '?', 'help'].includes(verb)) return { kind: 'help' }
  if (['工单', '列表', '我的工单'].includes(verb)) return { kind: 'list' }
  const conversation = CONVERSATION.exec(caseNo)
  if (conversation) {
    const conversationId = Number(conversation[1])
    if (verb === '回复' && note) return { kind: 'replyInConversation', conversationId, text: note }
    if (verb === '释放') return { kind: 'release', conversationId }
    return { kind: 'unknown' }
  }
  if (!CASE_NO.test(caseNo)) return { kind: 'unknown' }
  switch (verb) {
    case '接单':
      return { kind: 'accept', caseNo: upper }
    case '派工':
      return rest[0] ? { kind: 'dispatch', caseNo: upper, technician: rest[0] } : { kind: 'unknown' }
    case '进展':
    case '答复':
    case '回复':
      return note ? { kind: 'progress', caseNo: upper, note } : { kind: 'unknown' }
    case '等待':
      return note ? { kind: 'wait', caseNo: upper, note } : { kind: 'unknown' }
    case '关闭':
    case '办结':
      return { kind: 'close', caseNo: upper, note: note || copy.staffCommands.defaultCloseNote }
    case '转派':
      return rest[0] ? { kind: 'transfer', caseNo: upper, to: rest[0] } : { kind: 'unknown' }
    case '退回':
      return { kind: 'handBack', caseNo: upper }
    default:
      return { kind: 'unknown' }
  }
}

/** Outcomes of a command; a case out of the member's scope is NOT_FOUND, like one that does not exist. */
export type StaffOutcome = 'ok' | 'NOT_FOUND' | 'BAD_STATE' | 'NO_SUCH_STAFF' | 'NO_SUCH_TECHNICIAN'

export interface StaffSession {
  staffId: number
  name: string
  role: string
}

export interface StaffCaseLine {
  caseNo: string
  kind: string
  category: string
  status: string
  owner: string
  dueAt: string | null
  overdue: boolean
}

export interface StaffCaseServices {
  openCases(staff: StaffSession): Promise<StaffCaseLine[]>
  accept(staff: StaffSession, caseNo: string): Promise<StaffOutcome>
  /** 派工: a technician of the case's project, by name, to an open repair. */
  dispatch(staff: StaffSession, caseNo: string, technicianName: string): Promise<StaffOutcome>
  progress(staff: StaffSession, caseNo: string, note: string): Promise<StaffOutcome>
  waitForOwner(staff: StaffSession, caseNo: string, question: string): Promise<StaffOutcome>
  close(staff: StaffSession, caseNo: string, note: string): Promise<StaffOutcome>
  transfer(staff: StaffSession, caseNo: string, toWecomUserId: string): Promise<StaffOutcome>
  /** Gives the case back to the ambassador's supervisor, who reassigns it. */
  handBack(staff: StaffSession, caseNo: string): Promise<StaffOutcome>
  /** Writes to the owner in a conversation (staff then have it); NOT_FOUND when out of scope. */
  replyInConversation(staff: StaffSession, conversationId: number, text: string): Promise<StaffOutcome>
  /** Hands a conversation back to the bot. */
  releaseConversation(staff: StaffSession, conversationId: number): Promise<StaffOutcome>
}

/** One staff message → one reply. */
export async function handleStaffCommand(
  input: string,
  staff: StaffSession,
  cases: StaffCaseServices,
): Promise<string> {
  const c = copy.staffCommands
  const command = parseStaffCommand(input)
  const outcomeText = (outcome: StaffOutcome, done: string) => (outcome === 'ok' ? done : c.outcomes[outcome])
  const conversationText = (outcome: StaffOutcome, done: string) =>
    outcome === 'ok' ? done : outcome === 'NOT_FOUND' ? c.noSuchConversation : c.outcomes[outcome]
  switch (command.kind) {
    case 'help':
      return c.help
    case 'unknown':
      return `${c.unknown}\n${c.help}`
    case 'list': {
      const lines = await cases.openCases(staff)
      if (lines.length === 0) return c.noOpenCases
      return [c.listHeader(lines.length), ...lines.map((line) => c.line(line))].join('\n')
    }
    case 'accept':
      return outcomeText(await cases.accept(staff, command.caseNo), c.accepted(command.caseNo))
    case 'dispatch':
      return outcomeText(
        await cases.dispatch(staff, command.caseNo, command.technician),
        c.dispatched(command.caseNo, command.technician),
      )
    case 'progress':
      return outcomeText(
        await cases.progress(staff, command.caseNo, command.note),
        c.progressed(command.caseNo),
      )
    case 'wait':
      return outcomeText(
        await cases.waitForOwner(staff, command.caseNo, command.note),
        c.waiting(command.caseNo),
      )
    case 'close':
      return outcomeText(await cases.close(staff, command.caseNo, command.note), c.closed(command.caseNo))
    case 'transfer':
      return outcomeText(
        await cases.transfer(staff, command.caseNo, command.to),
        c.transferred(command.caseNo, command.to),
      )
    case 'handBack':
      return outcomeText(await cases.handBack(staff, command.caseNo), c.handedBack(command.caseNo))
    case 'replyInConversation':
      return conversationText(
        await cases.replyInConversation(staff, command.conversationId, command.text),
        c.conversationReplied(command.conversationId),
      )
    case 'release':
      return conversationText(
        await cases.releaseConversation(staff, command.conversationId),
        c.conversationReleased(command.conversationId),
      )
  }
}
