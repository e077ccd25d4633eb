// The sessions under each agent on the monitor: the In service list
// grouped by assignee. The list follows conversation.updated frames
// (state/monitor.ts); a message changes no phase and comes alone as
// message.created, so the preview of the last message is moved here.
import type { Conversation, Message } from '../api/types'
import { compareTimes } from '../lib/clock'
import { computed } from 'vue'
import { monitor, replaceConversation, waitStart } from './monitor'
import { socket } from './session'

/** byAgent groups the In service list once per change, longest waiting first. */
const byAgent = computed(() => {
  const out = new Map<string, Conversation[]>()
  for (const c of monitor.lists.human) {
    if (!c.assignee_id) continue
    const g = out.get(c.assignee_id)
    if (g) g.push(c)
    else out.set(c.assignee_id, [c])
  }
  for (const g of out.values()) g.sort((a, b) => compareTimes(waitStart(a), waitStart(b)) || a.id.localeCompare(b.id))
  return out
})

/** sessionsOf lists what an agent holds now, longest waiting first. */
export function sessionsOf(agentId: string): Conversation[] {
  return byAgent.value.get(agentId) ?? []
}

/** previewChars matches the server's preview length. */
const previewChars = 140

function onMessage(m: Message): void {
  // Notes are internal and events are not messages: neither is a preview.
  if (m.kind === 'note' || m.kind === 'event') return
  replaceConversation(m.conversation_id, (c) => {
    // A message older than the one shown (a late frame) changes nothing.
    if (c.last_message_at && compareTimes(m.created_at, c.last_message_at) < 0) return null
    const last_message = { author: m.author.type, kind: m.kind, text: Array.from(m.text).slice(0, previewChars).join('') }
    return { ...c, last_message, last_message_at: m.created_at }
  })
}

socket.on((f) => {
  if (monitor.active && f.type === 'message.created') onMessage(f.data as Message)
})
