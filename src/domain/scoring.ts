/**
 * Contractor and branch scoring (docs/service-rules.md). Pure arithmetic over counts the caller supplies.
 */
import { SATISFACTION_LEVELS } from './satisfaction'

/** The reward (+) or penalty (−) share of the contract value for one survey score. */
export function adjustmentFor(score: number): number {
  return SATISFACTION_LEVELS.find((level) => level.score === score)?.contractorAdjustment ?? 0
}

export interface ContractorScores {
  contractorId: number
  name: string
  contractValue: number
  scores: number[]
}

export interface ContractorRanking {
  rank: number
  contractorId: number
  name: string
  surveys: number
  averageScore: number
  /** Mean of the per-survey bands (+2% … −5%). */
  adjustmentShare: number
  adjustmentAmount: number
  /** 强制排序，末位淘汰: the last of the ranking is named for elimination review. */
  last: boolean
}

/** Ranks contractors by average satisfaction (ties: more surveys first, then name). */
export function rankContractors(contractors: readonly ContractorScores[]): ContractorRanking[] {
  const scored = contractors
    .filter((c) => c.scores.length > 0)
    .map((c) => {
      const average = c.scores.reduce((sum, s) => sum + s, 0) / c.scores.length
      const share = c.scores.reduce((sum, s) => sum + adjustmentFor(s), 0) / c.scores.length
      return {
        contractorId: c.contractorId,
        name: c.name,
        surveys: c.scores.length,
        averageScore: Math.round(average * 100) / 100,
        adjustmentShare: Math.round(share * 10_000) / 10_000,
        adjustmentAmount: Math.round(c.contractValue * share * 100) / 100,
      }
    })
    .sort((a, b) => b.averageScore - a.averageScore || b.surveys - a.surveys || a.name.localeCompare(b.name))
  return scored.map((c, index) => ({
    ...c,
    rank: index + 1,
    last: scored.length > 1 && index === scored.length - 1,
  }))
}

export interface BranchMonth {
  /** Cases with a deadline, and how many of them breached it. */
  casesWithDeadline: number
  breached: number
  averageSatisfaction: number | null
  cases: number
  escalated: number
}

/**
 * The group centre's monthly branch score out of 100: 40 for SLA compliance, 40 for satisfaction, 20 for
 * keeping owners from escalating. The 80-point threshold is the practice; the formula is ours.
 */
export function branchScore(month: BranchMonth): number {
  const compliance = month.casesWithDeadline === 0 ? 1 : 1 - month.breached / month.casesWithDeadline
  const satisfaction = month.averageSatisfaction === null ? 1 : month.averageSatisfaction / 5
  const calm = month.cases === 0 ? 1 : 1 - month.escalated / month.cases
  return Math.round((40 * compliance + 40 * satisfaction + 20 * calm) * 10) / 10
}

/** Below 80 points three months running triggers a recommendation to replace the branch head. */
export function needsHeadReview(lastThreeScores: readonly number[]): boolean {
  return lastThreeScores.length === 3 && lastThreeScores.every((score) => score < 80)
}
