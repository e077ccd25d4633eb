// The visitor's live socket (/widget/v1/ws). It reconnects with jittered
// exponential back-off; each (re)open is announced so the chat can catch up
// with after_seq: the server's delivery may have holes (a slow socket is
// closed with 1008), and the widget must not.

/** A server frame (internal/realtime/frames.go, docs/widget.md). */
export interface Frame {
  type: 'hello' | 'conversation.updated' | 'message.created' | 'message.updated' | 'typing' | 'error'
  conversation_id?: string
  seq?: number
  data?: unknown
}

export type SocketState = 'idle' | 'connecting' | 'open' | 'reconnecting'

const BASE_DELAY = 500
const MAX_DELAY = 30_000
const TYPING_EVERY = 2_000

export class WidgetSocket {
  state: SocketState = 'idle'
  private ws: WebSocket | null = null
  private attempt = 0
  private opened = false
  private timer: ReturnType<typeof setTimeout> | undefined
  private lastTyping = 0

  constructor(
    private url: () => string,
    private onFrame: (f: Frame) => void,
    private onOpen: (reconnected: boolean) => void,
    private onState: (s: SocketState, failures: number) => void,
  ) {}

  start(): void {
    if (this.state !== 'idle') return
    this.attempt = 0
    this.opened = false
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

  /** typing tells the agent the visitor is typing (at most every 2 s). */
  typing(): void {
    const now = Date.now()
    if (this.ws?.readyState !== WebSocket.OPEN || now - this.lastTyping < TYPING_EVERY) return
    this.lastTyping = now
    this.ws.send(JSON.stringify({ type: 'typing' }))
  }

  private set(s: SocketState): void {
    this.state = s
    this.onState(s, this.attempt)
  }

  private connect(): void {
    this.set(this.opened ? 'reconnecting' : 'connecting')
    const ws = new WebSocket(this.url())
    this.ws = ws
    ws.onopen = () => {
      const again = this.opened
      this.opened = true
      this.attempt = 0
      this.set('open')
      this.onOpen(again)
    }
    ws.onmessage = (e) => {
      try {
        this.onFrame(JSON.parse(String(e.data)) as Frame)
      } catch {
        // a frame that is not JSON is skipped; the next catch-up covers it
      }
    }
    ws.onclose = () => {
      if (this.ws !== ws) return
      this.ws = null
      this.attempt++
      this.set('reconnecting')
      // Full jitter between half and all of the exponential delay, so many
      // visitors dropped at once (a restart) do not return at once.
      const d = Math.min(MAX_DELAY, BASE_DELAY * 2 ** Math.min(this.attempt, 10))
      this.timer = setTimeout(() => this.connect(), d / 2 + (Math.random() * d) / 2)
    }
  }
}
