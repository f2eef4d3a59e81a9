import type { EntityManager } from 'typeorm'
import { z } from 'zod'
import { canSeeProject, type StaffScope } from '../../db/access'
import { audit } from '../../db/case-store'
import {
  insertKnowledgeEntry,
  knowledgeEntryById,
  projectCodes,
  projectIdsByCode,
  retireKnowledgeEntry,
  updateKnowledgeEntry,
  type KnowledgeEntry,
  type KnowledgeFields,
} from '../../db/knowledge-queries'
import { OWNER_STAGES } from '../../domain/customer'
import { toCsv } from '../reports/csv'
import { calendarDate } from '../calendar-date'

const shortText = (max: number) => z.string().trim().min(1).max(max)

const fieldSchemas = {
  projectId: z.number().int().positive().max(2_147_483_647).nullable(),
  question: shortText(200),
  paraphrases: z.array(shortText(200)).max(30),
  answer: shortText(2000),
  tags: z.array(shortText(30)).max(20),
  stages: z.array(z.enum(OWNER_STAGES)).max(OWNER_STAGES.length),
  validFrom: calendarDate.nullable(),
  validTo: calendarDate.nullable(),
}

/** Some fields of an entry, for a change (nothing filled in by default: what is not sent stays). */
export const knowledgeChanges = z.object(fieldSchemas).partial().strict()

/** One entry as staff write it (API body, or one CSV row once its lists are split). */
export const knowledgeFields = z
  .object({
    ...fieldSchemas,
    projectId: fieldSchemas.projectId.default(null),
    paraphrases: fieldSchemas.paraphrases.default([]),
    tags: fieldSchemas.tags.default([]),
    stages: fieldSchemas.stages.default([]),
    validFrom: fieldSchemas.validFrom.default(null),
    validTo: fieldSchemas.validTo.default(null),
  })
  .strict()
  .refine((entry) => !entry.validFrom || !entry.validTo || entry.validTo >= entry.validFrom, {
    message: 'validTo is before validFrom',
    path: ['validTo'],
  })

export type KnowledgeRefusal =
  { error: 'NO_SUCH_ENTRY' } | { error: 'GROUP_WIDE_NEEDS_GROUP' } | { error: 'OTHER_PROJECT' }

/** Group-wide entries are the group's to write; a branch writes for its own projects. */
async function mayWrite(
  manager: EntityManager,
  scope: StaffScope,
  projectId: number | null,
): Promise<KnowledgeRefusal | null> {
  if (projectId === null) return scope.kind === 'all' ? null : { error: 'GROUP_WIDE_NEEDS_GROUP' }
  return (await canSeeProject(manager, scope, projectId)) ? null : { error: 'OTHER_PROJECT' }
}

/** An entry the caller may edit, or null: one out of reach reads as missing. */
async function editable(
  manager: EntityManager,
  scope: StaffScope,
  id: number,
): Promise<KnowledgeEntry | null> {
  const entry = await knowledgeEntryById(manager, id)
  if (!entry) return null
  return (await mayWrite(manager, scope, entry.projectId)) ? null : entry
}

export async function createKnowledgeEntry(
  manager: EntityManager,
  scope: StaffScope,
  fields: KnowledgeFields,
  actor: string,
  now: Date,
): Promise<{ id: number } | KnowledgeRefusal> {
  const refused = await mayWrite(manager, scope, fields.projectId)
  if (refused) return refused
  const id = await insertKnowledgeEntry(manager, fields, actor, now)
  await audit(manager, {
    actor,
    action: 'knowledge.create',
    subjectType: 'knowledge_entry',
    subjectId: String(id),
    at: now,
  })
  return { id }
}

/** Changes some fields of an entry; moving it to a project (or group-wide) needs the right to write there. */
export async function changeKnowledgeEntry(
  manager: EntityManager,
  scope: StaffScope,
  id: number,
  changes: Partial<KnowledgeFields>,
  actor: string,
  now: Date,
): Promise<{ id: number } | KnowledgeRefusal> {
  const entry = await editable(manager, scope, id)
  if (!entry) return { error: 'NO_SUCH_ENTRY' }
  const { id: _id, projectName: _name, updatedAt: _at, ...current } = entry
  const next: KnowledgeFields = { ...current, ...changes }
  if (next.validFrom && next.validTo && next.validTo < next.validFrom)
    throw new z.ZodError([
      { code: 'custom', path: ['validTo'], message: 'validTo is before validFrom', input: next.validTo },
    ])
  const refused = await mayWrite(manager, scope, next.projectId)
  if (refused) return refused
  await updateKnowledgeEntry(manager, id, next, now)
  await audit(manager, {
    actor,
    action: 'knowledge.update',
    subjectType: 'knowledge_entry',
    subjectId: String(id),
    details: { fields: Object.keys(changes) },
    at: now,
  })
  return { id }
}

export async function retireKnowledgeEntryFor(
  manager: EntityManager,
  scope: StaffScope,
  id: number,
  actor: string,
  now: Date,
): Promise<boolean> {
  if (!(await editable(manager, scope, id))) return false
  await retireKnowledgeEntry(manager, id, now)
  await audit(manager, {
    actor,
    action: 'knowledge.retire',
    subjectType: 'knowledge_entry',
    subjectId: String(id),
    at: now,
  })
  return true
}

/** Lists inside one CSV cell: "问法一|问法二". */
const LIST_SEPARATOR = '|'

/** The entries as a spreadsheet: one row each, lists joined with |, projects by code. */
export async function knowledgeCsv(
  manager: Pick<EntityManager, 'query'>,
  entries: KnowledgeEntry[],
): Promise<string> {
  const codes = await projectCodes(manager)
  return toCsv(
    entries.map((entry) => ({
      id: entry.id,
      project: entry.projectId === null ? '' : (codes.get(entry.projectId) ?? ''),
      question: entry.question,
      paraphrases: entry.paraphrases.join(LIST_SEPARATOR),
      answer: entry.answer,
      tags: entry.tags.join(LIST_SEPARATOR),
      stages: entry.stages.join(LIST_SEPARATOR),
      validFrom: entry.validFrom ?? '',
      validTo: entry.validTo ?? '',
    })),
  )
}

export interface KnowledgeImportReport {
  rows: number
  created: number
  updated: number
  /** Rows that could not be taken, by line (the header is line 1); with any, nothing is saved. */
  errors: { line: number; message: string }[]
}

/**
 * Imports a CSV exported by knowledgeCsv (or written by hand with its columns). A row with an id
 * changes that entry, one without adds an entry. All or nothing: one bad row and no row is saved, and
 * the report names every bad line, so a spreadsheet is fixed once and sent again.
 */
export async function importKnowledge(
  manager: EntityManager,
  scope: StaffScope,
  records: Record<string, unknown>[],
  actor: string,
  now: Date,
): Promise<KnowledgeImportReport> {
  const text = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim())
  const list = (value: unknown) =>
    text(value)
      .split(LIST_SEPARATOR)
      .map((item) => item.trim())
      .filter(Boolean)
  const codes = await projectIdsByCode(manager, [
    ...new Set(records.map((r) => text(r.project)).filter(Boolean)),
  ])
  const errors: KnowledgeImportReport['errors'] = []
  const rows: { line: number; id: number | null; fields: KnowledgeFields }[] = []
  records.forEach((record, index) => {
    const line = index + 2
    const code = text(record.project)
    if (code && !codes.has(code)) {
      errors.push({ line, message: `no project with code ${code}` })
      return
    }
    const idText = text(record.id)
    if (idText && !/^\d{1,9}$/.test(idText)) {
      errors.push({ line, message: 'id must be a number (or empty for a new entry)' })
      return
    }
    const parsed = knowledgeFields.safeParse({
      projectId: code ? codes.get(code) : null,
      question: text(record.question),
      paraphrases: list(record.paraphrases),
      answer: text(record.answer),
      tags: list(record.tags),
      stages: list(record.stages),
      validFrom: text(record.validFrom) || null,
      validTo: text(record.validTo) || null,
    })
    if (!parsed.success) {
      errors.push({
        line,
        message: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; '),
      })
      return
    }
    rows.push({ line, id: idText ? Number(idText) : null, fields: parsed.data })
  })
  // Rights are checked for every row before any is written, so a refusal cannot leave half a file saved.
  for (const row of rows) {
    if (row.id !== null && !(await editable(manager, scope, row.id)))
      errors.push({ line: row.line, message: `no entry ${row.id} that you may edit` })
    else {
      const refused = await mayWrite(manager, scope, row.fields.projectId)
      if (refused) errors.push({ line: row.line, message: refused.error })
    }
  }
  const report: KnowledgeImportReport = { rows: records.length, created: 0, updated: 0, errors }
  if (errors.length > 0) return report
  for (const row of rows) {
    if (row.id === null) await createKnowledgeEntry(manager, scope, row.fields, actor, now)
    else await changeKnowledgeEntry(manager, scope, row.id, row.fields, actor, now)
    if (row.id === null) report.created += 1
    else report.updated += 1
  }
  return report
}
