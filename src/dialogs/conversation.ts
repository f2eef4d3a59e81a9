import { copy } from '../copy'
import { bindDialog } from './flows/bind.dialog'
import { isMenuNumber, menuDialog, shortcutFor, type MenuChoice } from './flows/menu.dialog'
import type { BindingDeps, DialogDeps } from './ports'
import { dialogs } from './registry'
import type { Dialog, DialogState, OwnerInput } from './runtime/dialog'
import { text, type OutgoingMessage } from './runtime/messages'
import { normalizeInput } from './runtime/parse'
import { ReplayMismatch, runTurn, stepBack, type TurnResult } from './runtime/runner'

/** The part of a conversation the dialog layer reads and writes; persisted by the bot pipeline. */
export interface ConversationState {
  dialog: DialogState | null
  dialogExpiresAt: Date | null
}

export interface ConverseOptions {
  now: Date
  idleMinutes: number
  maxTries: number
}

export interface ConverseResult {
  outgoing: OutgoingMessage[]
  state: ConversationState
}

type GlobalCommand = 'cancel' | 'back' | 'help' | 'menu' | 'human'

const GLOBAL_COMMANDS: Record<string, GlobalCommand> = {
  取消: 'cancel',
  退出: 'cancel',
  不办了: 'cancel',
  返回: 'back',
  上一步: 'back',
  帮助: 'help',
  '?': 'help',
  菜单: 'menu',
  主菜单: 'menu',
  人工: 'human',
  转人工: 'human',
  人工客服: 'human',
}

/** What differs between a bound owner's conversation and a stranger's. */
interface ConversationRules<Deps> {
  dialogs: ReadonlyMap<string, Dialog<Deps>>
  /** Where 菜单 and an opening message lead. */
  home: string
  help: string
  /** The dialog an input outside any dialog goes to, and with which first input (null: none). */
  route(input: string): { dialog: string; input: OwnerInput | null }
  humanHandOff(deps: Deps, dialogId: string | null): Promise<OutgoingMessage[]>
}

const ownerRules: ConversationRules<DialogDeps> = {
  dialogs,
  home: 'menu',
  help: copy.help,
  // Menu numbers are stable, so "6" typed with no dialog open means menu item 6.
  route: (input) =>
    isMenuNumber(input)
      ? { dialog: menuDialog.id, input: { text: input } }
      : { dialog: shortcutFor(input) ?? 'menu', input: null },
  async humanHandOff(deps, dialogId) {
    const ambassador = await deps.owners.handOffToAmbassador(deps.session, dialogId ?? 'menu')
    if (!ambassador) return [text(copy.ambassador.none)]
    // Said first, then the chat moves: on 微信客服 a person's session no longer takes bot messages.
    const availability = deps.staffAvailability()
    const told = text(
      availability.open
        ? copy.ambassador.handedOff(ambassador.name)
        : copy.ambassador.handedOffAfterHours(ambassador.name, availability.opensAt),
    )
    return ambassador.wecomUserId
      ? [told, { kind: 'handoff', servicerUserId: ambassador.wecomUserId }]
      : [told]
  },
}

const strangerRules: ConversationRules<BindingDeps> = {
  dialogs: new Map([[bindDialog.id, bindDialog]]),
  home: bindDialog.id,
  help: copy.bind.help,
  route: () => ({ dialog: bindDialog.id, input: null }),
  humanHandOff: async () => [text(copy.bind.human)],
}

/** One turn of a bound owner: global commands, then the active dialog, else a shortcut or the menu. */
export function converse(
  current: ConversationState,
  input: OwnerInput,
  deps: DialogDeps,
  options: ConverseOptions,
): Promise<ConverseResult> {
  return runConversation(ownerRules, current, input, deps, options)
}

/** One turn of a WeChat user not yet bound to a household file: everything leads to binding. */
export function converseUnbound(
  current: ConversationState,
  input: OwnerInput,
  deps: BindingDeps,
  options: ConverseOptions,
): Promise<ConverseResult> {
  // A stranger's state never holds an owner dialog (an identity can be unbound by staff).
  const state =
    current.dialog && current.dialog.id !== bindDialog.id ? { dialog: null, dialogExpiresAt: null } : current
  return runConversation(strangerRules, state, input, deps, options)
}

async function runConversation<Deps>(
  rules: ConversationRules<Deps>,
  current: ConversationState,
  input: OwnerInput,
  deps: Deps,
  options: ConverseOptions,
): Promise<ConverseResult> {
  const outgoing: OutgoingMessage[] = []
  let dialog = current.dialog
  if (dialog && current.dialogExpiresAt && current.dialogExpiresAt <= options.now) {
    outgoing.push(text(copy.sessionExpired))
    dialog = null
  }

  const start = (id: string, firstInput: OwnerInput | null = null): Promise<DialogState | null> => {
    const next = rules.dialogs.get(id)
    if (!next) {
      outgoing.push(text(copy.notYetAvailable(copy.menuItems[id as MenuChoice] ?? id)))
      return Promise.resolve(null)
    }
    return follow(runTurn(next, null, firstInput, deps, options))
  }

  const resume = async (state: DialogState, answer: OwnerInput | null): Promise<DialogState | null> => {
    const active = rules.dialogs.get(state.id)
    if (!active || active.version !== state.version) {
      outgoing.push(text(copy.dialogUpdated))
      return start(rules.home)
    }
    try {
      return await follow(runTurn(active, state, answer, deps, options))
    } catch (error) {
      if (!(error instanceof ReplayMismatch)) throw error
      outgoing.push(text(copy.dialogUpdated))
      return start(rules.home)
    }
  }

  const follow = async (turn: Promise<TurnResult>): Promise<DialogState | null> => {
    const result = await turn
    outgoing.push(...result.outgoing)
    return result.next ? start(result.next) : result.state
  }

  // Commands and menu numbers are matched on the normalised form; dialogs get the owner's own words.
  const value = normalizeInput(input.text)
  const step = async (): Promise<DialogState | null> => {
    switch (input.media ? undefined : GLOBAL_COMMANDS[value]) {
      case 'cancel':
        outgoing.push(text(dialog ? copy.cancelled : copy.nothingToCancel))
        return null
      case 'menu':
        return start(rules.home)
      case 'help':
        outgoing.push(text(rules.help))
        return dialog ? resume(dialog, null) : null
      case 'back': {
        if (!dialog) return start(rules.home)
        const previous = stepBack(dialog)
        if (previous.log.length === dialog.log.length) outgoing.push(text(copy.nothingToGoBackTo))
        return resume(previous, null)
      }
      case 'human':
        outgoing.push(...(await rules.humanHandOff(deps, dialog?.id ?? null)))
        return null
      default: {
        if (dialog) return resume(dialog, { ...input, text: input.text.trim() })
        const route = rules.route(value)
        return start(route.dialog, route.input)
      }
    }
  }

  const nextDialog = await step()
  // Every message gets an answer, even from a dialog that ended without a word.
  if (outgoing.length === 0) outgoing.push(text(copy.anythingElse))
  return {
    outgoing,
    state: {
      dialog: nextDialog,
      dialogExpiresAt: nextDialog ? new Date(options.now.getTime() + options.idleMinutes * 60_000) : null,
    },
  }
}
