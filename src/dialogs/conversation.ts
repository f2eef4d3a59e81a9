import { copy } from '../copy'
import { bindDialog } from './flows/bind.dialog'
import { knowledgeDialog } from './flows/knowledge.dialog'
import { isMenuNumber, menuDialog, type MenuChoice } from './flows/menu.dialog'
import type { BindingDeps, KnowledgeServices, OwnerDeps, Understander, Understanding } from './ports'
import { DIALOG_OF_INTENT, dialogLabel, ownerRoute, strangerRoute, type Route } from './routing'
import type { Dialog, DialogState, OwnerInput } from './runtime/dialog'
import { text, type MediaRef, type OutgoingMessage } from './runtime/messages'
import { normalizeInput } from './runtime/parse'
import {
  forgetGuess,
  ReplayMismatch,
  restsOnGuess,
  runTurn,
  seededState,
  stepBack,
  type TurnResult,
} from './runtime/runner'

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

/** A message that is only the name of another request ("投诉", "我要报修") switches to it at once. */
const BARE_REQUEST =
  /^(我要|我想|要|想)?(投诉|报修|维修|预约报修|进度|工程进度|告知函|回访|评价|满意度|客户大使|大使|管家|工单|我的工单|查询工单|查工单)$/
/** Longer than this, 人工 inside a dialog is part of an answer ("你们的人工服务太慢"), not a request. */
const HUMAN_ASIDE_MAX = 12

interface CommonDeps {
  knowledge: KnowledgeServices
  understander: Understander
}

/** What differs between a bound owner's conversation and a stranger's. */
interface ConversationRules<Deps extends CommonDeps> {
  dialogs: ReadonlyMap<string, Dialog<Deps>>
  /** Where 菜单 leads. */
  home: string
  help: string
  route(understanding: Understanding, words: string): Route
  humanHandOff(deps: Deps, dialogId: string | null): Promise<OutgoingMessage[]>
  /** A voice note, video, file, location — or a picture no step asked for — goes to a person. */
  mediaHandOff(deps: Deps, media: MediaRef, dialogId: string | null): Promise<OutgoingMessage[]>
}

/** The dialogs a bound owner can be in, by id (the menu's choices are these ids); see src/services/dialog-registry.ts. */
export type OwnerDialogs<Deps extends OwnerDeps> = ReadonlyMap<string, Dialog<Deps>>

const ownerRules: Omit<ConversationRules<OwnerDeps>, 'dialogs'> = {
  home: 'menu',
  help: copy.help,
  route: ownerRoute,
  async humanHandOff(deps, dialogId) {
    const ambassador = await deps.owners.handOffToAmbassador(deps.session, dialogId ?? 'menu')
    if (!ambassador) return [text(copy.ambassador.none)]
    // Said first, then the chat moves: on 微信客服 a person's session no longer takes bot messages.
    const availability = await deps.staffAvailability()
    const told = text(
      availability.open
        ? copy.ambassador.handedOff(ambassador.name)
        : copy.ambassador.handedOffAfterHours(ambassador.name, availability.opensAt),
    )
    return ambassador.wecomUserId
      ? [told, { kind: 'handoff', servicerUserId: ambassador.wecomUserId }]
      : [told]
  },
  async mediaHandOff(deps, media, dialogId) {
    const kind = copy.mediaKinds[media.kind]
    if (dialogId !== null) {
      // Mid-dialog the owner keeps the bot; the ambassador is told to look at the transcript.
      await deps.owners.tellAmbassador(
        deps.session,
        copy.staff.ownerSentMedia(deps.session.ownerName, kind, deps.session.conversationId),
      )
      return [text(copy.media.inDialog(kind))]
    }
    const ambassador = await deps.owners.handOffToAmbassador(deps.session, `发来${kind}`)
    if (!ambassador) return [text(copy.media.noAmbassador(kind))]
    const availability = await deps.staffAvailability()
    const told = text(
      availability.open
        ? copy.media.handedOff(kind, ambassador.name)
        : copy.media.handedOffAfterHours(kind, ambassador.name, availability.opensAt),
    )
    return ambassador.wecomUserId
      ? [told, { kind: 'handoff', servicerUserId: ambassador.wecomUserId }]
      : [told]
  },
}

const strangerDialogs = new Map<string, Dialog<BindingDeps>>([
  [bindDialog.id, bindDialog],
  [knowledgeDialog.id, knowledgeDialog],
])

const strangerRules: ConversationRules<BindingDeps> = {
  dialogs: strangerDialogs,
  home: bindDialog.id,
  help: copy.bind.help,
  route: strangerRoute,
  humanHandOff: async (deps) => [
    text((await deps.handOffToCentre()) ? copy.stranger.handedOff : copy.stranger.noCentre),
  ],
  async mediaHandOff(deps, media) {
    const kind = copy.mediaKinds[media.kind]
    return [text((await deps.handOffToCentre()) ? copy.media.noAmbassador(kind) : copy.stranger.noCentre)]
  },
}

/** One turn of a bound owner: global commands, then the active dialog, else what the sentence asks for. */
export function converse<Deps extends OwnerDeps>(
  dialogs: OwnerDialogs<Deps>,
  current: ConversationState,
  input: OwnerInput,
  deps: Deps,
  options: ConverseOptions,
): Promise<ConverseResult> {
  return runConversation<Deps>({ ...ownerRules, dialogs }, current, input, deps, options)
}

/** One turn of a WeChat user not yet bound to a household file: questions, 人工, or binding. */
export function converseUnbound(
  current: ConversationState,
  input: OwnerInput,
  deps: BindingDeps,
  options: ConverseOptions,
): Promise<ConverseResult> {
  // A stranger's state never holds an owner dialog (an identity can be unbound by staff).
  const state =
    current.dialog && !strangerDialogs.has(current.dialog.id)
      ? { dialog: null, dialogExpiresAt: null }
      : current
  return runConversation(strangerRules, state, input, deps, options)
}

async function runConversation<Deps extends CommonDeps>(
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

  const start = (
    id: string,
    opening: { input?: string; seed?: unknown } = {},
  ): Promise<DialogState | null> => {
    const next = rules.dialogs.get(id)
    if (!next) {
      outgoing.push(text(copy.notYetAvailable(copy.menuItems[id as MenuChoice] ?? id)))
      return Promise.resolve(null)
    }
    const seeded = opening.seed === undefined ? null : seededState(next, opening.seed)
    const firstInput = opening.input === undefined ? null : { text: opening.input }
    return follow(runTurn(next, seeded, firstInput, deps, options))
  }

  const activeDialog = (state: DialogState): Dialog<Deps> | null => {
    const active = rules.dialogs.get(state.id)
    return active && active.version === state.version ? active : null
  }

  const turn = async (state: DialogState, answer: OwnerInput | null): Promise<TurnResult | null> => {
    const active = activeDialog(state)
    if (!active) return null
    try {
      return await runTurn(active, state, answer, deps, options)
    } catch (error) {
      if (!(error instanceof ReplayMismatch)) throw error
      return null
    }
  }

  const resume = async (state: DialogState, answer: OwnerInput | null): Promise<DialogState | null> => {
    const result = await turn(state, answer)
    if (!result) {
      outgoing.push(text(copy.dialogUpdated))
      return start(rules.home)
    }
    return follow(Promise.resolve(result))
  }

  const follow = async (pending: Promise<TurnResult>): Promise<DialogState | null> => {
    const result = await pending
    outgoing.push(...result.outgoing)
    return result.next ? start(result.next) : result.state
  }

  /** What a sentence outside any dialog leads to. */
  const fresh = async (words: string, understanding?: Understanding): Promise<DialogState | null> => {
    if (isMenuNumber(normalizeInput(words)) && rules.dialogs.has(menuDialog.id))
      return start(menuDialog.id, { input: normalizeInput(words) })
    const read = understanding ?? (await deps.understander.understand(words))
    const route = rules.route(read, words)
    if (route.kind === 'human') {
      outgoing.push(...(await rules.humanHandOff(deps, null)))
      return null
    }
    if (route.kind === 'say') {
      outgoing.push(text(route.text))
      return null
    }
    if (route.preface) outgoing.push(text(route.preface))
    return start(route.dialog, { input: route.input, seed: route.seed })
  }

  /**
   * A message the active dialog did not take as an answer, read for what it is instead: a question is
   * answered and the dialog's question asked again; another request is offered (or, named in a word or
   * two, switched to); 人工 hands off. None of these counts as a wrong try. Returns null when the message
   * is simply a wrong answer, for the dialog to say so.
   */
  const aside = async (
    state: DialogState,
    active: Dialog<Deps>,
    words: string,
    read: Understanding,
  ): Promise<{ next: DialogState | null } | null> => {
    if (active.soft === 'always' || (active.soft === 'understood' && read.intent !== 'unknown'))
      return { next: await fresh(words, read) }
    const target = DIALOG_OF_INTENT[read.intent]
    if (target && target !== state.id) {
      if (BARE_REQUEST.test(normalizeInput(words).replace(/\s/g, ''))) {
        outgoing.push(text(copy.switched(dialogLabel(state.id))))
        return { next: await fresh(words, read) }
      }
      outgoing.push(text(copy.switchOffer(dialogLabel(state.id), dialogLabel(target))))
      return { next: await resume(state, null) }
    }
    if (read.intent === 'question') {
      const found = await deps.knowledge.ask(words)
      outgoing.push(
        text(
          found.found === 'answer'
            ? copy.knowledge.aside(found.item.question, found.item.answer)
            : copy.knowledge.asideNone,
        ),
        text(copy.backToQuestion),
      )
      return { next: await resume(state, null) }
    }
    return null
  }

  const answer = async (state: DialogState, words: string): Promise<DialogState | null> => {
    // 人工 in a short sentence is a request, whatever the step would make of it.
    if ([...words].length <= HUMAN_ASIDE_MAX && deps.understander.asksForPerson(words)) {
      outgoing.push(...(await rules.humanHandOff(deps, state.id)))
      return null
    }
    const result = await turn(state, { text: words })
    if (!result) {
      outgoing.push(text(copy.dialogUpdated))
      return start(rules.home)
    }
    // At a free-text step a refused message was an attempt to answer (too short, only emoji): the
    // dialog says what is wrong. At a choice, a yes/no or the photos, a sentence is something else.
    const active = activeDialog(state) as Dialog<Deps>
    // Only a refused message is read for what it is (an LLM, if configured, never sees plain answers).
    if (result.inputAccepted === false && (result.refusedBy !== 'text' || active.soft)) {
      const handled = await aside(state, active, words, await deps.understander.understand(words))
      if (handled) return handled.next
    }
    return follow(Promise.resolve(result))
  }

  const media = async (state: DialogState | null, item: MediaRef): Promise<DialogState | null> => {
    // The menu or a "did that help?" is no form to keep: a voice note there is a message for a person.
    const form = state && !activeDialog(state)?.soft ? state : null
    if (form) {
      const result = await turn(form, { text: '', media: item })
      if (result && result.inputAccepted !== false) return follow(Promise.resolve(result))
      outgoing.push(...(await rules.mediaHandOff(deps, item, form.id)))
      return resume(form, null)
    }
    outgoing.push(...(await rules.mediaHandOff(deps, item, null)))
    return null
  }

  // Commands and menu numbers are matched on the normalised form; dialogs get the owner's own words.
  const value = normalizeInput(input.text)
  const step = async (): Promise<DialogState | null> => {
    if (input.media) return media(dialog, input.media)
    if (dialog && restsOnGuess(dialog) && (copy.understood.wrongWords as readonly string[]).includes(value))
      return resume(forgetGuess(dialog), null)
    switch (GLOBAL_COMMANDS[value]) {
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
        if (JSON.stringify(previous.log) === JSON.stringify(dialog.log))
          outgoing.push(text(copy.nothingToGoBackTo))
        return resume(previous, null)
      }
      case 'human':
        outgoing.push(...(await rules.humanHandOff(deps, dialog?.id ?? null)))
        return null
      default:
        return dialog ? answer(dialog, input.text.trim()) : fresh(input.text.trim())
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
