import { parse } from 'csv-parse'
import { Readable } from 'node:stream'
import type { DataSource } from 'typeorm'
import { z } from 'zod'
import { calendarDate } from '../calendar-date'
import { CUSTOMER_CLASSES, normalizeMobile, OWNER_STAGES } from '../../domain/customer'
import { activeStaffAccounts, knownBranches, writeCustomerRows } from '../../db/import-queries'

/** The columns of a customer-file import, in CSV header order. */
export const IMPORT_COLUMNS = [
  'project_code',
  'project_name',
  'building',
  'room',
  'delivered_on',
  'household_code',
  'stage',
  'customer_class',
  'owner_name',
  'phone',
  'relation',
  'ambassador',
  'branch',
] as const

/** An empty CSV cell or a JSON null means "not given". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional())

export const importRow = z.object({
  project_code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{2,32}$/, '2–32 letters, digits or dashes'),
  project_name: z.string().trim().min(1).max(64),
  building: z.string().trim().min(1).max(16),
  room: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,16}$/, '1–16 letters, digits or dashes'),
  delivered_on: optional(calendarDate),
  household_code: z.string().trim().min(1).max(64),
  stage: optional(z.enum(OWNER_STAGES)),
  customer_class: optional(z.enum(CUSTOMER_CLASSES)),
  owner_name: z.string().trim().min(1).max(32),
  phone: z.string().transform((value, ctx) => {
    const phone = normalizeMobile(value)
    if (!phone) ctx.addIssue({ code: 'custom', message: 'not an 11-digit mainland mobile number' })
    return phone ?? z.NEVER
  }),
  relation: optional(z.string().trim().min(1).max(16)),
  ambassador: optional(z.string().trim().min(1).max(64)),
  /** The project's branch (分公司): branch heads' scope and branch scores read it. */
  branch: optional(z.string().trim().min(1).max(40)),
})
export type ImportRow = z.infer<typeof importRow>

export interface RowError {
  /** 1-based number of the data row (a CSV's header is not counted). */
  row: number
  field: string
  message: string
}

export interface ImportReport {
  rows: number
  imported: number
  errors: RowError[]
}

/** Rows of an import file that is not CSV at all: its parser's own words, for the person importing. */
export class MalformedImportError extends Error {}

/**
 * CSV text (with the header row) or a JSON array of objects → raw records. CSV is parsed as a stream
 * of 64 KiB pieces, so a 20 MB file yields to other requests instead of holding the event loop.
 */
export async function readImport(contentType: string, body: unknown): Promise<Record<string, unknown>[]> {
  if (contentType.includes('csv')) {
    const text = String(body ?? '')
    const pieces = (function* () {
      for (let at = 0; at < text.length; at += 65_536) yield text.slice(at, at + 65_536)
    })()
    const records: Record<string, unknown>[] = []
    const parser = Readable.from(pieces).pipe(
      parse({ columns: true, skip_empty_lines: true, trim: true, bom: true }),
    )
    try {
      for await (const record of parser) records.push(record as Record<string, unknown>)
    } catch (error) {
      throw new MalformedImportError(`the CSV file cannot be read: ${(error as Error).message}`)
    }
    return records
  }
  if (Array.isArray(body)) return body as Record<string, unknown>[]
  if (body && typeof body === 'object' && Array.isArray((body as { rows?: unknown }).rows)) {
    return (body as { rows: Record<string, unknown>[] }).rows
  }
  throw new z.ZodError([
    { code: 'custom', path: [], message: 'expected CSV text or a JSON array of rows', input: body },
  ])
}

/**
 * Imports projects, buildings, units, households, owners and ambassador assignments. Every row is checked
 * first and a bad row is reported by number and field, never half-written; the good rows go in with
 * set-based statements in one transaction, keyed by natural keys, so importing the same file again
 * changes nothing.
 */
export async function importCustomers(
  dataSource: DataSource,
  records: Record<string, unknown>[],
): Promise<ImportReport> {
  const errors: RowError[] = []
  const good: (ImportRow & { row: number })[] = []
  records.forEach((record, index) => {
    const parsed = importRow.safeParse(record)
    if (parsed.success) good.push({ ...parsed.data, row: index + 1 })
    else
      for (const issue of parsed.error.issues)
        errors.push({ row: index + 1, field: issue.path.join('.'), message: issue.message })
  })

  const ambassadors = [...new Set(good.map((r) => r.ambassador).filter((a): a is string => Boolean(a)))]
  const known = await activeStaffAccounts(dataSource, ambassadors)
  const branches = await knownBranches(dataSource, [
    ...new Set(good.map((r) => r.branch).filter((b): b is string => Boolean(b))),
  ])
  const rows = good.filter((r) => {
    if (r.branch && !branches.has(r.branch)) {
      errors.push({
        row: r.row,
        field: 'branch',
        message: `no branch named ${r.branch} (POST /branches adds one)`,
      })
      return false
    }
    if (!r.ambassador || known.has(r.ambassador)) return true
    errors.push({
      row: r.row,
      field: 'ambassador',
      message: `no active ambassador with WeCom account ${r.ambassador}`,
    })
    return false
  })
  errors.sort((a, b) => a.row - b.row)
  if (rows.length > 0) await writeCustomerRows(dataSource, rows)
  return { rows: records.length, imported: rows.length, errors }
}
