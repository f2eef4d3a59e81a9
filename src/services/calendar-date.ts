import { z } from 'zod'

/**
 * A calendar date as staff and files write it, YYYY-MM-DD, that exists: 2027-02-30 is refused, not
 * rolled over into March. The one date check of the API, the customer import and the knowledge base.
 */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((value) => {
    const at = Date.parse(`${value}T00:00:00Z`)
    return !Number.isNaN(at) && new Date(at).toISOString().startsWith(value)
  }, 'not a calendar date')
