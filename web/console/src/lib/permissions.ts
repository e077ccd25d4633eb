// What the user may do with a conversation, read from the server: each
// conversation it answers or pushes carries allowed_actions, computed for
// this user by one function (internal/desk AllowedActions: role, phase,
// assignee, processing lock), and actions_after_lock, what only the lock
// holds back. The console decides nothing here: it offers what the server
// listed, and the panes disable the lock-held ones while locked_until is
// ahead (the countdown), as before.
import type { Conversation, ConversationAction } from '../api/types'

export interface Permissions {
  assign: boolean
  takeOver: boolean
  unassign: boolean
  transfer: boolean
  resolve: boolean
  block: boolean
  tag: boolean
  reply: boolean
  note: boolean
  /** The user holds the conversation (it may be written to once unlocked). */
  isAssignee: boolean
}

export function permissions(c: Conversation | null): Permissions {
  const listed = new Set<ConversationAction>([...(c?.allowed_actions ?? []), ...(c?.actions_after_lock ?? [])])
  const has = (a: ConversationAction) => listed.has(a)
  return {
    assign: has('assign'),
    takeOver: has('take_over'),
    unassign: has('unassign'),
    transfer: has('transfer'),
    resolve: has('resolve'),
    block: has('block'),
    tag: has('tag'),
    reply: has('reply'),
    note: has('note'),
    isAssignee: has('reply'),
  }
}
