// The queue health strip of the monitor: the server's figures (median
// wait per team over the last hour, agents online against their capacity)
// read when the screen opens and again after changes that move them, at
// most once every 2 s; the longest wait and the waits over the
// supervisor's threshold are counted here from the live Waiting list, so
// they tick with the shared clock. Nothing polls.
import { computed, reactive } from 'vue'
import { api, ApiError } from '../api/client'
import type { components } from '../api/schema'
import type { Conversation } from '../api/types'
import { now } from '../lib/clock'
import { monitor, waitStart } from './monitor'
import { prefs, setWaitingThreshold } from './monitorPrefs'
import { socket } from './session'

export type QueueHealth = components['schemas']['QueueHealth']

/** The choices of the threshold control, in seconds (the server takes 30 s to 24 h). */
export const THRESHOLD_CHOICES = [30, 60, 120, 300, 600, 900, 1800, 3600]

export const floorHealth = reactive({
  health: null as QueueHealth | null,
  /** thresholdSeconds is this supervisor's setting, kept with the other monitor preferences. */
  get thresholdSeconds(): number {
    return prefs.stored.waiting_threshold_seconds
  },
  error: '',
  saving: false,
})

/** refreshGap is the least time between two reads of the figures. */
const refreshGap = 2000
let lastRead = 0
let pending: ReturnType<typeof setTimeout> | null = null
let generation = 0

async function readHealth(): Promise<void> {
  const gen = ++generation
  lastRead = Date.now()
  try {
    const h = await api.get('/api/v1/monitor/health', {
      // Without threshold the server counts with the caller's saved one.
      query: { bot: monitor.botId !== 'all' ? monitor.botId : undefined },
    })
    if (gen === generation) {
      floorHealth.health = h
      floorHealth.error = ''
    }
  } catch (e) {
    if (gen === generation) floorHealth.error = e instanceof ApiError ? e.code : 'network'
  }
}

/** loadHealth reads the figures of the picked bot. */
export function loadHealth(): Promise<void> {
  return readHealth()
}

/**
 * refreshSoon reads the figures again after a change: at once when the
 * last read is 2 s old, else once when it will be; a burst of frames is
 * one read.
 */
function refreshSoon(): void {
  if (pending) return
  const wait = Math.max(0, lastRead + refreshGap - Date.now())
  pending = setTimeout(() => {
    pending = null
    if (monitor.active) void readHealth()
  }, wait)
}

/** setThreshold stores the supervisor's threshold, keeping what they hide. */
export async function setThreshold(seconds: number): Promise<void> {
  floorHealth.saving = true
  floorHealth.error = ''
  try {
    await setWaitingThreshold(seconds)
    await readHealth()
  } catch (e) {
    floorHealth.error = e instanceof ApiError ? e.code : 'network'
  } finally {
    floorHealth.saving = false
  }
}

/** waitedSeconds is how long c has waited at the clock's tick at. */
export function waitedSeconds(c: Conversation, at: number): number {
  return Math.max(0, Math.floor((at - Date.parse(waitStart(c))) / 1000))
}

/** overThreshold tells a waiting conversation that has waited too long (ticks with the clock). */
export function overThreshold(c: Conversation): boolean {
  return c.phase === 'waiting' && waitedSeconds(c, now.value) >= floorHealth.thresholdSeconds
}

/**
 * byWait is the Waiting list longest wait first. The list is kept sorted
 * by wait (one way or the other), so this is a view, not a sort: the strip
 * ticks every second over thousands of waiting customers.
 */
function byWait(): readonly Conversation[] {
  const l = monitor.lists.waiting
  return monitor.longestFirst.waiting ? l : [...l].reverse()
}

/** longestWaitSeconds is the longest wait in the Waiting list now. */
export const longestWaitSeconds = computed(() => {
  const oldest = byWait()[0]
  return oldest ? waitedSeconds(oldest, now.value) : 0
})

/** waitingOverThreshold counts the Waiting list's conversations past the threshold: the longest waits, up to the first that is not. */
export const waitingOverThreshold = computed(() => {
  let n = 0
  for (const c of byWait()) {
    if (!overThreshold(c)) break
    n++
  }
  return n
})

// Assignments move the medians, statuses the capacity: read again.
socket.on((f) => {
  if (!monitor.active) return
  if (f.type === 'conversation.updated' || f.type === 'agent.status') refreshSoon()
})

socket.onOpen((reconnected) => {
  if (reconnected && monitor.active) void readHealth()
})
