/**
 * Flat rows → CSV with a header (RFC 4180 quoting), for spreadsheets. Text that a spreadsheet would
 * run as a formula (starting with = + - @, a tab or a CR) gets a leading apostrophe, as OWASP advises:
 * names and descriptions come from imports and owners, and a cell like =HYPERLINK(…) would send the
 * sheet's contents elsewhere when a staff member opens it. Numbers stay numbers.
 */
export function toCsv(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return ''
  const columns = Object.keys(rows[0])
  const cell = (value: unknown) => {
    const raw = value === null || value === undefined ? '' : String(value)
    const text = typeof value !== 'number' && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
  }
  return (
    [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))].join('\r\n') +
    '\r\n'
  )
}
