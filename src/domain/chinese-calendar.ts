import { isWorkday } from 'chinese-days'
import type { WorkdayCalendar } from './working-time'

/** The official holiday calendar (holidays and 调休 make-up days) from the maintained chinese-days package. */
export const chineseWorkdayCalendar: WorkdayCalendar = {
  isWorkday: (ymd) => isWorkday(ymd),
}
