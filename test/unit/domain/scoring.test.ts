import { adjustmentFor, branchScore, needsHeadReview, rankContractors } from '../../../src/domain/scoring'

describe('contractor scoring (five-level scale)', () => {
  it('rewards and penalises by the band of each score', () => {
    expect([5, 4, 3, 2, 1].map(adjustmentFor)).toEqual([0.02, 0.01, -0.01, -0.02, -0.05])
    expect(adjustmentFor(0)).toBe(0)
  })

  it('ranks by average, names the last for elimination review, and prices the adjustment', () => {
    const ranking = rankContractors([
      { contractorId: 1, name: '甲建筑', contractValue: 1_000_000, scores: [5, 5, 4] },
      { contractorId: 2, name: '乙装饰', contractValue: 500_000, scores: [1, 2] },
      { contractorId: 3, name: '丙水电', contractValue: 200_000, scores: [] },
      { contractorId: 4, name: '丁门窗', contractValue: 300_000, scores: [3, 4, 5] },
    ])
    expect(ranking.map((r) => [r.name, r.rank, r.last])).toEqual([
      ['甲建筑', 1, false],
      ['丁门窗', 2, false],
      ['乙装饰', 3, true],
    ])
    expect(ranking[0]).toMatchObject({
      averageScore: 4.67,
      adjustmentShare: 0.0167,
      adjustmentAmount: 16_666.67,
    })
    expect(ranking[2]).toMatchObject({ adjustmentShare: -0.035, adjustmentAmount: -17_500 })
  })

  it('does not name a sole contractor last', () => {
    expect(rankContractors([{ contractorId: 1, name: '甲', contractValue: 1, scores: [1] }])[0].last).toBe(
      false,
    )
  })
})

describe('branch scoring', () => {
  it('gives 100 to a perfect month and weighs SLA, satisfaction and escalations 40/40/20', () => {
    expect(
      branchScore({ casesWithDeadline: 0, breached: 0, averageSatisfaction: null, cases: 0, escalated: 0 }),
    ).toBe(100)
    expect(
      branchScore({ casesWithDeadline: 10, breached: 5, averageSatisfaction: 2.5, cases: 10, escalated: 5 }),
    ).toBe(50)
  })

  it('recommends reviewing the head only after three months under 80 in a row', () => {
    expect(needsHeadReview([79, 79.9, 60])).toBe(true)
    expect(needsHeadReview([79, 80, 60])).toBe(false)
    expect(needsHeadReview([70, 70])).toBe(false)
  })
})
