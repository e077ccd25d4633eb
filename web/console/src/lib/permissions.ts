// What the user may do with a conversation: the console mirrors the
// server's rules (internal/desk/lifecycle.go Authorize and CheckLock) to
// show only actions that can succeed. The server still decides.
import type { Conversation, User } from '../api/types'

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
  isAssignee: boolean
}

export function permissions(c: Conversation | null, me: User | null): Permissions {
  const none: Permissions = {
    assign: false, takeOver: false, unassign: false, transfer: false, resolve: false,
    block: false, tag: false, reply: false, note: false, isAssignee: false,
  }
  if (!c || !me) return none
  const sup = me.role === 'supervisor' || me.role === 'admin'
  const seesAll = sup || me.role === 'auditor'
  const open = c.phase !== 'closed'
  const isAssignee = c.phase === 'human' && c.assignee_id === me.id
  return {
    assign: c.phase === 'waiting',
    takeOver: c.phase === 'bot' && seesAll,
    unassign: c.phase === 'human' && (isAssignee || sup),
    transfer: c.phase === 'human' && (isAssignee || sup),
    resolve: (c.phase === 'human' && (isAssignee || sup)) || (c.phase === 'waiting' && sup),
    block: open && (isAssignee || sup),
    tag: open && (isAssignee || seesAll),
    reply: isAssignee,
    note: true,
    isAssignee,
  }
}

/** The actions the processing lock refuses (DESIGN.md, "The processing lock"). */
export const LOCKED_ACTIONS = ['send', 'transfer', 'block', 'resolve', 'tag'] as const
