// The chat: the visitor's session, its conversation and messages, sending
// (optimistic, idempotent by client id, retried by hand), the live socket
// with catch-up by after_seq, typing and the unread count. Views read its
// fields and re-render when it emits.
import { Api, ApiError, type WidgetConfig, type WidgetConversation, type WidgetMessage, type WidgetMessages } from './api'
import { callKey, callLine } from './call'
import { lang, pickLang, setLang, t } from './i18n'
import { embedded, toParent, type User } from './parent'
import { WidgetSocket, type Frame, type SocketState } from './socket'
import { load, save } from './storage'

/** UiMessage is a message on screen, perhaps still on its way. */
export interface UiMessage extends WidgetMessage {
  key: string
  /** local is set until the server has the message. */
  local?: 'sending' | 'failed'
  error?: string
  retry?: () => void
}

export type View = 'loading' | 'prechat' | 'chat' | 'error'

/** MAX_UPLOAD mirrors the server's default widget upload limit. */
export const MAX_UPLOAD = 10 << 20

const TYPING_SHOWN = 6_000

export class Chat {
  readonly api = new Api()
  config: WidgetConfig | null = null
  view: View = 'loading'
  conversation: WidgetConversation | null = null
  conn: SocketState = 'idle'
  typing: string | null = null
  unread = 0
  open = !embedded
  /** notice is a short-lived problem shown above the composer. */
  notice = ''
  private user: User = {}
  private messages = new Map<string, UiMessage>()
  private conversations: string[] = []
  private lastSeq = new Map<string, number>()
  private listeners = new Set<() => void>()
  private scheduled = false
  private typingTimer: ReturnType<typeof setTimeout> | undefined
  private checkingToken = false
  /** socket is the visitor's live socket; the call (call.ts) shares it. */
  readonly socket: WidgetSocket

  constructor(readonly channel: string) {
    this.socket = new WidgetSocket(
      () => this.api.socketURL(),
      (f) => this.onFrame(f),
      () => void this.catchUp(),
      (s, failures) => this.onSocketState(s, failures),
    )
  }

  on(fn: () => void): void {
    this.listeners.add(fn)
  }

  /** emit re-renders once per task, however many changes came together. */
  emit(): void {
    if (this.scheduled) return
    this.scheduled = true
    queueMicrotask(() => {
      this.scheduled = false
      for (const fn of this.listeners) fn()
    })
  }

  async boot(user: User): Promise<void> {
    this.user = user
    const preferred = navigator.languages?.length ? navigator.languages : [navigator.language]
    // The server picks the greeting from the same preferences by the same
    // rule as pickLang, so the greeting matches the panel's language.
    this.api.lang = preferred.join(',')
    try {
      this.config = await this.api.config(this.channel)
    } catch {
      this.view = 'error'
      this.emit()
      return
    }
    setLang(pickLang(this.config.languages, preferred))
    this.api.lang = lang()
    const saved = load(this.channel, user.identifier ?? '')
    if (saved) {
      this.api.token = saved.token
      try {
        this.apply(await this.api.messages())
        this.socket.start()
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) this.reset()
      }
    }
    this.view = this.needsPrechat() ? 'prechat' : 'chat'
    this.emit()
  }

  needsPrechat(): boolean {
    return !this.api.token && !this.user.identifier && (this.config?.prechat.length ?? 0) > 0
  }

  /** startSession opens the visitor's session (after the pre-chat form, or on the first message). */
  async startSession(fields: { name?: string; email?: string } = {}): Promise<void> {
    const res = await this.api.session({
      channel_id: this.channel,
      name: fields.name || this.user.name || undefined,
      email: fields.email || this.user.email || undefined,
      identifier: this.user.identifier || undefined,
      identifier_hash: this.user.identifier_hash || undefined,
    })
    this.api.token = res.token
    save(this.channel, { token: res.token, contactId: res.contact_id, identifier: this.user.identifier ?? '' })
    this.view = 'chat'
    this.socket.start()
    this.emit()
  }

  /** list is what is on screen, oldest first; messages still on their way last. */
  list(): UiMessage[] {
    const rank = (m: UiMessage) => {
      const i = this.conversations.indexOf(m.conversation_id)
      return i < 0 ? this.conversations.length : i
    }
    return [...this.messages.values()].sort(
      (a, b) => rank(a) - rank(b) || (a.seq || Infinity) - (b.seq || Infinity) || a.created_at.localeCompare(b.created_at),
    )
  }

  setOpen(open: boolean): void {
    this.open = open
    if (open && this.unread) {
      this.unread = 0
      toParent({ type: 'relevo:unread', count: 0 })
    }
    this.emit()
  }

  send(text: string, payload?: string): void {
    const id = clientID()
    const m = this.local(id, 'text', text)
    void this.deliver(m, { id, text, payload })
  }

  sendFile(file: File): void {
    if (file.size > MAX_UPLOAD) {
      this.flash(t('tooBig', { size: '10 MB' }))
      return
    }
    const id = clientID()
    const m = this.local(id, 'file', '')
    m.attachments = [{ id: '', name: file.name, mime: file.type, size: file.size, url: '' }]
    void this.deliver(m, { id }, file)
  }

  typed(): void {
    this.socket.typing()
  }

  private local(id: string, kind: string, text: string): UiMessage {
    const m: UiMessage = {
      key: 'c:' + id, id: '', client_id: id, conversation_id: this.conversation?.id ?? '', seq: 0,
      author: { type: 'contact', name: '' }, kind, text, attachments: [], status: 'pending',
      created_at: new Date().toISOString(), local: 'sending',
    }
    this.messages.set(m.key, m)
    this.emit()
    return m
  }

  private async deliver(m: UiMessage, req: { id: string; text?: string; payload?: string }, file?: File): Promise<void> {
    m.local = 'sending'
    this.emit()
    try {
      if (!this.api.token) await this.startSession()
      const attachment_ids = file ? [(await this.api.upload(file)).id] : undefined
      this.upsert(await this.api.send({ ...req, attachment_ids }))
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        this.reset()
        return
      }
      m.local = 'failed'
      m.error = e instanceof ApiError && e.code === 'rate_limited' ? t('tooMany') : t('error')
      m.retry = () => void this.deliver(m, req, file)
      this.emit()
    }
  }

  /**
   * note puts a line of the widget's own in the feed, after what is there
   * now (a call that ended, in the visitor's words): a system line, never sent.
   */
  note(key: string, text: string): void {
    const c = this.conversation
    if (!c || this.messages.has(key)) return
    this.messages.set(key, {
      key, id: '', conversation_id: c.id, seq: (this.lastSeq.get(c.id) ?? 0) + 0.5,
      author: { type: 'system', name: '' }, kind: 'text', text, attachments: [], status: 'sent', created_at: new Date().toISOString(),
    })
    this.emit()
  }

  flash(text: string): void {
    this.notice = text
    this.emit()
    setTimeout(() => {
      if (this.notice === text) {
        this.notice = ''
        this.emit()
      }
    }, 5000)
  }

  /**
   * rate answers the survey of the conversation on show. One already
   * answered (another tab) or closed meanwhile reads back where it stands
   * instead of failing.
   */
  async rate(score: number, comment: string): Promise<void> {
    const c = this.conversation
    if (!c) return
    try {
      this.setConversation(await this.api.csat({ conversation_id: c.id, score, comment: comment.trim() || undefined }))
    } catch (e) {
      if (!(e instanceof ApiError) || (e.code !== 'csat_already_answered' && e.code !== 'csat_closed')) throw e
      const head = await this.api.messages({ conversationId: c.id, afterSeq: 2 ** 31 })
      if (head.conversation) this.setConversation({ ...head.conversation, seq: Math.max(head.conversation.seq, c.seq) })
    }
    this.emit()
  }

  private apply(page: WidgetMessages): void {
    if (page.conversation) this.setConversation(page.conversation)
    for (const m of page.items) this.upsert(m)
  }

  private setConversation(c: WidgetConversation): void {
    if (!this.conversations.includes(c.id)) this.conversations.push(c.id)
    const cur = this.conversation
    // The newest conversation heads the panel; a late update of an older
    // one (or an older seq of this one) does not.
    if (!cur || (cur.id === c.id ? c.seq >= cur.seq : this.conversations.indexOf(c.id) > this.conversations.indexOf(cur.id))) {
      this.conversation = c
    }
  }

  private upsert(m: WidgetMessage): void {
    if (!this.conversations.includes(m.conversation_id)) this.conversations.push(m.conversation_id)
    const key = keyOf(m)
    // A call's end is the line the widget writes live, under the same key.
    if (m.call) m = { ...m, author: { type: 'system', name: '' }, text: callLine(m.call.event, m.call.duration_seconds) }
    this.messages.set(key, { ...m, key })
    if (m.seq > (this.lastSeq.get(m.conversation_id) ?? 0)) this.lastSeq.set(m.conversation_id, m.seq)
    this.emit()
  }

  private onFrame(f: Frame): void {
    switch (f.type) {
      case 'message.created':
      case 'message.updated': {
        const m = f.data as WidgetMessage
        const fresh = f.type === 'message.created' && !this.messages.has(keyOf(m))
        this.upsert(m)
        if (fresh && m.author.type !== 'contact' && !m.call) {
          this.setTyping(null)
          if (!this.open || document.hidden) {
            this.unread++
            toParent({ type: 'relevo:unread', count: this.unread })
          }
        }
        break
      }
      case 'conversation.updated':
        this.setConversation(f.data as WidgetConversation)
        this.emit()
        break
      case 'typing':
        this.setTyping((f.data as { name?: string }).name ?? '')
        break
    }
  }

  private setTyping(name: string | null): void {
    clearTimeout(this.typingTimer)
    this.typing = name
    if (name !== null) this.typingTimer = setTimeout(() => this.setTyping(null), TYPING_SHOWN)
    this.emit()
  }

  /**
   * catchUp runs on every socket open: what happened between the page's
   * read and the socket, or while it was away, comes by after_seq; a
   * conversation started meanwhile comes whole.
   */
  private async catchUp(): Promise<void> {
    try {
      const cur = this.conversation
      if (cur) this.apply(await this.api.messages({ conversationId: cur.id, afterSeq: this.lastSeq.get(cur.id) ?? 0 }))
      const head = await this.api.head()
      if (head.conversation && head.conversation.id !== cur?.id) {
        this.apply(await this.api.messages({ conversationId: head.conversation.id }))
      } else if (head.conversation) {
        this.setConversation(head.conversation)
      }
      this.emit()
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) this.reset()
    }
  }

  private onSocketState(s: SocketState, failures: number): void {
    this.conn = s
    this.emit()
    // A socket that keeps failing may have an ended session (the upgrade
    // answers 401, which a WebSocket cannot see): ask once.
    if (failures >= 3 && !this.checkingToken) {
      this.checkingToken = true
      this.api
        .head()
        .catch((e) => {
          if (e instanceof ApiError && e.status === 401) this.reset()
        })
        .finally(() => (this.checkingToken = false))
    }
  }

  /** reset forgets an ended session: the visitor starts over. */
  private reset(): void {
    this.socket.stop()
    this.api.token = null
    save(this.channel, null)
    this.messages.clear()
    this.conversations = []
    this.lastSeq.clear()
    this.conversation = null
    this.view = this.needsPrechat() ? 'prechat' : 'chat'
    this.emit()
  }
}

/** clientID is the widget's id of a message: the server stores it once. */
function clientID(): string {
  const b = new Uint8Array(12)
  crypto.getRandomValues(b)
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}

/** keyOf is a message's key in the feed: the widget's own id, a call's end line, or the server's id. */
function keyOf(m: WidgetMessage): string {
  if (m.call) return callKey(m.call.id)
  return m.client_id ? 'c:' + m.client_id : m.id
}
