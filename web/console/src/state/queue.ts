// The conversation list: one tab (Handovers, Mine, All, Bot, Closed) of one
// bot or all of them, with search, filters and a sort, kept live from the
// socket. Rows the server sends are the truth; frames update them in place,
// add the ones that now belong and drop the ones that left. Per-user read
// state is not in pushed frames, so unread counts are kept here.
import { reactive } from 'vue'
import { api, ApiError } from '../api/client'
import type { Conversation, Message, Page, Phase } from '../api/types'
import { compareTimes, serverNow } from '../lib/clock'
import { session, socket } from './session'
import { refreshBots, botName, catalog } from './catalog'
import { alert } from './notify'
import type { TagDeleted } from '../../../realtime/frames'

export type Tab = 'handovers' | 'mine' | 'all' | 'bot' | 'closed'
export type Sort = 'waiting' | 'updated'

export interface Filters {
  agent: string
  team: string
  channel: string
  tag: string
  contact: string
  protocol: string
  from: string // yyyy-mm-dd
  to: string
}

export function emptyFilters(): Filters {
  return { agent: '', team: '', channel: '', tag: '', contact: '', protocol: '', from: '', to: '' }
}

/** tabsFor lists the tabs a role has (All and Bot need to see everything). */
export function tabsFor(seesAll: boolean): Tab[] {
  return seesAll ? ['handovers', 'mine', 'all', 'bot', 'closed'] : ['handovers', 'mine', 'closed']
}

const PAGE = 100

export const queue = reactive({
  botId: 'all',
  tab: 'handovers' as Tab,
  sort: 'waiting' as Sort,
  q: '',
  filters: emptyFilters(),
  items: [] as Conversation[],
  nextCursor: null as string | null,
  loading: false,
  loadingMore: false,
  error: '',
  /** openId is the conversation on screen: its messages are read as they come. */
  openId: '',
  /** live says the list is in step with the server (socket open). */
  loadedAt: 0,
})

/** Local knowledge that survives tab changes. */
const seqs = new Map<string, number>() // highest seq seen per conversation
const phases = new Map<string, Phase>() // last known phase, for "new handover"
const oldestUnread = new Map<string, string>() // first unread customer message time
const fetching = new Set<string>()
let generation = 0

function dayStart(d: string): string | undefined {
  return d ? new Date(d + 'T00:00:00').toISOString() : undefined
}
function dayEnd(d: string): string | undefined {
  if (!d) return undefined
  const t = new Date(d + 'T00:00:00')
  t.setDate(t.getDate() + 1)
  return t.toISOString()
}

function listQuery(cursor?: string) {
  const f = queue.filters
  const q: Record<string, string | number | undefined> = {
    sort: queue.sort,
    q: queue.q.trim() || undefined,
    limit: PAGE,
    cursor,
    bot: queue.botId !== 'all' ? queue.botId : undefined,
    team: f.team || undefined,
    channel: f.channel || undefined,
    tag: f.tag || undefined,
    contact: f.contact.trim() || undefined,
    protocol: f.protocol.trim() || undefined,
    from: dayStart(f.from),
    to: dayEnd(f.to),
    assignee: f.agent || undefined,
  }
  switch (queue.tab) {
    case 'handovers':
      q.phase = 'waiting'
      break
    case 'mine':
      q.assignee = 'me'
      break
    case 'bot':
      q.phase = 'bot'
      break
    case 'closed':
      q.phase = 'closed'
      break
  }
  return q
}

/** matches tells whether c belongs in the current tab, as far as the client can judge. */
function matches(c: Conversation): boolean {
  if (queue.botId !== 'all' && c.bot_id !== queue.botId) return false
  if (!catalog.bots.some((b) => b.id === c.bot_id) && catalog.bots.length > 0) return false
  const me = session.me?.id
  switch (queue.tab) {
    case 'handovers':
      if (c.phase !== 'waiting') return false
      break
    case 'mine':
      if (c.assignee_id !== me || c.phase === 'closed') return false
      break
    case 'all':
      if (c.phase === 'closed') return false
      break
    case 'bot':
      if (c.phase !== 'bot') return false
      break
    case 'closed':
      if (c.phase !== 'closed') return false
      break
  }
  const f = queue.filters
  if (f.agent && f.agent !== (c.assignee_id ?? 'none')) return false
  if (f.team && c.team_id !== f.team) return false
  if (f.channel && c.channel_id !== f.channel) return false
  if (f.tag && !c.tags.includes(f.tag)) return false
  if (f.protocol.trim() && c.protocol !== f.protocol.trim()) return false
  if (f.contact.trim() && c.contact.name !== f.contact.trim() && c.contact.phone !== f.contact.trim()) return false
  if (f.from && compareTimes(c.created_at, dayStart(f.from) ?? c.created_at) < 0) return false
  if (f.to && dayEnd(f.to) && compareTimes(c.created_at, dayEnd(f.to) ?? '') >= 0) return false
  return true
}

function unread(c: Conversation): boolean {
  return c.unread_count > 0 || c.marked_unread
}

interface Place {
  unread: boolean
  key: string
}

function placeOf(c: Conversation): Place {
  if (queue.sort === 'updated') return { unread: false, key: c.last_message_at }
  const u = unread(c)
  return { unread: u, key: (u && oldestUnread.get(c.id)) || c.waiting_since || c.last_message_at }
}

/**
 * held is the open conversation's place, kept while it stays open: reading
 * it, or a message arriving in it, would otherwise move the row under the
 * agent's cursor and make J/K jump. It takes its true place once another
 * conversation is opened (or its phase changes).
 */
let held: (Place & { id: string; phase: Phase; sort: Sort }) | null = null

function placeInList(c: Conversation): Place {
  if (c.id !== queue.openId) return placeOf(c)
  if (!held || held.id !== c.id || held.phase !== c.phase || held.sort !== queue.sort) {
    held = { id: c.id, phase: c.phase, sort: queue.sort, ...placeOf(c) }
  }
  return held
}

/** compare orders rows like the server: DESIGN.md's "waiting" and "updated" sorts. */
function compare(a: Conversation, b: Conversation): number {
  const pa = placeInList(a)
  const pb = placeInList(b)
  if (queue.sort === 'updated') return compareTimes(pb.key, pa.key) || b.id.localeCompare(a.id)
  if (pa.unread !== pb.unread) return pa.unread ? -1 : 1
  return compareTimes(pa.key, pb.key) || a.id.localeCompare(b.id)
}

/** setOpen records the conversation on screen; the one left takes its true place. */
export function setOpen(id: string): void {
  if (queue.openId === id) return
  queue.openId = id
  held = null
  resort()
}

function resort(): void {
  queue.items.sort(compare)
}

/** load reads the first page of the current tab. */
export async function loadQueue(silent = false): Promise<void> {
  const gen = ++generation
  if (!silent) {
    queue.loading = true
    queue.error = ''
  }
  const startedAt = serverNow()
  try {
    const page = (await api.get('/api/v1/conversations', { query: listQuery() })) as Page<Conversation>
    if (gen !== generation) return
    for (const c of page.items) remember(c)
    queue.items = page.items
    queue.nextCursor = page.next_cursor
    queue.loadedAt = startedAt
    resort()
  } catch (e) {
    if (gen === generation) queue.error = e instanceof ApiError ? e.code : 'network'
  } finally {
    if (gen === generation) queue.loading = false
  }
}

/** loadMore appends the next page (the virtual list asks near its end). */
export async function loadMore(): Promise<void> {
  if (!queue.nextCursor || queue.loadingMore || queue.loading) return
  const gen = generation
  queue.loadingMore = true
  try {
    const page = (await api.get('/api/v1/conversations', { query: listQuery(queue.nextCursor) })) as Page<Conversation>
    if (gen !== generation) return
    const have = new Set(queue.items.map((c) => c.id))
    for (const c of page.items) {
      remember(c)
      if (!have.has(c.id)) queue.items.push(c)
    }
    queue.nextCursor = page.next_cursor
  } finally {
    queue.loadingMore = false
  }
}

/**
 * remember records a row read from the server: its seq is the truth as of
 * the read, so frames up to it are already in it. (A frame's own data is
 * read when the frame is sent, so its seq says nothing about which frames
 * came before: only frame seqs and reads count.)
 */
function remember(c: Conversation): void {
  seqs.set(c.id, Math.max(seqs.get(c.id) ?? 0, c.seq))
  phases.set(c.id, c.phase)
}

/**
 * upsert merges a conversation (a frame, an action's answer or a fetch)
 * into the list. Frames leave out the per-user read fields; the row's own
 * values are kept then. live says it came from someone else's action, which
 * may deserve an alert.
 */
export function upsert(incoming: Conversation, live = false): Conversation {
  const i = queue.items.findIndex((c) => c.id === incoming.id)
  const prev = i >= 0 ? queue.items[i] : undefined
  if (prev && incoming.seq < prev.seq) return prev // an older state than the row's
  const merged: Conversation = {
    ...incoming,
    unread_count: incoming.unread_count ?? prev?.unread_count ?? 0,
    marked_unread: incoming.marked_unread ?? prev?.marked_unread ?? false,
  }
  if (!unread(merged)) oldestUnread.delete(merged.id)
  if (live && merged.phase === 'waiting' && phases.get(merged.id) !== 'waiting') newHandover(merged)
  phases.set(merged.id, merged.phase)
  if (matches(merged)) {
    if (prev) queue.items.splice(i, 1, merged)
    else if (!queue.q.trim()) queue.items.push(merged)
    resort()
  } else if (prev) {
    queue.items.splice(i, 1)
  }
  return merged
}

/** patchRow changes a row's local fields (read state after mark read/unread). */
export function patchRow(id: string, p: Partial<Conversation>): void {
  const c = queue.items.find((x) => x.id === id)
  if (c) Object.assign(c, p)
  if (c && !unread(c)) oldestUnread.delete(id)
  resort()
}

function newHandover(c: Conversation): void {
  if (session.me && !session.me.bot_ids.includes(c.bot_id) && session.me.role !== 'admin') return
  alert(c.contact.name || c.contact.phone, botName(c.bot_id), 'handover-' + c.id, () => {
    window.dispatchEvent(new CustomEvent('relevo:open', { detail: c }))
  })
}

async function fetchConversation(id: string): Promise<void> {
  if (fetching.has(id)) return
  fetching.add(id)
  try {
    const c = (await api.get('/api/v1/conversations/{id}', { path: { id } })) as Conversation
    upsert(c, true)
    seqs.set(c.id, Math.max(seqs.get(c.id) ?? 0, c.seq))
  } catch {
    // not visible to this user (any more): nothing to show
  } finally {
    fetching.delete(id)
  }
}

function onMessage(m: Message, seq: number, gap: boolean): void {
  const row = queue.items.find((c) => c.id === m.conversation_id)
  if (!row) {
    if (!phases.has(m.conversation_id)) {
      // A conversation this user has not seen yet: a new one in the
      // queue, most likely.
      void fetchConversation(m.conversation_id)
      refreshBots()
    }
    return
  }
  if (gap) {
    void fetchConversation(m.conversation_id)
    return
  }
  row.seq = Math.max(row.seq, seq)
  if (m.kind !== 'event' && m.kind !== 'note') row.last_message_at = m.created_at
  if (m.author.type === 'contact') {
    // A waiting conversation on screen is only being peeked at: it stays
    // unread (conversation.ts, readsByItself).
    const reading = queue.openId === row.id && row.phase !== 'waiting' && document.visibilityState === 'visible'
    if (!reading) {
      if (!unread(row)) oldestUnread.set(row.id, m.created_at)
      row.unread_count++
      if (row.assignee_id && row.assignee_id === session.me?.id) {
        alert(row.contact.name || row.contact.phone, m.text || '📎', 'msg-' + row.id, () => {
          window.dispatchEvent(new CustomEvent('relevo:open', { detail: row }))
        })
      }
    }
  }
  resort()
}

socket.on((f) => {
  if (f.type === 'tag.deleted') {
    const id = (f.data as TagDeleted).tag_id
    for (const c of queue.items) if (c.tags.includes(id)) c.tags = c.tags.filter((x) => x !== id)
    return
  }
  if (!f.conversation_id) return
  const id = f.conversation_id
  const seq = f.seq ?? 0
  const known = seqs.get(id)
  if (known !== undefined && seq > 0 && seq <= known) return // a duplicate
  const gap = known !== undefined && seq > known + 1
  if (seq > 0) seqs.set(id, seq)
  switch (f.type) {
    case 'conversation.updated':
      upsert(f.data as Conversation, true)
      break
    case 'message.created':
      onMessage(f.data as Message, seq, gap)
      break
    case 'message.updated':
      if (gap) void fetchConversation(id)
      break
  }
})

/**
 * catchUp runs after a reconnect: every conversation changed while the
 * socket was down (updated_after), then the visible page again, so rows
 * that left this user's sight go too.
 */
export async function catchUp(): Promise<void> {
  const since = queue.loadedAt
  if (!since) return
  let cursor: string | undefined
  try {
    for (let i = 0; i < 20; i++) {
      const page = (await api.get('/api/v1/conversations', {
        query: {
          updated_after: new Date(since - 2000).toISOString(),
          phase: 'all',
          bot: queue.botId !== 'all' ? queue.botId : undefined,
          limit: 200,
          cursor,
        },
      })) as Page<Conversation>
      for (const c of page.items) {
        upsert(c, true)
        remember(c)
      }
      if (!page.next_cursor) break
      cursor = page.next_cursor
    }
  } catch {
    // the reload below still brings the list in step
  }
  await loadQueue(true)
}

socket.onOpen((reconnected) => {
  if (reconnected) void catchUp()
})

/** setRead marks a conversation read (or unread) for this user. */
export async function setRead(id: string, read: boolean): Promise<void> {
  const path = { id }
  const c = (read
    ? await api.post('/api/v1/conversations/{id}/read', { path })
    : await api.post('/api/v1/conversations/{id}/unread', { path })) as Conversation
  patchRow(id, { unread_count: c.unread_count, marked_unread: c.marked_unread })
}

/** resetQueue forgets everything (logout). */
export function resetQueue(): void {
  generation++
  queue.items = []
  queue.nextCursor = null
  queue.openId = ''
  held = null
  seqs.clear()
  phases.clear()
  oldestUnread.clear()
}
