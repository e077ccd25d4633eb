// A bot's business hours in the bot form: the API's schedule, kept as it
// travels (weekday keys, "HH:MM" strings, "YYYY-MM-DD" holidays), so the
// draft is sent back untouched and the server's details.field
// ("business_hours.weekly.tue.0") points at a row of the form as is.
import { ApiError } from '../../api/client'
import type { Bot } from '../../api/types'

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]
export interface Interval {
  from: string
  to: string
}
export interface HoursDraft {
  enabled: boolean
  time_zone: string
  weekly: Record<Weekday, Interval[]>
  holidays: string[]
}

/** browserZone is the zone a new schedule starts in: the admin's own. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/** zones is every IANA zone the browser knows, with current in it. */
export function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC']
  return all.includes(current) || !current ? all : [current, ...all]
}

/** hoursDraft is the form's copy; a bot without a schedule gets Mon–Fri 09:00–18:00, off. */
export function hoursDraft(b: Bot | null): HoursDraft {
  const h = b?.business_hours
  const weekly = {} as Record<Weekday, Interval[]>
  for (const d of WEEKDAYS) weekly[d] = (h?.weekly?.[d] ?? []).map((i) => ({ ...i }))
  if (!h?.enabled && WEEKDAYS.every((d) => !weekly[d].length)) {
    for (const d of WEEKDAYS.slice(0, 5)) weekly[d] = [{ from: '09:00', to: '18:00' }]
  }
  const zone = h?.enabled || (h?.time_zone && h.time_zone !== 'UTC') ? h.time_zone : browserZone()
  return { enabled: !!h?.enabled, time_zone: zone, weekly, holidays: [...(h?.holidays ?? [])] }
}

/**
 * hoursError is the form's message for a refused schedule: the field the
 * server names and, from its reason, what to do; null when the error is
 * not about the schedule.
 */
export function hoursError(e: unknown, t: (k: string) => string): { field: string; text: string } | null {
  if (!(e instanceof ApiError) || typeof e.details.field !== 'string' || !e.details.field.startsWith('business_hours.')) return null
  const reason = typeof e.details.reason === 'string' ? e.details.reason : ''
  const known = ['bad_time_zone', 'bad_time', 'from_not_before_to', 'overlap', 'too_many', 'bad_date', 'never_opens']
  return { field: e.details.field, text: known.includes(reason) ? t('businessHours.errors.' + reason) : e.message }
}

/** dayError is the first error of a weekday's rows (any of its intervals). */
export function dayError(errors: Record<string, string>, day: Weekday): string {
  const k = Object.keys(errors).find((f) => f === `business_hours.weekly.${day}` || f.startsWith(`business_hours.weekly.${day}.`))
  return k ? errors[k] : ''
}
