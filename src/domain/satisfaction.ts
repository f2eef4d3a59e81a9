/** The five-level satisfaction scale  and what a score means for contractor and case. */
export const SATISFACTION_LEVELS = [
  { score: 5, label: '非常满意', contractorAdjustment: 0.02 },
  { score: 4, label: '满意', contractorAdjustment: 0.01 },
  { score: 3, label: '一般', contractorAdjustment: -0.01 },
  { score: 2, label: '不满意', contractorAdjustment: -0.02 },
  { score: 1, label: '很不满意', contractorAdjustment: -0.05 },
] as const

export type SatisfactionScore = 1 | 2 | 3 | 4 | 5

/** A score at or below this reopens the case for the ambassador's supervisor. */
export const REOPEN_AT_OR_BELOW: SatisfactionScore = 2

export function reopensCase(score: SatisfactionScore): boolean {
  return score <= REOPEN_AT_OR_BELOW
}
