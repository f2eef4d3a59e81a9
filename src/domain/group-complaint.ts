/**
 * Group-complaint early warning (群诉倾向): several households of one project complaining about
 * the same thing in a short window start the emergency response. Pure: the caller supplies the counts.
 */
export function isGroupComplaint(distinctHouseholds: number, threshold: number): boolean {
  return threshold > 0 && distinctHouseholds >= threshold
}
