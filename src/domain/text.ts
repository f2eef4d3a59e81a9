/**
 * What people type, made safe to keep and show: line breaks kept (CRLF and lone CR become LF), a tab
 * becomes a space, and every other control character — NUL, ESC sequences, BEL, backspace, DEL, the C1
 * range — and the bidirectional overrides that make text read differently from what it is, are dropped.
 * Applied at every edge where text comes in (owner messages, API bodies and queries, imports).
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

export function cleanText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROLS, '')
}
