import MiniSearch from 'minisearch'
import type { EntityManager } from 'typeorm'
import type { KnowledgeAnswer, KnowledgeItem, KnowledgeServices } from '../../dialogs/ports'
import {
  householdKnowledgeContext,
  knowledgeVersion,
  liveKnowledgeEntries,
  logKnowledgeQuery,
  recordKnowledgeFeedback,
  type KnowledgeEntry,
} from '../../db/knowledge-queries'
import { shanghaiClock } from '../../domain/working-time'
import { normalizeUtterance } from '../../understanding/normalize'
import { searchTerms } from '../../understanding/search-terms'

/** Share of the question's words an entry must hold to be given as the answer, or offered at all. */
const CONFIDENT_COVERAGE = 0.6
const SUGGESTED_COVERAGE = 0.3
const MAX_SUGGESTIONS = 3

interface Index {
  version: string
  search: MiniSearch<KnowledgeEntry>
  entries: Map<number, KnowledgeEntry>
}

/** One index per process, rebuilt when an entry changes (entries are few: hundreds, not millions). */
let cached: Index | null = null

async function indexFor(db: Pick<EntityManager, 'query'>): Promise<Index> {
  const version = await knowledgeVersion(db)
  if (cached?.version === version) return cached
  const entries = await liveKnowledgeEntries(db)
  const search = new MiniSearch<KnowledgeEntry>({
    fields: ['question', 'paraphrases', 'tags'],
    extractField: (entry, field) => {
      const value = entry[field as keyof KnowledgeEntry]
      return Array.isArray(value) ? value.join(' ') : String(value ?? '')
    },
    tokenize: searchTerms,
    processTerm: (term) => term,
    searchOptions: { boost: { question: 2, paraphrases: 2, tags: 1 }, prefix: (term) => term.length >= 2 },
  })
  search.addAll(entries)
  cached = { version, search, entries: new Map(entries.map((entry) => [entry.id, entry])) }
  return cached
}

export interface KnowledgeContext {
  projectId: number | null
  /** The owner's stage; null for someone not bound to a household (stage rules then do not apply). */
  stage: string | null
  /** Shanghai date, YYYY-MM-DD. */
  today: string
}

function applies(entry: KnowledgeEntry, context: KnowledgeContext): boolean {
  if (entry.projectId !== null && entry.projectId !== context.projectId) return false
  if (context.stage !== null && entry.stages.length > 0 && !entry.stages.includes(context.stage)) return false
  if (entry.validFrom !== null && entry.validFrom > context.today) return false
  return entry.validTo === null || entry.validTo >= context.today
}

const item = (entry: KnowledgeEntry): KnowledgeItem => ({
  entryId: entry.id,
  question: entry.question,
  answer: entry.answer,
})

/**
 * Finds the entries for a question. An entry holding most of the question's words, and more of them than
 * any other, is the answer; entries holding some are offered; none, and the owner gets the menu and 人工.
 */
export async function searchKnowledge(
  db: Pick<EntityManager, 'query'>,
  question: string,
  context: KnowledgeContext,
): Promise<{ found: 'answer' | 'choices' | 'none'; entries: KnowledgeEntry[] }> {
  const terms = searchTerms(question)
  if (terms.length === 0) return { found: 'none', entries: [] }
  const index = await indexFor(db)
  const ranked = index.search
    .search(question, { filter: (result) => applies(index.entries.get(result.id as number)!, context) })
    .map((result) => ({
      entry: index.entries.get(result.id as number)!,
      coverage: result.queryTerms.length / terms.length,
      score: result.score,
    }))
    .filter((candidate) => candidate.coverage >= SUGGESTED_COVERAGE)
    .sort((a, b) => b.coverage - a.coverage || b.score - a.score)
  const [best, runnerUp] = ranked
  if (!best) return { found: 'none', entries: [] }
  const clearWinner = !runnerUp || runnerUp.coverage < best.coverage || runnerUp.score * 1.5 <= best.score
  if (best.coverage >= CONFIDENT_COVERAGE && clearWinner) return { found: 'answer', entries: [best.entry] }
  return { found: 'choices', entries: ranked.slice(0, MAX_SUGGESTIONS).map((candidate) => candidate.entry) }
}

/** The knowledge base as a conversation uses it: searched for this person, every question logged. */
export class PgKnowledgeServices implements KnowledgeServices {
  constructor(
    private readonly manager: EntityManager,
    private readonly now: Date,
    private readonly who: { conversationId: number; householdId: number | null },
  ) {}

  async ask(question: string): Promise<KnowledgeAnswer> {
    const household =
      this.who.householdId === null
        ? { projectId: null, stage: null }
        : await householdKnowledgeContext(this.manager, this.who.householdId)
    const context = { ...household, today: shanghaiClock(this.now).ymd }
    const result = await searchKnowledge(this.manager, question, context)
    const outcome =
      result.found === 'answer' ? 'answered' : result.found === 'choices' ? 'suggested' : 'unanswered'
    const queryId = await logKnowledgeQuery(this.manager, {
      at: this.now,
      conversationId: this.who.conversationId,
      projectId: context.projectId,
      text: question.slice(0, 500),
      normalized: normalizeUtterance(question)
        .replace(/[^\p{L}\p{N}]/gu, '')
        .slice(0, 200),
      outcome,
      entryId: result.found === 'answer' ? result.entries[0].id : null,
    })
    if (result.found === 'answer') return { queryId, found: 'answer', item: item(result.entries[0]) }
    if (result.found === 'choices') return { queryId, found: 'choices', items: result.entries.map(item) }
    return { queryId, found: 'none' }
  }

  async feedback(queryId: number, feedback: { entryId?: number; solved?: boolean }): Promise<void> {
    await recordKnowledgeFeedback(this.manager, queryId, this.who.conversationId, feedback)
  }
}
