/**
 * Canned replies (快捷回复): a text with placeholders in braces, filled from the conversation it is sent
 * in. The placeholders are few and in Chinese, because the people who write these texts are service
 * staff, not developers.
 */
export const CANNED_PLACEHOLDERS = ['业主', '客户大使', '大使电话', '项目'] as const
export type CannedPlaceholder = (typeof CANNED_PLACEHOLDERS)[number]

const PLACEHOLDER = /\{([^{}\s]{1,12})\}/g

/** Placeholders the text uses that nobody could fill; saving such a text is refused. */
export function unknownPlaceholders(body: string): string[] {
  const known = new Set<string>(CANNED_PLACEHOLDERS)
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((name) => !known.has(name)))]
}

/**
 * The text as this owner reads it. A value the conversation lacks (a stranger has no ambassador) becomes
 * a neutral word rather than a blank or a brace.
 */
export function fillCannedReply(
  body: string,
  values: Partial<Record<CannedPlaceholder, string | null>>,
): string {
  const fallback: Record<CannedPlaceholder, string> = {
    业主: '业主',
    客户大使: '客户大使',
    大使电话: '客服热线',
    项目: '项目',
  }
  return body.replace(PLACEHOLDER, (whole, name: string) =>
    (CANNED_PLACEHOLDERS as readonly string[]).includes(name)
      ? values[name as CannedPlaceholder] || fallback[name as CannedPlaceholder]
      : whole,
  )
}
