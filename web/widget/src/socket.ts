// The visitor's live socket (/widget/v1/ws): the shared reconnecting socket
// (web/realtime/socket.ts) with the chat's callbacks and typing at most
// every 2 s. Each (re)open is announced so the chat can catch up with
// after_seq.
import { ReconnectingSocket, type Frame, type SocketState } from '../../realtime/socket'

export type { Frame, SocketState } from '../../realtime/socket'

const TYPING_EVERY = 2_000

export class WidgetSocket extends ReconnectingSocket {
  private lastTyping = 0

  constructor(
    url: () => string,
    onFrame: (f: Frame) => void,
    onOpen: (reconnected: boolean) => void,
    onState: (s: SocketState, failures: number) => void,
  ) {
    super(url)
    this.on(onFrame)
    this.onOpen(onOpen)
    this.onState(onState)
  }

  /** typing tells the agent the visitor is typing (at most every 2 s). */
  typing(): void {
    const now = Date.now()
    if (now - this.lastTyping < TYPING_EVERY) return
    if (this.send({ type: 'typing' })) this.lastTyping = now
  }
}
