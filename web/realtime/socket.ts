// The one reconnecting WebSocket of the console (/api/v1/ws) and the widget
// (/widget/v1/ws): plain TypeScript, no framework, so the widget can carry
// it. It parses frames, hands them to listeners, and reconnects with
// jittered exponential back-off. A socket counts as open once the server's
// hello arrives (the server routes changes to it from then on), and every
// (re)open is announced so the app can fetch what it missed: the server's
// delivery is at-least-once and may have holes (a slow socket is closed with
// 1008), and a client never may.
import type { ClientFrame, Frame, WidgetClientFrame } from './frames'
import type { OutFrame } from './call/session'

export type { Frame } from './frames'

export type SocketState = 'idle' | 'connecting' | 'open' | 'reconnecting'

const BASE_DELAY = 500
const MAX_DELAY = 30_000

/** backoff is the wait before reconnect attempt n (0-based): full jitter. */
export function backoff(attempt: number, random: () => number = Math.random): number {
  // Full jitter: a restarted server is not hit by every client at once.
  return random() * Math.min(MAX_DELAY, BASE_DELAY * 2 ** Math.min(attempt, 16))
}

/** parseFrame reads a server frame; anything else is null (and skipped). */
export function parseFrame(data: unknown): Frame | null {
  try {
    const f = JSON.parse(String(data)) as Frame | null
    return f && typeof f === 'object' && typeof f.type === 'string' ? f : null
  } catch {
    return null
  }
}

type Listener<T extends unknown[]> = (...args: T) => void

export class ReconnectingSocket {
  state: SocketState = 'idle'
  /** failures counts closes since the last hello. */
  failures = 0
  private ws: WebSocket | null = null
  private opened = false
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly frames = new Set<Listener<[Frame]>>()
  private readonly opens = new Set<Listener<[boolean]>>()
  private readonly states = new Set<Listener<[SocketState, number]>>()
  private readonly closes = new Set<Listener<[number]>>()

  /** url is read on every attempt (a token may have changed). */
  constructor(private readonly url: () => string) {}

  /** on listens to every frame, hello included. */
  on(fn: (f: Frame) => void): () => void {
    return add(this.frames, fn)
  }

  /** onOpen runs after each hello; reconnected is false the first time. */
  onOpen(fn: (reconnected: boolean) => void): () => void {
    return add(this.opens, fn)
  }

  /** onState runs on every state change, with the failures so far. */
  onState(fn: (s: SocketState, failures: number) => void): () => void {
    return add(this.states, fn)
  }

  /** onClose runs when the server or the network ends a socket. */
  onClose(fn: (code: number) => void): () => void {
    return add(this.closes, fn)
  }

  start(): void {
    if (this.state !== 'idle') return
    this.opened = false
    this.failures = 0
    this.connect()
  }

  stop(): void {
    clearTimeout(this.timer)
    const ws = this.ws
    this.ws = null
    if (ws) {
      ws.onclose = null
      ws.close(1000)
    }
    this.set('idle')
  }

  /** send writes a client frame if the socket is open; false if not. */
  send(f: ClientFrame | WidgetClientFrame | OutFrame): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false
    this.ws.send(JSON.stringify(f))
    return true
  }

  private set(s: SocketState): void {
    this.state = s
    for (const l of this.states) l(s, this.failures)
  }

  private connect(): void {
    this.set(this.opened ? 'reconnecting' : 'connecting')
    const ws = new WebSocket(this.url())
    this.ws = ws
    let helloSeen = false
    ws.onmessage = (ev) => {
      const f = parseFrame(ev.data)
      if (!f) return // the next catch-up covers it
      for (const l of this.frames) l(f)
      if (f.type === 'hello' && !helloSeen) {
        helloSeen = true
        const reconnected = this.opened
        this.opened = true
        this.failures = 0
        this.set('open')
        for (const l of this.opens) l(reconnected)
      }
    }
    ws.onclose = (ev) => {
      if (this.ws !== ws) return
      this.ws = null
      for (const l of this.closes) l(ev.code)
      if (this.state === 'idle') return // a listener stopped it
      const delay = backoff(this.failures)
      this.failures++
      this.set('reconnecting')
      this.timer = setTimeout(() => this.connect(), delay)
    }
  }
}

function add<T>(set: Set<T>, fn: T): () => void {
  set.add(fn)
  return () => set.delete(fn)
}
