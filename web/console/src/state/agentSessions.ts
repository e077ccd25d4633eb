// The sessions under each agent on the monitor: the In service list
// grouped by assignee. The list follows conversation.updated frames
// (state/monitor.ts); a message changes no phase and comes alone as
// message.created, so the preview of the last message is moved here.
import type { Conversation, Message } from '../api/types'
import { compareTimes } from '../lib/clock'
import { monitor, waitStart, FLOOR_PHASES } from './monitor'
import { socket } from './session'

/** sessionsOf lists what an agent holds now, longest waiting first. */
export function sessionsOf(agentId: string): Conversation[] {
  return monitor.lists.human
    .filter((c) => c.assignee_id === agentId)
    .sort((a, b) => compareTimes(waitStart(a), waitStart(b)) || a.id.localeCompare(b.id))
}

/** previewChars matches the server's preview length. */
const previewChars = 140

function onMessage(m: Message): void {
  // Notes are internal and events are not messages: neither is a preview.
  if (m.kind === 'note' || m.kind === 'event') return
  for (const p of FLOOR_PHASES) {
    const c = monitor.lists[p].find((x) => x.id === m.conversation_id)
    if (!c) continue
    // A message older than the one shown (a late frame) changes nothing.
    if (c.last_message_at && compareTimes(m.created_at, c.last_message_at) < 0) return
    c.last_message = { author: m.author.type, kind: m.kind, text: Array.from(m.text).slice(0, previewChars).join('') }
    c.last_message_at = m.created_at
    return
  }
}

socket.on((f) => {
  if (monitor.active && f.type === 'message.created') onMessage(f.data as Message)
})
