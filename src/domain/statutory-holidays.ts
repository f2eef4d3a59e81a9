import { getSolarDateFromLunar, getSolarTermDate } from 'chinese-days'

/**
 * The public holidays every year has by law (全国年节及纪念日放假办法, as revised in 2024), computed for any
 * year: 元旦 1 day, 春节 4 days (除夕 to 初三), 清明 1 day, 劳动节 2 days, 端午 1 day, 中秋 1 day, 国庆 3 days.
 * A holiday that falls on a Saturday or Sunday is made up on the next working day (补假, article 6 of
 * the same rules). What the law does not fix — the State Council's yearly arrangement that joins these
 * into longer breaks with 调休 make-up Saturdays — comes from the official calendar where it is known.
 * Lunar dates and the 清明 solar term come from chinese-days' conversion (1900–2100).
 */
export interface Holiday {
  date: string
  name: string
}

const plusDays = (ymd: string, days: number) =>
  new Date(Date.parse(`${ymd}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
const weekday = (ymd: string) => new Date(`${ymd}T00:00:00Z`).getUTCDay()
const lunar = (year: number, month: number, day: number) =>
  getSolarDateFromLunar(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`).date

const cache = new Map<number, Holiday[]>()

export function lawHolidays(year: number): Holiday[] {
  const known = cache.get(year)
  if (known) return known
  const springFestival = lunar(year, 1, 1)
  const days: Holiday[] = [
    { date: `${year}-01-01`, name: '元旦' },
    { date: plusDays(springFestival, -1), name: '春节（除夕）' },
    { date: springFestival, name: '春节' },
    { date: plusDays(springFestival, 1), name: '春节' },
    { date: plusDays(springFestival, 2), name: '春节' },
    { date: getSolarTermDate(year, 4, 'pure_brightness'), name: '清明节' },
    { date: `${year}-05-01`, name: '劳动节' },
    { date: `${year}-05-02`, name: '劳动节' },
    { date: lunar(year, 5, 5), name: '端午节' },
    { date: lunar(year, 8, 15), name: '中秋节' },
    { date: `${year}-10-01`, name: '国庆节' },
    { date: `${year}-10-02`, name: '国庆节' },
    { date: `${year}-10-03`, name: '国庆节' },
  ]
  // 补假: each holiday on a weekend gives the next weekday that is not a holiday itself.
  const taken = new Set(days.map((d) => d.date))
  const makeUp: Holiday[] = []
  for (const day of days) {
    if (weekday(day.date) !== 0 && weekday(day.date) !== 6) continue
    let date = plusDays(day.date, 1)
    while (weekday(date) === 0 || weekday(date) === 6 || taken.has(date)) date = plusDays(date, 1)
    taken.add(date)
    makeUp.push({ date, name: `${day.name.replace(/（.*）/, '')}补假` })
  }
  const all = [...days, ...makeUp].sort((a, b) => a.date.localeCompare(b.date))
  cache.set(year, all)
  return all
}
