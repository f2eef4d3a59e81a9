import { canTransition, formatCaseNo } from '../../../src/domain/case'
import { maskPhone, normalizeMobile } from '../../../src/domain/customer'

describe('case rules', () => {
  it('numbers cases by kind and Shanghai date', () => {
    // 2026-11-22 17:00 UTC is already the 23rd in Shanghai.
    expect(formatCaseNo('complaint', new Date('2026-11-22T17:00:00Z'), 42)).toBe('TS20261123-0042')
    expect(formatCaseNo('repair', new Date('2026-11-22T10:00:00Z'), 12345)).toBe('BX20261122-12345')
  })

  it('reopens only resolved or closed cases', () => {
    expect(canTransition('closed', 'reopened')).toBe(true)
    expect(canTransition('open', 'reopened')).toBe(false)
    expect(canTransition('closed', 'in_progress')).toBe(false)
  })
})

describe('customer data', () => {
  it('masks phone numbers for staff without need-to-know', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
  })

  it('accepts a mobile number with spaces, dashes or +86, and rejects half a number', () => {
    expect(normalizeMobile('+86 138-1234-5678')).toBe('13812345678')
    expect(normalizeMobile('1381234')).toBeNull()
    expect(normalizeMobile('23812345678')).toBeNull()
  })
})
