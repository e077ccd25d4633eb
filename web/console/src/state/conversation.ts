// The conversation on screen: its state, its whole timeline kept exactly
// once and in order, the processing lock, and the actions on it.
//
// Frames carry the conversation's seq. A frame at or below the last seq
// seen is a duplicate and dropped; one that skips a seq means frames were
// lost, and the missing messages are fetched with messages?after_seq (so
// are status changes of messages still on their way). Applying a frame is
// idempotent by message id too, so a resync racing with frames is harmless.
import { reactive } from 'vue'
import { api, ApiError } from '../api/client'
import type { Attachment, Conversation, Message, Page } from '../api/types'
import { compareTimes, serverNow } from '../lib/clock'
import { Replay } from '../lib/replay'
import { session, socket } from './session'
import { upsert, patchRow, setOpen } from './queue'
import type { TagDeleted } from '../../../realtime/frames'

/** What a send carried, to retry it. */
export interface SendRequest {
  text: string
  attachments: Attachment[]
  template?: { id: string; params: string[]; preview: string }
}

/** A timeline entry: a server message, or an optimistic one not yet stored. */
export interface TimelineMessage extends Message {
  /** local: sending (not yet answered) or failed (the POST failed). */
  local?: 'sending' | 'failed'
  localError?: string
  request?: SendRequest
  /** retryOnReconnect: an outage kept it from the server; it goes again by itself once the socket is back. */
  retryOnReconnect?: boolean
}

const FINAL = new Set(['read', 'failed', 'received'])
const RANK: Record<Message['status'], number> = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4, received: 0 }
const PAGE = 100

export const current = reactive({
  id: '',
  conv: null as Conversation | null,
  messages: [] as TimelineMessage[],
  lastSeq: 0,
  loading: false,
  error: '',
  hasOlder: false,
  /**
   * gone: the conversation left this user's sight (transferred away, or
   * taken from the queue by a colleague): read-only from here on.
   */
  gone: false,
  /** lost: it was this user's when it left (transferred away from them). */
  lost: false,
  typing: '' as string,
  /**
   * silent: a supervisor follows it from the monitor. Nothing marks it
   * read, neither opening it nor what arrives while it is shown.
   */
  silent: false,
})

const buffered = new Replay<{ type: string; seq: number; data: unknown }>()
let typingTimer: ReturnType<typeof setTimeout> | null = null
let readTimer: ReturnType<typeof setTimeout> | null = null

function bySeq(a: TimelineMessage, b: TimelineMessage): number {
  // Optimistic messages have no seq yet: they sit at the end, in order.
  const sa = a.local ? Number.MAX_SAFE_INTEGER : a.seq
  const sb = b.local ? Number.MAX_SAFE_INTEGER : b.seq
  return sa - sb || compareTimes(a.created_at, b.created_at)
}

/** putMessage inserts or replaces m, matching optimistic sends by client_id. */
export function putMessage(m: Message): void {
  const list = current.messages
  let i = list.findIndex((x) => x.id === m.id)
  if (i < 0 && m.client_id) i = list.findIndex((x) => x.local && x.client_id === m.client_id)
  if (i >= 0) {
    const old = list[i]!
    // Statuses only move forward: an older copy (an action's answer that
    // arrived after the status frame) never wins.
    if (!old.local && RANK[m.status] < RANK[old.status]) return
    list.splice(i, 1, m)
  } else {
    list.push(m)
  }
  list.sort(bySeq)
}

/**
 * setConv takes a newer state of the conversation. An action's answer can
 * arrive after the frame of a later change (the lock ending, say): the
 * conversation's seq tells which is newer.
 */
function setConv(c: Conversation): void {
  const prev = current.conv
  if (prev && prev.id === c.id && c.seq < prev.seq) return
  current.conv = {
    ...c,
    unread_count: c.unread_count ?? prev?.unread_count ?? 0,
    marked_unread: c.marked_unread ?? prev?.marked_unread ?? false,
  }
  if (leftSight(c) && !current.gone) {
    current.gone = true
    current.lost = wasMine(prev)
  }
  // Reading resumes once someone holds it (see readsByItself).
  if (prev && prev.id === c.id && prev.phase === 'waiting' && c.phase !== 'waiting') markReadSoon()
}

function wasMine(c: Conversation | null): boolean {
  return !!c && c.phase === 'human' && c.assignee_id === session.me?.id
}

/**
 * readsByItself tells whether showing c reads it. A waiting conversation is
 * nobody's yet: peeking at it reads nothing, so the customer who has waited
 * longest stays first in everyone's "longest waiting" queue. Only an
 * explicit "mark read" reads it; once someone holds it, it is read as shown.
 */
function readsByItself(c: Conversation | null): boolean {
  return !!c && c.phase !== 'waiting'
}

/** applyConversation takes a conversation an action answered with. */
export function applyConversation(c: Conversation): void {
  if (c.id === current.id) setConv(c)
  upsert(c)
}

/**
 * leftSight tells whether an agent can no longer see c (another agent's
 * now, or back with the bot): the server would answer 404 from here on.
 */
function leftSight(c: Conversation): boolean {
  const me = session.me
  return !!me && me.role === 'agent' && ((c.phase === 'human' && c.assignee_id !== me.id) || c.phase === 'bot')
}

/**
 * openConversation shows id: the newest page of its timeline, live from
 * here on. silent (following from the monitor) never marks it read.
 */
export async function openConversation(id: string, { silent = false } = {}): Promise<void> {
  if (current.id === id && current.conv && current.silent === silent) return
  current.silent = silent
  current.id = id
  current.conv = null
  current.messages = []
  current.lastSeq = 0
  current.error = ''
  current.gone = false
  current.lost = false
  current.typing = ''
  current.loading = true
  setOpen(id)
  buffered.start()
  try {
    // Messages first, then the conversation: its seq then covers every
    // message read, and frames that arrived meanwhile are replayed.
    const page = (await api.get('/api/v1/conversations/{id}/messages', { path: { id }, query: { limit: PAGE } })) as Page<Message>
    const conv = (await api.get('/api/v1/conversations/{id}', { path: { id } })) as Conversation
    if (current.id !== id) return
    current.messages = page.items.slice().sort(bySeq)
    current.hasOlder = page.items.length >= PAGE && (page.items[0]?.seq ?? 0) > 1
    setConv(conv)
    current.lastSeq = Math.max(conv.seq, ...page.items.map((m) => m.seq))
    for (const f of buffered.take()) apply(f.type, f.seq, f.data)
    if (conv.unread_count > 0 || conv.marked_unread) void markRead()
  } catch (e) {
    if (current.id === id) current.error = e instanceof ApiError ? e.code : 'network'
  } finally {
    if (current.id === id) current.loading = false
  }
}

/** closeConversation leaves the conversation view. */
export function closeConversation(): void {
  current.id = ''
  current.silent = false
  current.conv = null
  current.messages = []
  setOpen('')
}

/** loadOlder prepends the page before the oldest message shown. */
export async function loadOlder(): Promise<void> {
  const first = current.messages.find((m) => !m.local)
  if (!first || !current.hasOlder) return
  const id = current.id
  const page = (await api.get('/api/v1/conversations/{id}/messages', {
    path: { id },
    query: { before_seq: first.seq, limit: PAGE },
  })) as Page<Message>
  if (current.id !== id) return
  for (const m of page.items) putMessage(m)
  current.hasOlder = page.items.length >= PAGE && (page.items[0]?.seq ?? 0) > 1
}

async function markRead(): Promise<void> {
  const id = current.id
  // A conversation transferred away is no longer ours to read: asking
  // would only earn a 404.
  if (!id || current.gone || current.silent || !readsByItself(current.conv)) return
  try {
    const c = (await api.post('/api/v1/conversations/{id}/read', { path: { id } })) as Conversation
    patchRow(id, { unread_count: c.unread_count, marked_unread: c.marked_unread })
    if (current.conv && current.id === id) {
      current.conv.unread_count = c.unread_count
      current.conv.marked_unread = c.marked_unread
    }
  } catch {
    // read state is a nicety; the next open tries again
  }
}

function markReadSoon(): void {
  if (readTimer) return
  readTimer = setTimeout(() => {
    readTimer = null
    if (current.id && !current.gone && document.visibilityState === 'visible') void markRead()
  }, 800)
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && current.conv && current.conv.unread_count > 0) markReadSoon()
})

/**
 * resync fetches what frames did not bring: the conversation, and every
 * message after the first one not yet in a final state (new messages and
 * status changes alike).
 */
export async function resync(): Promise<void> {
  const id = current.id
  if (!id || current.loading) return
  let after = current.lastSeq
  for (const m of current.messages) {
    if (!m.local && !FINAL.has(m.status) && m.author.type !== 'contact' && m.seq - 1 < after) after = m.seq - 1
  }
  try {
    for (let i = 0; i < 50; i++) {
      const page = (await api.get('/api/v1/conversations/{id}/messages', {
        path: { id },
        query: { after_seq: after, limit: 200 },
      })) as Page<Message>
      if (current.id !== id) return
      for (const m of page.items) putMessage(m)
      const last = page.items[page.items.length - 1]
      if (!last || page.items.length < 200) break
      after = last.seq
    }
    const conv = (await api.get('/api/v1/conversations/{id}', { path: { id } })) as Conversation
    if (current.id !== id) return
    setConv(conv)
    upsert(conv)
    current.lastSeq = Math.max(current.lastSeq, conv.seq, ...current.messages.filter((m) => !m.local).map((m) => m.seq))
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && current.id === id && !current.gone) {
      current.gone = true
      current.lost = wasMine(current.conv)
    }
  }
}

/**
 * moveWindow opens (or extends) the WhatsApp 24-hour window on a customer
 * message, as the server does when it stores one (internal/store/inbound.go):
 * the message's own time + 24 h, forward only. The server announces it with
 * the message.created alone, no conversation.updated, so without this the
 * window-closed banner stayed until the conversation was reopened.
 */
function moveWindow(m: Message): void {
  const c = current.conv
  if (!c || c.id !== m.conversation_id || c.channel_type !== 'whatsapp' || m.error === 'contact_blocked') return
  const until = Date.parse(m.created_at) + 24 * 3600_000
  if (Number.isNaN(until)) return
  if (!c.window_expires_at || Date.parse(c.window_expires_at) < until) c.window_expires_at = new Date(until).toISOString()
}

function apply(type: string, seq: number, data: unknown): void {
  switch (type) {
    case 'conversation.updated': {
      setConv(data as Conversation)
      break
    }
    case 'message.created': {
      const m = data as Message
      putMessage(m)
      if (m.author.type === 'contact') {
        current.typing = ''
        markReadSoon()
        moveWindow(m)
      }
      break
    }
    case 'message.updated':
      putMessage(data as Message)
      break
  }
  if (seq > current.lastSeq) current.lastSeq = seq
}

socket.on((f) => {
  if (f.type === 'tag.deleted' && current.conv) {
    const id = (f.data as TagDeleted).tag_id
    current.conv.tags = current.conv.tags.filter((x) => x !== id)
    return
  }
  if (!current.id || f.conversation_id !== current.id) return
  if (f.type === 'typing') {
    const d = f.data as { name: string; user_id?: string }
    if (d.user_id === session.me?.id) return
    current.typing = d.name
    if (typingTimer) clearTimeout(typingTimer)
    typingTimer = setTimeout(() => (current.typing = ''), 5000)
    return
  }
  const seq = f.seq ?? 0
  if (current.loading) {
    buffered.hold({ type: f.type, seq, data: f.data })
    return
  }
  if (seq > 0 && seq <= current.lastSeq) return // a duplicate
  const gap = seq > current.lastSeq + 1
  apply(f.type, seq, f.data)
  if (gap) void resync()
})

let catchingUp: Promise<void> = Promise.resolve()

socket.onOpen((reconnected) => {
  if (reconnected && current.id) catchingUp = resync()
})

/**
 * caughtUp settles when the resync after the latest reconnect is done
 * (sending.ts waits for it: a send whose answer the outage hid comes back
 * with it and needs no retry).
 */
export function caughtUp(): Promise<void> {
  return catchingUp
}

// ---- actions ----

/** lockFor shows the lock after a 423 that arrived before its frame. */
export function lockFor(seconds: number): void {
  if (!current.conv || seconds <= 0) return
  const until = new Date(serverNow() + seconds * 1000).toISOString()
  if (!current.conv.locked_until || current.conv.locked_until < until) current.conv.locked_until = until
}

async function act(fn: () => Promise<unknown>): Promise<void> {
  try {
    applyConversation((await fn()) as Conversation)
  } catch (e) {
    if (e instanceof ApiError && e.code === 'conversation_locked') lockFor(e.retryAfter)
    throw e
  }
}

const path = () => ({ id: current.id })

export const actions = {
  assign: () => act(() => api.post('/api/v1/conversations/{id}/assign', { path: path() })),
  unassign: () => act(() => api.post('/api/v1/conversations/{id}/unassign', { path: path() })),
  resolve: () => act(() => api.post('/api/v1/conversations/{id}/resolve', { path: path() })),
  block: () => act(() => api.post('/api/v1/conversations/{id}/block', { path: path() })),
  transfer: (to: { agent_id?: string; team_id?: string }, reasonID: string, note: string) =>
    act(() => api.post('/api/v1/conversations/{id}/transfer', { path: path(), body: { ...to, reason_id: reasonID, note } })),
  addTag: (tagID: string) =>
    act(() => api.put('/api/v1/conversations/{id}/tags/{tag_id}', { path: { id: current.id, tag_id: tagID } })),
  removeTag: (tagID: string) =>
    act(() => api.delete('/api/v1/conversations/{id}/tags/{tag_id}', { path: { id: current.id, tag_id: tagID } })),
}
