/**
 * A picture, voice note, video, file or location an owner sent, by the channel's reference (WeCom
 * media_id, a stored file's key, …; a location as geo:lat,lng;place).
 */
export interface MediaRef {
  kind: 'image' | 'voice' | 'video' | 'file' | 'location'
  ref: string
}

/** What a dialog says. Channels render a menu as they can: numbered text, a WeCom menu message, … */
export interface MenuOption {
  id: string
  label: string
}

export type OutgoingMessage =
  /** `author`: the staff member who wrote it, for the transcript (none: the bot). */
  | { kind: 'text'; text: string; author?: string }
  | { kind: 'menu'; text: string; options: MenuOption[]; footer?: string }
  /** A card with buttons (WeCom template card); a button's key comes back as a click event. */
  | { kind: 'card'; title: string; text: string; taskId: string; buttons: { key: string; label: string }[] }
  /** Marks a clicked card as handled (WeCom update_template_card). */
  | { kind: 'card-update'; responseCode: string; label: string }
  /** Hands the owner's chat to a person (WeCom kf service_state/trans); channels without it ignore it. */
  | { kind: 'handoff'; servicerUserId: string }
  /** Takes the chat back from the person (WeCom kf: ends the servicer's session); others ignore it. */
  | { kind: 'handback' }

export const text = (value: string): OutgoingMessage => ({ kind: 'text', text: value })

/** Plain-text rendering used by channels without native menus (console, Wechaty). */
export function renderAsText(message: OutgoingMessage): string {
  if (message.kind === 'text') return message.text
  if (message.kind === 'card') return `${message.title}\n${message.text}`
  if (message.kind === 'card-update' || message.kind === 'handoff' || message.kind === 'handback') return ''
  const lines = message.options.map((option) => `${option.id}. ${option.label}`)
  return [message.text, ...lines, ...(message.footer ? [message.footer] : [])].join('\n')
}
