// The console's one WebSocket (/api/v1/ws): the shared reconnecting socket
// (web/realtime/socket.ts) with its state in a Vue ref, and a check of the
// session when the server closes for policy.
import { ref } from 'vue'
import { ReconnectingSocket, type SocketState } from '../../../realtime/socket'
import type { OutFrame } from '../../../realtime/call/session'

export type { Frame, SocketState } from '../../../realtime/socket'

/** RealtimeSocket is the console's connection; one per logged-in tab. */
export class RealtimeSocket {
  readonly state = ref<SocketState>('idle')
  private readonly sock = new ReconnectingSocket(() => {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
    return `${proto}//${location.host}/api/v1/ws`
  })
  readonly on = this.sock.on.bind(this.sock)
  readonly onOpen = this.sock.onOpen.bind(this.sock)

  /** onDenied runs when the server closes for policy (logged out elsewhere). */
  constructor(onDenied: () => void) {
    this.sock.onState((s) => (this.state.value = s))
    this.sock.onClose((code) => {
      // 1008: logged out by a supervisor, or too slow. Either way the
      // session is checked before trying again.
      if (code === 1008) onDenied()
    })
  }

  start(): void {
    this.sock.start()
  }

  stop(): void {
    this.sock.stop()
  }

  /** view, leave and viewTyping say who is here (collision, state/collision.ts); false when not sent. */
  view(conversationID: string): boolean {
    return this.sock.send({ type: 'conversation.view', conversation_id: conversationID })
  }

  leave(): boolean {
    return this.sock.send({ type: 'conversation.leave', conversation_id: '' })
  }

  viewTyping(conversationID: string): boolean {
    return this.sock.send({ type: 'conversation.typing', conversation_id: conversationID })
  }

  /** call sends a call frame (state/call.ts); false when not sent. */
  call(f: OutFrame): boolean {
    return this.sock.send(f)
  }

  /** typing tells colleagues this user is typing in a conversation. */
  typing(conversationID: string): void {
    this.sock.send({ type: 'typing', conversation_id: conversationID })
  }
}
