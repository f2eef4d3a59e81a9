/**
 * A project's own service settings over the deployment's defaults: its service hours (when its desk is
 * staffed, so when business-hour clocks run and when the on-duty person is the one to call) and any SLA
 * policy it sets differently. Pure: the stored values are passed in.
 */
import type { SlaPolicies } from './sla'
import type { BusinessHours } from './working-time'

export interface ProjectServiceSettings {
  /** "HH:MM-HH:MM", or null for the deployment's BUSINESS_HOURS. */
  serviceHours: string | null
  /** Only the policies this project sets differently from SLA_POLICIES. */
  slaPolicies: Partial<SlaPolicies>
}

export interface ServiceClockSettings {
  policies: SlaPolicies
  businessHours: BusinessHours
}

const HOURS = /^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$/

/** "09:00-17:30" → minutes since midnight; null when it is not a span of one day that opens before it closes. */
export function parseServiceHours(text: string): BusinessHours | null {
  const match = HOURS.exec(text)
  if (!match) return null
  const [open, close] = text.split('-').map((hhmm) => {
    const [h, m] = hhmm.split(':').map(Number)
    return h * 60 + m
  })
  return open < close ? { openMinute: open, closeMinute: close } : null
}

export function formatServiceHours(hours: BusinessHours): string {
  const hhmm = (minute: number) =>
    `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`
  return `${hhmm(hours.openMinute)}-${hhmm(hours.closeMinute)}`
}

/** The clock settings a project's cases run on: its own where it set them, the defaults elsewhere. */
export function projectClockSettings(
  defaults: ServiceClockSettings,
  own: ProjectServiceSettings | null,
): ServiceClockSettings {
  if (!own) return defaults
  const hours = own.serviceHours === null ? null : parseServiceHours(own.serviceHours)
  return {
    policies: { ...defaults.policies, ...own.slaPolicies },
    businessHours: hours ?? defaults.businessHours,
  }
}
