import { copy } from './copy.zh-cn'
import { isMenuNumber, menuDialog, shortcutFor, type MenuChoice } from './flows/menu.dialog'
import type { DialogDeps } from './ports'
import { dialogs } from './registry'
import type { DialogState } from './runtime/dialog'
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

/**
 * One owner turn: global commands first (they work at any step), then the active dialog, else a shortcut
 * or the main menu. Pure apart from the effects the dialogs run through `deps.services`.
 */
export async function converse(
  current: ConversationState,
  input: string,
  deps: DialogDeps,
  options: ConverseOptions,
): Promise<ConverseResult> {
  const outgoing: OutgoingMessage[] = []
  let dialog = current.dialog
  if (dialog && current.dialogExpiresAt && current.dialogExpiresAt <= options.now) {
    outgoing.push(text(copy.sessionExpired))
    dialog = null
  }

  // Commands and menu numbers are matched on the normalised form; dialogs get the owner's own words.
  const value = normalizeInput(input)
  const answer = input.trim()
  const command = GLOBAL_COMMANDS[value]
  const step = async (): Promise<DialogState | null> => {
    switch (command) {
      case 'cancel':
        outgoing.push(text(dialog ? copy.cancelled : copy.nothingToCancel))
        return null
      case 'menu':
        return start('menu')
      case 'help':
        outgoing.push(text(copy.help))
        return dialog ? resume(dialog, null) : null
      case 'back': {
        if (!dialog) return start('menu')
        const previous = stepBack(dialog)
        if (previous.log.length === dialog.log.length) outgoing.push(text(copy.nothingToGoBackTo))
        return resume(previous, null)
      }
      case 'human': {
        const ambassador = await deps.services.handOffToAmbassador(deps.session, dialog?.id ?? 'menu')
        outgoing.push(text(ambassador ? copy.ambassador.handedOff(ambassador.name) : copy.ambassador.none))
        return null
      }
      default:
        if (dialog) return resume(dialog, answer)
        // Menu numbers are stable, so "6" typed with no dialog open means menu item 6.
        if (isMenuNumber(value)) return follow(runTurn(menuDialog, null, value, deps, options))
        return start(shortcutFor(value) ?? 'menu')
    }
  }

  const start = (id: string): Promise<DialogState | null> => {
    const next = dialogs.get(id)
    if (!next) {
      const label = copy.menuItems[id as MenuChoice] ?? id
      outgoing.push(text(copy.notYetAvailable(label)))
      return Promise.resolve(null)
    }
    return follow(runTurn(next, null, null, deps, options))
  }

  const resume = async (state: DialogState, answer: string | null): Promise<DialogState | null> => {
    const active = dialogs.get(state.id)
    if (!active || active.version !== state.version) {
      outgoing.push(text(copy.dialogUpdated))
      return start('menu')
    }
    try {
      return await follow(runTurn(active, state, answer, deps, options))
    } catch (error) {
      if (!(error instanceof ReplayMismatch)) throw error
      outgoing.push(text(copy.dialogUpdated))
      return start('menu')
    }
  }

  const follow = async (turn: Promise<TurnResult>): Promise<DialogState | null> => {
    const result = await turn
    outgoing.push(...result.outgoing)
    return result.next ? start(result.next) : result.state
  }

  const nextDialog = await step()
  return {
    outgoing,
    state: {
      dialog: nextDialog,
      dialogExpiresAt: nextDialog ? new Date(options.now.getTime() + options.idleMinutes * 60_000) : null,
    },
  }
}
