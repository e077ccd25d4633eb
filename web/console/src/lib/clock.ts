// The server's clock as the console sees it: lock countdowns and "waiting
// for" times use the server's time (from the socket's hello frame), not
// the laptop's, which may be off by minutes.
import { ref } from 'vue'

let offsetMs = 0

/** now ticks every second so countdowns and relative times re-render. */
export const now = ref(Date.now())
setInterval(() => {
  now.value = Date.now() + offsetMs
}, 1000)

/** setServerTime records the server's time as of this moment. */
export function setServerTime(iso: string): void {
  const t = Date.parse(iso)
  if (Number.isFinite(t)) {
    offsetMs = t - Date.now()
    now.value = Date.now() + offsetMs
  }
}

/** serverNow is the server's current time in milliseconds. */
export function serverNow(): number {
  return Date.now() + offsetMs
}

/** secondsUntil is how many whole seconds remain until iso (0 if past). */
export function secondsUntil(iso: string | null | undefined, at: number): number {
  if (!iso) return 0
  const t = Date.parse(iso)
  return Number.isFinite(t) ? Math.max(0, Math.ceil((t - at) / 1000)) : 0
}

/**
 * compareTimes orders two RFC 3339 times by the instant they name. Never
 * compare them as strings: the server trims trailing zeros of fractions
 * (".1Z" is 100 ms, ".12Z" 120 ms), so string order is not time order.
 */
export function compareTimes(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b)
}
