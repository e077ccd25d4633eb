// Formatting of times, durations and sizes in the user's language.

/** duration formats seconds as 0:42, 12:05 or 3:02:10. */
export function duration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`
}

/** ago formats the time since iso compactly: 45s, 12m, 3h, 2d. */
export function ago(iso: string | null | undefined, at: number): string {
  if (!iso) return ''
  const s = Math.max(0, Math.floor((at - Date.parse(iso)) / 1000))
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m`
  if (s < 86400) return `${Math.floor(s / 3600)}h`
  return `${Math.floor(s / 86400)}d`
}

/** clock formats iso as a time of day (and the date when not today). */
export function clock(iso: string, locale: string): string {
  const d = new Date(iso)
  const today = new Date()
  const sameDay = d.toDateString() === today.toDateString()
  return sameDay
    ? d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })
}

/** dateTime formats iso as a full date and time. */
export function dateTime(iso: string, locale: string): string {
  return new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' })
}

/** bytes formats a size: 812 B, 14 KB, 3.2 MB. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/** initials of a name for avatars: "Maria Luiza dos Santos" → "MS", "Customer 0042" → "C". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter((w) => /^\p{L}/u.test(w))
  if (words.length === 0) return name.trim().charAt(0).toUpperCase() || '?'
  const first = words[0]!.charAt(0)
  const last = words.length > 1 ? words[words.length - 1]!.charAt(0) : ''
  return (first + last).toUpperCase()
}

/** newClientID makes the idempotency key of one send. */
export function newClientID(): string {
  // getRandomValues works outside secure contexts too (randomUUID does not).
  const b = crypto.getRandomValues(new Uint8Array(12))
  return 'c-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}
