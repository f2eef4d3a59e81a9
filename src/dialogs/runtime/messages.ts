/** A picture or file an owner sent, by the channel's reference (WeCom media_id, a stored file's key, …). */
export interface MediaRef {
  kind: 'image' | 'voice' | 'video' | 'file'
  ref: string
}

/** What a dialog says. Channels render a menu as they can: numbered text, a WeCom menu message, … */
export interface MenuOption {
  id: string
  label: string
}

export type OutgoingMessage =
  { kind: 'text'; text: string } | { kind: 'menu'; text: string; options: MenuOption[]; footer?: string }

export const text = (value: string): OutgoingMessage => ({ kind: 'text', text: value })

/** Plain-text rendering used by channels without native menus (console, Wechaty). */
export function renderAsText(message: OutgoingMessage): string {
  if (message.kind === 'text') return message.text
  const lines = message.options.map((option) => `${option.id}. ${option.label}`)
  return [message.text, ...lines, ...(message.footer ? [message.footer] : [])].join('\n')
}
