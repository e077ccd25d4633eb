// A running duration as a clock reads it ("4:07", "1:02:09"): the queue
// screen's waits tick every second, which "4m" would hide.

/** elapsed is the time from iso to at (ms), as m:ss or h:mm:ss. */
export function elapsed(iso: string, at: number): string {
  const s = Math.max(0, Math.floor((at - Date.parse(iso)) / 1000))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}
