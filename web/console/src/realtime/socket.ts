// The console's one WebSocket (/api/v1/ws). It reconnects with jittered
// exponential back-off, and tells its listeners when it (re)opens so they
// can fetch what they missed: the server's delivery is at-least-once and
// may have holes, and a client never may.
import { ref } from 'vue'

/** A server frame (internal/realtime/frames.go). */
export interface Frame {
  type:
    | 'hello'
    | 'conversation.updated'
    | 'message.created'
    | 'message.updated'
    | 'monitor.counters'
    | 'agent.status'
    | 'chat.message'
    | 'typing'
    | 'error'
  conversation_id?: string
  seq?: number
  data?: unknown
}

export type SocketState = 'idle' | 'connecting' | 'open' | 'reconnecting'

type Listener = (f: Frame) => void
type OpenListener = (reconnected: boolean) => void

const BASE_DELAY = 500
const MAX_DELAY = 30_000

/** RealtimeSocket is the console's connection; one per logged-in tab. */
export class RealtimeSocket {
  readonly state = ref<SocketState>('idle')
  private ws: WebSocket | null = null
  private attempt = 0
  private opened = false
  private timer: ReturnType<typeof setTimeout> | null = null
  private stopped = true
  private listeners = new Set<Listener>()
  private openListeners = new Set<OpenListener>()
  private onDenied: () => void

  /** onDenied runs when the server closes for policy (logged out elsewhere). */
  constructor(onDenied: () => void) {
    this.onDenied = onDenied
  }

  on(fn: Listener): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  onOpen(fn: OpenListener): () => void {
    this.openListeners.add(fn)
    return () => this.openListeners.delete(fn)
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.opened = false
    this.attempt = 0
    this.connect()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const ws = this.ws
    this.ws = null
    if (ws) {
      ws.onclose = null
      ws.close(1000, 'bye')
    }
    this.state.value = 'idle'
  }

  /** typing tells colleagues this user is typing in a conversation. */
  typing(conversationID: string): void {
    if (this.ws?.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify({ type: 'typing', conversation_id: conversationID }))
    }
  }

  private connect(): void {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
    this.state.value = this.opened ? 'reconnecting' : 'connecting'
    const ws = new WebSocket(`${proto}//${location.host}/api/v1/ws`)
    this.ws = ws
    let helloSeen = false
    ws.onmessage = (ev) => {
      let f: Frame
      try {
        f = JSON.parse(String(ev.data)) as Frame
      } catch {
        return
      }
      if (f.type === 'hello' && !helloSeen) {
        helloSeen = true
        const reconnected = this.opened
        this.opened = true
        this.attempt = 0
        this.state.value = 'open'
        for (const l of this.listeners) l(f)
        for (const l of this.openListeners) l(reconnected)
        return
      }
      for (const l of this.listeners) l(f)
    }
    ws.onclose = (ev) => {
      if (this.ws !== ws) return
      this.ws = null
      if (this.stopped) return
      // 1008: logged out by a supervisor, or too slow. Either way the
      // session is checked before trying again.
      if (ev.code === 1008) this.onDenied()
      this.scheduleReconnect()
    }
  }

  private scheduleReconnect(): void {
    this.state.value = 'reconnecting'
    const cap = Math.min(MAX_DELAY, BASE_DELAY * 2 ** this.attempt)
    this.attempt++
    // Full jitter: a restarted server is not hit by every console at once.
    const delay = Math.random() * cap
    this.timer = setTimeout(() => {
      this.timer = null
      if (!this.stopped) this.connect()
    }, delay)
  }
}
