// The monitor's bulk selection: up to MAX_BULK conversations ticked in any
// monitor list (the phase lists; the teams tab and the agents' sessions join
// through the same functions), finished or transferred in one
// POST /api/v1/conversations/bulk. The server answers per id; the summary
// keeps every id's outcome, so one failure never hides the others' success.
import { reactive } from 'vue'
import { api } from '../api/client'
import type { components } from '../api/schema'
import type { Conversation } from '../api/types'

/** MAX_BULK mirrors the server's limit (store.MaxBulk): a sixth tick is refused here first. */
export const MAX_BULK = 5

type BulkResult = components['schemas']['BulkResult']
export type BulkAction = 'resolve' | 'transfer'

/** BulkFailure is one id the server refused, with what to call it and why. */
export interface BulkFailure {
  id: string
  label: string
  code: string
  message: string
}

export interface BulkSummary {
  action: BulkAction
  ok: number
  failed: BulkFailure[]
}

export interface TransferTarget {
  agent_id?: string
  team_id?: string
}

export const selection = reactive({
  /** items are the ticked conversations as they were when ticked. */
  items: [] as Conversation[],
  /** refused is set when a tick over the limit was turned down. */
  refused: false,
  busy: false,
  summary: null as BulkSummary | null,
})

/** rowLabel names a conversation as the supervisor sees it: contact and protocol. */
export function rowLabel(c: Conversation): string {
  const who = c.contact.name || c.contact.phone || ''
  return c.protocol ? `${who} #${c.protocol}` : who
}

export function isSelected(id: string): boolean {
  return selection.items.some((c) => c.id === id)
}

/**
 * toggle ticks or unticks c. A tick over MAX_BULK is refused (false):
 * the row's checkbox must stay unticked.
 */
export function toggle(c: Conversation, on: boolean): boolean {
  const i = selection.items.findIndex((x) => x.id === c.id)
  if (!on) {
    if (i >= 0) selection.items.splice(i, 1)
    selection.refused = false
    return true
  }
  if (i >= 0) return true
  if (selection.items.length >= MAX_BULK) {
    selection.refused = true
    return false
  }
  selection.items.push(c)
  selection.refused = false
  selection.summary = null
  return true
}

export function clearSelection(): void {
  selection.items = []
  selection.refused = false
}

/** selectedBots are the bots of the ticked conversations (a transfer needs one). */
export function selectedBots(): string[] {
  return [...new Set(selection.items.map((c) => c.bot_id))]
}

/**
 * runBulk acts on the selection. Those that succeeded leave the selection;
 * the refused ones stay ticked, to retry or untick. A refusal of the whole
 * request (422 and the like) is thrown for the caller to word.
 */
export async function runBulk(action: BulkAction, transfer?: TransferTarget & { reason_id: string; note: string }): Promise<BulkSummary> {
  const items = selection.items.slice()
  selection.busy = true
  try {
    const res = (await api.post('/api/v1/conversations/bulk', {
      body: { action, ids: items.map((c) => c.id), ...(transfer ?? {}) },
    })) as { results: BulkResult[] }
    const byId = new Map(items.map((c) => [c.id, c]))
    const failed: BulkFailure[] = []
    let ok = 0
    for (const r of res.results) {
      if (r.ok) {
        ok++
        continue
      }
      const c = byId.get(r.id)
      failed.push({ id: r.id, label: c ? rowLabel(c) : r.id, code: r.error?.code ?? '', message: r.error?.message ?? '' })
    }
    const done = new Set(res.results.filter((r) => r.ok).map((r) => r.id))
    selection.items = selection.items.filter((c) => !done.has(c.id))
    selection.refused = false
    selection.summary = { action, ok, failed }
    return selection.summary
  } finally {
    selection.busy = false
  }
}
