import { DEFAULT_SLA_POLICIES } from '../../../src/domain/sla'
import {
  formatServiceHours,
  parseServiceHours,
  projectClockSettings,
} from '../../../src/domain/service-settings'

describe('service hours', () => {
  it.each([
    ['09:00-17:30', { openMinute: 540, closeMinute: 1050 }],
    ['00:00-24:00', { openMinute: 0, closeMinute: 1440 }],
    ['08:30-22:00', { openMinute: 510, closeMinute: 1320 }],
  ])('reads %s', (text, hours) => {
    expect(parseServiceHours(text)).toEqual(hours)
    expect(formatServiceHours(hours)).toBe(text)
  })

  it.each([
    '17:30-09:00',
    '09:00-09:00',
    '9:00-17:30',
    '24:00-24:00',
    '09:60-17:00',
    '09:00-25:00',
    '09:00',
    '',
  ])('refuses %p: not one day that opens before it closes', (text) =>
    expect(parseServiceHours(text)).toBeNull(),
  )
})

describe('a project’s clock settings', () => {
  const defaults = { policies: DEFAULT_SLA_POLICIES, businessHours: { openMinute: 540, closeMinute: 1050 } }

  it('keeps the defaults where the project sets nothing', () => {
    expect(projectClockSettings(defaults, null)).toBe(defaults)
    expect(projectClockSettings(defaults, { serviceHours: null, slaPolicies: {} })).toEqual(defaults)
  })

  it('takes the project’s hours and only the policies it names', () => {
    const own = projectClockSettings(defaults, {
      serviceHours: '08:00-20:00',
      slaPolicies: { repairDispatch: { mode: 'business', minutes: 15 } },
    })
    expect(own.businessHours).toEqual({ openMinute: 480, closeMinute: 1200 })
    expect(own.policies.repairDispatch).toEqual({ mode: 'business', minutes: 15 })
    expect(own.policies.complaintReply).toEqual(DEFAULT_SLA_POLICIES.complaintReply)
  })
})
