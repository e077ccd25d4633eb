// The supervisor's floor (/monitor): the counters, the agents of the
// user's bots with their load, and three live phase lists (in the bot,
// waiting, with a human). Everything is read once when the screen opens and
// then kept live by the socket's frames (monitor.counters, agent.status,
// agent.call, conversation.updated): the monitor never polls.
import { compareTimes } from '../lib/clock'
import { Replay } from '../lib/replay'
import { reactive, shallowReactive } from 'vue'
import { api, ApiError } from '../api/client'
import type { Conversation, Phase, Role, User, UserStatus } from '../api/types'
import { loadOpen } from './openConversations'
import { session, socket } from './session'
import { apiQuery, matches } from './monitorFilters'
import type { AgentCall } from '../../../realtime/frames'

export type FloorPhase = 'bot' | 'waiting' | 'human'
export const FLOOR_PHASES: FloorPhase[] = ['bot', 'waiting', 'human']

export interface Counters {
  total: number
  bot: number
  waiting: number
  human: number
}

/** AgentRow is one person of the floor: status and load. */
export interface AgentRow {
  id: string
  name: string
  role: Role
  status: UserStatus
  pause_reason: string
  /** status_since is when the status last changed (time in status). */
  status_since: string
  open: number
  max_chats: number
  bot_ids: string[]
  /** on_call: talking on an accepted call now (kept live by agent.call). */
  on_call: boolean
}

interface CountersFrame {
  counters: Counters
  agents: { id: string; open: number }[]
}

interface StatusFrame {
  user_id: string
  name: string
  status: UserStatus
  pause_reason: string
  status_since: string
}

export const monitor = reactive({
  /** botId is the picked bot, or 'all' (every bot of the user). */
  botId: 'all',
  agents: [] as AgentRow[],
  /**
   * lists hold every open conversation of the floor by phase, sorted. They
   * are shallow on purpose: a busy floor has thousands of rows, and a deep
   * proxy per conversation made every change cost milliseconds. A list is
   * replaced, never changed in place, so whatever reads it follows.
   */
  lists: shallowReactive({ bot: [], waiting: [], human: [] }) as Record<FloorPhase, readonly Conversation[]>,
  /** longestFirst sorts a list by wait time, longest wait on top (else newest on top). */
  longestFirst: { bot: true, waiting: true, human: true } as Record<FloorPhase, boolean>,
  hideOffline: false,
  loading: false,
  error: '',
  /** active is set while the screen is open: frames are ignored otherwise. */
  active: false,
})

let generation = 0

/** phaseOf finds a conversation's list without scanning the three. */
const phaseOf = new Map<string, FloorPhase>()

/** waitStart is when a conversation's wait began: its hand-over, else its start. */
export function waitStart(c: Conversation): string {
  return c.waiting_since ?? c.created_at
}

/** inScope: the picked bot and the filters, the same predicate as the lists' first read. */
function inScope(c: Conversation): boolean {
  return matches(c, monitor.botId)
}

function order(p: FloorPhase): (a: Conversation, b: Conversation) => number {
  const dir = monitor.longestFirst[p] ? 1 : -1
  return (a, b) => dir * (compareTimes(waitStart(a), waitStart(b)) || a.id.localeCompare(b.id))
}

function sortList(p: FloorPhase): void {
  monitor.lists[p] = [...monitor.lists[p]].sort(order(p))
}

/** inserted is list with c in its place (a binary search: a change costs no sort). */
function inserted(list: readonly Conversation[], c: Conversation, cmp: (a: Conversation, b: Conversation) => number): Conversation[] {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cmp(list[mid], c) <= 0) lo = mid + 1
    else hi = mid
  }
  return [...list.slice(0, lo), c, ...list.slice(lo)]
}

/**
 * replaceConversation puts a newer copy of a listed conversation in its
 * place (a preview that changed): lists are shallow, so a row changes by
 * being replaced.
 */
export function replaceConversation(id: string, change: (c: Conversation) => Conversation | null): void {
  const p = phaseOf.get(id)
  if (!p) return
  const list = monitor.lists[p]
  const i = list.findIndex((x) => x.id === id)
  const next = i >= 0 ? change(list[i]) : null
  if (next) monitor.lists[p] = [...list.slice(0, i), next, ...list.slice(i + 1)]
}

/** setSort orders one list by wait time. */
export function setSort(p: FloorPhase, longestFirst: boolean): void {
  monitor.longestFirst[p] = longestFirst
  sortList(p)
}

/**
 * shownCounters are the numbers at the top, counted from the live lists,
 * which hold every open conversation of the user's bots that the filters
 * let through: a conversation.updated frame moves them at once. (The
 * server's monitor.counters pushes are coalesced to four a second, so a
 * change could wait up to 250 ms for one; they still bring each agent's
 * load.)
 */
export function shownCounters(): Counters {
  const l = monitor.lists
  return { total: l.bot.length + l.waiting.length + l.human.length, bot: l.bot.length, waiting: l.waiting.length, human: l.human.length }
}

/** shownAgents are the agents of the picked bot, online first, then paused, then offline. */
export function shownAgents(): AgentRow[] {
  const rank: Record<UserStatus, number> = { online: 0, paused: 1, offline: 2 }
  return monitor.agents
    .filter((a) => monitor.botId === 'all' || a.bot_ids.includes(monitor.botId))
    .filter((a) => !monitor.hideOffline || a.status !== 'offline')
    .sort((a, b) => rank[a.status] - rank[b.status] || a.name.localeCompare(b.name))
}

function botQuery(): string | undefined {
  return monitor.botId !== 'all' ? monitor.botId : undefined
}

function loadPhase(p: FloorPhase, gen: number): Promise<Conversation[]> {
  // Every open conversation of the phase that the filters let through:
  // the lists are the floor.
  return loadOpen(p, monitor.botId, () => gen === generation, apiQuery())
}

/** arrived: the frames that overtake a read, applied again on top of it. */
const arrived = new Replay<Conversation>()

/** loadMonitor reads the floor of the picked bot. */
export async function loadMonitor(): Promise<void> {
  const gen = ++generation
  arrived.start()
  monitor.loading = true
  monitor.error = ''
  try {
    const [m, users, ...lists] = await Promise.all([
      api.get('/api/v1/monitor', { query: { bot: botQuery(), ...apiQuery() } }),
      api.get('/api/v1/users'),
      ...FLOOR_PHASES.map((p) => loadPhase(p, gen)),
    ])
    if (gen !== generation) return
    const byId = new Map((users.items as User[]).map((u) => [u.id, u]))
    monitor.agents = m.agents.map((a) => ({
      id: a.id,
      name: a.name,
      role: a.role as Role,
      status: a.status as UserStatus,
      pause_reason: a.pause_reason,
      status_since: a.status_since,
      open: a.open,
      on_call: a.on_call,
      max_chats: byId.get(a.id)?.max_chats ?? 0,
      bot_ids: byId.get(a.id)?.bot_ids ?? [],
    }))
    phaseOf.clear()
    FLOOR_PHASES.forEach((p, i) => {
      monitor.lists[p] = lists[i].sort(order(p))
      for (const c of lists[i]) phaseOf.set(c.id, p)
    })
    for (const c of arrived.take()) upsert(c)
  } catch (e) {
    if (gen === generation) monitor.error = e instanceof ApiError ? e.code : 'network'
  } finally {
    if (gen === generation) {
      monitor.loading = false
      arrived.take()
    }
  }
}

/** upsert puts a conversation in the list of its phase (or none once closed). */
function upsert(c: Conversation): void {
  const was = phaseOf.get(c.id)
  if (was) {
    const list = monitor.lists[was]
    const i = list.findIndex((x) => x.id === c.id)
    // A frame's data may be older than what a read already brought.
    if (i >= 0 && c.seq < list[i].seq) return
    if (i >= 0) monitor.lists[was] = [...list.slice(0, i), ...list.slice(i + 1)]
    phaseOf.delete(c.id)
  }
  const phase: Phase = c.phase
  if (phase === 'closed' || !inScope(c)) return
  monitor.lists[phase] = inserted(monitor.lists[phase], c, order(phase))
  phaseOf.set(c.id, phase)
}

function onCounters(d: CountersFrame): void {
  // The frame lists who had something open since the last recount; a
  // missing agent has nothing open.
  const open = new Map(d.agents.map((a) => [a.id, a.open]))
  for (const a of monitor.agents) a.open = open.get(a.id) ?? 0
}

function onStatus(d: StatusFrame): void {
  const a = monitor.agents.find((x) => x.id === d.user_id)
  if (!a) return
  a.status = d.status
  a.pause_reason = d.pause_reason
  a.status_since = d.status_since
}

function onCall(d: AgentCall): void {
  const a = monitor.agents.find((x) => x.id === d.user_id)
  if (a) a.on_call = d.on_call
}

socket.on((f) => {
  if (!monitor.active) return
  switch (f.type) {
    case 'monitor.counters':
      onCounters(f.data as CountersFrame)
      break
    case 'agent.status':
      onStatus(f.data as StatusFrame)
      break
    case 'agent.call':
      onCall(f.data as AgentCall)
      break
    case 'conversation.updated':
      arrived.hold(f.data as Conversation)
      upsert(f.data as Conversation)
      break
  }
})

// After a reconnect the frames in between are lost: read the floor again.
socket.onOpen((reconnected) => {
  if (reconnected && monitor.active) void loadMonitor()
})

/** pauseAgent forces an agent into pause (refused while they hold conversations). */
export async function pauseAgent(id: string, reason: string): Promise<void> {
  const u = (await api.post('/api/v1/agents/{id}/pause', { path: { id }, body: { reason } })) as User
  onStatus({ user_id: u.id, name: u.name, status: u.status, pause_reason: u.pause_reason, status_since: u.status_since })
}

export async function unpauseAgent(id: string): Promise<void> {
  const u = (await api.post('/api/v1/agents/{id}/unpause', { path: { id } })) as User
  onStatus({ user_id: u.id, name: u.name, status: u.status, pause_reason: u.pause_reason, status_since: u.status_since })
}

/** logoutAgent ends every session of the agent; their consoles go to the login page. */
export async function logoutAgent(id: string): Promise<void> {
  const u = (await api.post('/api/v1/agents/{id}/logout', { path: { id } })) as User
  onStatus({ user_id: u.id, name: u.name, status: u.status, pause_reason: u.pause_reason, status_since: u.status_since })
}

/** isMe tells the user's own row, which has its own status switch. */
export function isMe(id: string): boolean {
  return session.me?.id === id
}
