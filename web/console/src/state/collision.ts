// Collision: who else views the conversation on screen and who is typing
// in it (docs/realtime.md, "Who else is here"). The server keeps the views;
// this tells it which conversation this tab shows (again after every
// reconnect: a closed socket's view is gone) and keeps the list it pushes.
// Alone, nothing arrives: the server sends a list only when someone else
// is or was here.
import { reactive, watch } from 'vue'
import type { ConversationViewers, Viewer } from '../../../realtime/frames'
import { current } from './conversation'
import { socket } from './session'

export const collision = reactive({
  conversationId: '',
  viewers: [] as Viewer[],
})

/** The conversation this tab views: shown, loaded and not refused. */
function shown(): string {
  return current.conv && current.conv.id === current.id ? current.id : ''
}

let viewing = ''
let lastTyping = 0

function sync(): void {
  const id = shown()
  if (id === viewing) return
  if (collision.conversationId !== id) {
    collision.conversationId = id
    collision.viewers = []
  }
  lastTyping = 0
  const sent = id ? socket.view(id) : socket.leave()
  // Not sent (socket down): the reconnect sends it.
  viewing = sent ? id : ''
}

watch(shown, sync)

socket.onOpen(() => {
  viewing = ''
  collision.viewers = []
  sync()
})

socket.on((f) => {
  if (f.type !== 'conversation.viewers') return
  const d = f.data as ConversationViewers
  if (d.conversation_id === collision.conversationId) collision.viewers = d.viewers
})

/** viewTyping tells the others here this user is typing, at most every 3 s (the server forgets it after ~6 s). */
export function viewTyping(): void {
  const t = Date.now()
  if (!viewing || t - lastTyping < 3000) return
  lastTyping = t
  socket.viewTyping(viewing)
}
