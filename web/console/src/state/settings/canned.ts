// Settings → Canned replies: a bot's (its supervisors and admins manage
// them) and each user's personal ones (their owner alone). Who may write
// which is the API's rule (desk.CheckWriteCanned); this mirrors it only to
// hide buttons. The API answers at most 50 per search, so the search box
// asks the server instead of filtering a full list.
import { reactive } from 'vue'
import { api } from '../../api/client'
import type { Attachment, Bot, CannedReply } from '../../api/types'
import { session, supervises } from '../session'

export interface CannedDraft {
  /** scope: a bot's id, or '' for a personal reply. */
  scope: string
  shortcut: string
  text: string
  /** attachment: the one file sent with the text, already uploaded; null for none. */
  attachment: Attachment | null
}

export const canned = reactive({
  list: [] as CannedReply[],
  bots: [] as Bot[],
  loaded: false,
  error: null as unknown,
})

let asked = 0

/** loadCanned reads the replies matching q (all of them when blank); a late answer to an older search is dropped. */
export async function loadCanned(q = ''): Promise<void> {
  const n = ++asked
  canned.error = null
  try {
    const [list, bots] = await Promise.all([
      api.get('/api/v1/canned-replies', { query: q.trim() ? { q: q.trim() } : {} }),
      canned.bots.length ? Promise.resolve({ items: canned.bots }) : api.get('/api/v1/bots'),
    ])
    if (n !== asked) return
    canned.list = sorted(list.items)
    canned.bots = bots.items
  } catch (e) {
    if (n === asked) canned.error = e
  } finally {
    if (n === asked) canned.loaded = true
  }
}

function sorted(list: CannedReply[]): CannedReply[] {
  return list.sort((a, b) => a.shortcut.localeCompare(b.shortcut) || (a.bot_id ?? '').localeCompare(b.bot_id ?? ''))
}

export function botName(id: string | null | undefined): string {
  return canned.bots.find((b) => b.id === id)?.name ?? ''
}

/** botsToManage: the bots whose replies this user may write (supervisors and admins). */
export function botsToManage(): Bot[] {
  return supervises() ? canned.bots : []
}

/** mayEdit: personal replies by their owner, a bot's by its supervisors and admins. */
export function mayEdit(c: CannedReply): boolean {
  if (c.owner_id) return c.owner_id === session.me?.id
  return supervises()
}

function put(c: CannedReply): void {
  const i = canned.list.findIndex((x) => x.id === c.id)
  if (i >= 0) canned.list[i] = c
  else canned.list.push(c)
  sorted(canned.list)
}

export async function createCanned(d: CannedDraft): Promise<CannedReply> {
  const scope = d.scope ? { bot_id: d.scope } : { personal: true }
  const body = { ...scope, shortcut: d.shortcut, text: d.text, attachment_ids: d.attachment ? [d.attachment.id] : [] }
  const c = (await api.post('/api/v1/canned-replies', { body })) as CannedReply
  put(c)
  return c
}

export async function updateCanned(id: string, d: CannedDraft): Promise<CannedReply> {
  const c = (await api.patch('/api/v1/canned-replies/{id}', { path: { id }, body: { shortcut: d.shortcut, text: d.text, attachment_ids: d.attachment ? [d.attachment.id] : [] } })) as CannedReply
  put(c)
  return c
}

export async function deleteCanned(id: string): Promise<void> {
  await api.delete('/api/v1/canned-replies/{id}', { path: { id } })
  canned.list = canned.list.filter((c) => c.id !== id)
}
