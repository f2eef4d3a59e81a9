/**
 * Every household has exactly one client ambassador (客户大使). Candidates come from the rules for the
 * household's building, else its project; the one carrying the fewest households gets it, then the one
 * with the fewest open cases, then the longest-serving (lowest id) — deterministic, so tests and audits
 * can explain every choice.
 */
export interface AmbassadorLoad {
  id: number
  households: number
  openCases: number
}

export function pickAmbassador(candidates: readonly AmbassadorLoad[]): number | null {
  const [best] = [...candidates].sort(
    (a, b) => a.households - b.households || a.openCases - b.openCases || a.id - b.id,
  )
  return best?.id ?? null
}
