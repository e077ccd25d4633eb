// The queue screen (/queues): per team of the picked bot, the open
// conversations that are waiting or with a person, each with its agent
// and how long it has waited, longest wait first. Read once when the
// screen opens (the same paged reader as the monitor), then kept live by
// the socket's conversation.updated frames: it never polls.
import { reactive } from 'vue'
import { api, ApiError } from '../api/client'
import type { Conversation, Team } from '../api/types'
import { compareTimes } from '../lib/clock'
import { Replay } from '../lib/replay'
import { catalog } from './catalog'
import { waitStart } from './monitor'
import { loadOpen } from './openConversations'
import { socket } from './session'

/** QueueGroup is one team's queue; team null is "No team". */
export interface QueueGroup {
  key: string
  team: Team | null
  items: Conversation[]
  waiting: number
  human: number
}

export const queues = reactive({
  /** botId is the picked bot, or 'all' (every bot of the user). */
  botId: 'all',
  /** items are the open conversations waiting or with a human, by id. */
  items: {} as Record<string, Conversation>,
  loading: false,
  error: '',
  /** active is set while the screen is open: frames are ignored otherwise. */
  active: false,
})

let generation = 0

/** arrived: the frames that overtake a read, applied again on top of it. */
const arrived = new Replay<Conversation>()

function wanted(c: Conversation): boolean {
  return (c.phase === 'waiting' || c.phase === 'human') && (queues.botId === 'all' || c.bot_id === queues.botId)
}

/** loadQueues reads the queues of the picked bot. */
export async function loadQueues(): Promise<void> {
  const gen = ++generation
  const current = () => gen === generation
  arrived.start()
  queues.loading = true
  queues.error = ''
  try {
    const [waiting, human] = await Promise.all([loadOpen('waiting', queues.botId, current), loadOpen('human', queues.botId, current)])
    if (!current()) return
    const items: Record<string, Conversation> = {}
    for (const c of [...waiting, ...human]) items[c.id] = c
    queues.items = items
    for (const c of arrived.take()) upsert(c)
  } catch (e) {
    if (current()) queues.error = e instanceof ApiError ? e.code : 'network'
  } finally {
    if (current()) {
      queues.loading = false
      arrived.take()
    }
  }
}

/** upsert keeps a conversation while it waits or is with a person. */
function upsert(c: Conversation): void {
  const prev = queues.items[c.id]
  // A frame's data may be older than what a read already brought.
  if (prev && c.seq < prev.seq) return
  if (wanted(c)) queues.items[c.id] = c
  else delete queues.items[c.id]
}

/**
 * queueGroups are the teams of the picked bot (all of them, empty ones
 * too, so a quiet team reads as quiet), then "No team" when something is
 * queued without one, each sorted longest wait first.
 */
export function queueGroups(): QueueGroup[] {
  const groups = new Map<string, QueueGroup>()
  const teams = catalog.teams
    .filter((t) => queues.botId === 'all' || t.bot_id === queues.botId)
    .sort((a, b) => a.name.localeCompare(b.name))
  for (const t of teams) groups.set(t.id, { key: t.id, team: t, items: [], waiting: 0, human: 0 })
  for (const c of Object.values(queues.items)) {
    // A team the catalog does not know (made since it loaded) is still a group.
    const key = c.team_id ?? ''
    let g = groups.get(key)
    if (!g) {
      g = { key, team: c.team_id ? { id: c.team_id, bot_id: c.bot_id, name: '', member_ids: [], assignment: 'manual', reoffer_after: 0 } : null, items: [], waiting: 0, human: 0 }
      groups.set(key, g)
    }
    g.items.push(c)
    if (c.phase === 'waiting') g.waiting++
    else g.human++
  }
  const out = [...groups.values()]
  for (const g of out) g.items.sort((a, b) => compareTimes(waitStart(a), waitStart(b)) || a.id.localeCompare(b.id))
  // "No team" last.
  return out.sort((a, b) => Number(a.team === null) - Number(b.team === null))
}

/** unassign sends a conversation back to its queue, without its agent. */
export async function unassign(id: string): Promise<void> {
  const c = (await api.post('/api/v1/conversations/{id}/unassign', { path: { id } })) as Conversation
  upsert(c)
}

socket.on((f) => {
  if (!queues.active || f.type !== 'conversation.updated') return
  arrived.hold(f.data as Conversation)
  upsert(f.data as Conversation)
})

// After a reconnect the frames in between are lost: read the queues again.
socket.onOpen((reconnected) => {
  if (reconnected && queues.active) void loadQueues()
})
