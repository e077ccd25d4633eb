// The internal chat between colleagues (users who share a bot): one thread
// per colleague, loaded when first opened and kept live by `chat.message`
// frames, with unread counts per colleague. The server keeps the history
// but no read state, so unread counts live in this tab: they count what
// arrived while that thread was not in front of the user.
import { compareTimes } from '../lib/clock'
import { computed, reactive, watch } from 'vue'
import { api } from '../api/client'
import type { Colleague } from '../api/types'
import type { components } from '../api/schema'
import { i18n } from '../i18n'
import { catalog, loadCatalog, loadPeople } from './catalog'
import { alert } from './notify'
import { session, socket } from './session'

export type ChatMessage = components['schemas']['ChatMessage']

export const chat = reactive({
  open: false,
  /** peer is the colleague whose thread is shown, if any. */
  peer: null as string | null,
  threads: {} as Record<string, ChatMessage[]>,
  unread: {} as Record<string, number>,
  loading: false,
  failed: false,
})

export const totalUnread = computed(() => Object.values(chat.unread).reduce((n, c) => n + c, 0))

const order: Record<Colleague['status'], number> = { online: 0, paused: 1, offline: 2 }

/** colleagues are the people of my bots but me: online first, then by name. */
export const colleagues = computed(() =>
  Object.values(catalog.people)
    .filter((p) => p.id !== session.me?.id)
    .sort((a, b) => order[a.status] - order[b.status] || a.name.localeCompare(b.name)),
)

function inFront(): boolean {
  return document.visibilityState === 'visible'
}

/** openChat shows the drawer, on peer's thread when given. */
export function openChat(peer?: string): void {
  chat.open = true
  // Only supervisors and admins get others' agent.status frames: everyone
  // else sees presence as of the moment they open the drawer.
  void loadCatalog()
    .then(loadPeople)
    .catch(() => undefined)
  if (peer) void openThread(peer)
}

export function closeChat(): void {
  chat.open = false
}

/** openThread shows a colleague's thread and reads its latest history. */
export async function openThread(peer: string): Promise<void> {
  chat.peer = peer
  chat.unread[peer] = 0
  chat.failed = false
  chat.loading = !chat.threads[peer]
  try {
    const p = await api.get('/api/v1/chats/{user_id}/messages', { path: { user_id: peer } })
    merge(peer, p.items)
  } catch {
    chat.failed = true
  } finally {
    chat.loading = false
  }
}

/** sendChat writes to the open thread; the frame may arrive before the reply. */
export async function sendChat(text: string): Promise<void> {
  const peer = chat.peer
  if (!peer) return
  const m = await api.post('/api/v1/chats/{user_id}/messages', { path: { user_id: peer }, body: { text } })
  merge(peer, [m])
}

/** merge adds messages to a thread once each, in time order. */
function merge(peer: string, msgs: ChatMessage[]): void {
  const list = chat.threads[peer] ?? []
  const known = new Set(list.map((m) => m.id))
  const added = msgs.filter((m) => !known.has(m.id))
  if (added.length === 0 && chat.threads[peer]) return
  chat.threads[peer] = [...list, ...added].sort((a, b) => compareTimes(a.created_at, b.created_at) || a.id.localeCompare(b.id))
}

/** resetChat forgets everything when the user changes (logout, expiry). */
function resetChat(): void {
  chat.open = false
  chat.peer = null
  chat.threads = {}
  chat.unread = {}
}

watch(() => session.me?.id, resetChat)

socket.on((f) => {
  if (f.type !== 'chat.message' || !session.me) return
  const m = f.data as ChatMessage
  const mine = m.from_id === session.me.id
  const peer = mine ? m.to_id : m.from_id
  if (chat.threads[peer]) merge(peer, [m])
  if (mine) return
  const seen = chat.open && chat.peer === peer && inFront()
  if (!seen) chat.unread[peer] = (chat.unread[peer] ?? 0) + 1
  if (!chat.open || !inFront()) {
    const name = catalog.people[peer]?.name ?? i18n.global.t('chat.colleague')
    alert(i18n.global.t('chat.from', { name }), m.text, 'chat-' + peer, () => openChat(peer))
  }
})

// History is not replayed on a reconnect: read the open thread again.
socket.onOpen((reconnected) => {
  if (reconnected && chat.open && chat.peer) void openThread(chat.peer)
})

// Coming back to the tab reads what arrived in the thread in front.
document.addEventListener('visibilitychange', () => {
  if (inFront() && chat.open && chat.peer) chat.unread[chat.peer] = 0
})
