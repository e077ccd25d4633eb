// Settings → Transfer reasons: the conversation types an agent picks when
// transferring (reports count them). A reason is for every bot or for one;
// the API lists the global ones and those of the caller's bots. New ones
// join the desk's catalog at once, so the transfer dialog offers them.
import { reactive } from 'vue'
import { api } from '../../api/client'
import type { Bot, Reason } from '../../api/types'
import { catalog } from '../catalog'
import { byName, search, upsert } from './common'

export interface ReasonDraft {
  name: string
  /** bot_id: empty for every bot. */
  bot_id: string
}

export const reasons = reactive({
  list: [] as Reason[],
  bots: [] as Bot[],
  loaded: false,
  error: null as unknown,
})

export async function loadReasons(): Promise<void> {
  reasons.error = null
  try {
    const [list, bots] = await Promise.all([api.get('/api/v1/reasons'), api.get('/api/v1/bots')])
    reasons.list = list.items
    reasons.bots = bots.items
  } catch (e) {
    reasons.error = e
  } finally {
    reasons.loaded = true
  }
}

export function reasonBot(r: Reason): string {
  return r.bot_id ? (reasons.bots.find((b) => b.id === r.bot_id)?.name ?? '') : ''
}

export function searchReasons(q: string): Reason[] {
  return search(reasons.list, q, (r) => [r.name, reasonBot(r)])
}

export async function createReason(d: ReasonDraft): Promise<Reason> {
  const r = (await api.post('/api/v1/reasons', { body: d.bot_id ? { name: d.name, bot_id: d.bot_id } : { name: d.name } })) as Reason
  reasons.list.push(r)
  byName(reasons.list)
  if (catalog.loaded) {
    catalog.reasons.push(r)
    byName(catalog.reasons)
  }
  return r
}

export async function renameReason(id: string, name: string): Promise<Reason> {
  const r = (await api.patch('/api/v1/reasons/{id}', { path: { id }, body: { name } })) as Reason
  upsert(reasons.list, r)
  if (catalog.loaded) upsert(catalog.reasons, r)
  return r
}

/** deleteReason stops offering it; past transfers keep its name. */
export async function deleteReason(id: string): Promise<void> {
  await api.delete('/api/v1/reasons/{id}', { path: { id } })
  reasons.list = reasons.list.filter((r) => r.id !== id)
  if (catalog.loaded) catalog.reasons = catalog.reasons.filter((r) => r.id !== id)
}
