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
import { compact, normalizeUtterance } from '../../understanding/normalize'
import { searchTerms } from '../../understanding/search-terms'

/**
 * How close the question must be to one of an entry's phrasings (Dice overlap of their words) to be
 * given as the answer, and by how much it must beat the next entry; and the share of the question's
 * words an entry must hold to be offered at all.
 */
const CONFIDENT_SIMILARITY = 0.6
const CLEAR_MARGIN = 0.15
const SUGGESTED_COVERAGE = 0.3
const MAX_SUGGESTIONS = 3

interface Index {
  version: string
  search: MiniSearch<KnowledgeEntry>
  entries: Map<number, KnowledgeEntry>
  /** Each entry's phrasings (its question and paraphrases) as sets of search words. */
  phrasings: Map<number, Set<string>[]>
}

/** Dice overlap of two word sets: 1 when they are the same words, 0 when they share none. */
function similarity(question: ReadonlySet<string>, phrasing: ReadonlySet<string>): number {
  let shared = 0
  for (const word of question) if (phrasing.has(word)) shared += 1
  return (2 * shared) / (question.size + phrasing.size || 1)
}

/** One index per process, rebuilt when an entry changes (entries are few: hundreds, not millions). */
let cached: Index | null = null

async function indexFor(db: Pick<EntityManager, 'query'>): Promise<Index> {
  const version = await knowledgeVersion(db)
  if (cached?.version === version) return cached
  const entries = await liveKnowledgeEntries(db)
  const search = new MiniSearch<KnowledgeEntry>({
    fields: ['question', 'paraphrases', 'tags'],
    // Also asked for the id field: that one must stay a number, the map's key.
    extractField: (entry, field) => {
      if (field === 'id') return entry.id as unknown as string
      const value = entry[field as keyof KnowledgeEntry]
      return Array.isArray(value) ? value.join(' ') : String(value ?? '')
    },
    tokenize: searchTerms,
    processTerm: (term) => term,
    searchOptions: { boost: { question: 2, paraphrases: 2, tags: 1 }, prefix: (term) => term.length >= 2 },
  })
  search.addAll(entries)
  cached = {
    version,
    search,
    entries: new Map(entries.map((entry) => [entry.id, entry])),
    phrasings: new Map(
      entries.map((entry) => [
        entry.id,
        [entry.question, ...entry.paraphrases].map((p) => new Set(searchTerms(p))),
      ]),
    ),
  }
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
 * Finds the entries for a question. minisearch finds the candidates (any of the question's words, word
 * prefixes included); each is then ranked by its phrasing closest to the question. One clearly closest
 * and close enough is the answer; candidates holding some of the question's words are offered; none,
 * and the owner gets the menu and 人工.
 */
export async function searchKnowledge(
  db: Pick<EntityManager, 'query'>,
  question: string,
  context: KnowledgeContext,
): Promise<{ found: 'answer' | 'choices' | 'none'; entries: KnowledgeEntry[] }> {
  const terms = new Set(searchTerms(question))
  if (terms.size === 0) return { found: 'none', entries: [] }
  const index = await indexFor(db)
  const ranked = index.search
    .search(question, { filter: (result) => applies(index.entries.get(result.id as number)!, context) })
    .map((result) => ({
      entry: index.entries.get(result.id as number)!,
      coverage: result.queryTerms.length / terms.size,
      similarity: Math.max(...index.phrasings.get(result.id as number)!.map((p) => similarity(terms, p))),
      score: result.score,
    }))
    .filter((candidate) => candidate.coverage >= SUGGESTED_COVERAGE)
    .sort((a, b) => b.similarity - a.similarity || b.score - a.score)
  const [best, runnerUp] = ranked
  if (!best) return { found: 'none', entries: [] }
  const clearWinner = !runnerUp || best.similarity - runnerUp.similarity >= CLEAR_MARGIN
  if (best.similarity >= CONFIDENT_SIMILARITY && clearWinner)
    return { found: 'answer', entries: [best.entry] }
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
      normalized: compact(normalizeUtterance(question)).slice(0, 200),
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
