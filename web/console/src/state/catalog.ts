// What the desk names things with: the user's bots (with their waiting
// counts, kept live), teams, reasons, tags, channels and the people of
// those bots. Loaded once per session, refreshed when the floor moves.
import { reactive } from 'vue'
import { api } from '../api/client'
import type { Bot, Channel, Colleague, Page, Reason, Tag, Team } from '../api/types'
import { session, socket, supervises } from './session'
import type { TagDeleted } from '../../../realtime/frames'

export const catalog = reactive({
  bots: [] as Bot[],
  teams: [] as Team[],
  reasons: [] as Reason[],
  tags: [] as Tag[],
  channels: [] as Channel[],
  /** people are the members of the user's bots, by id. */
  people: {} as Record<string, Colleague>,
  loaded: false,
})

let loading: Promise<void> | null = null

/** loadCatalog reads everything once (again after a logout). */
export function loadCatalog(): Promise<void> {
  if (catalog.loaded) return Promise.resolve()
  loading ??= (async () => {
    const [bots, teams, reasons, tags] = await Promise.all([
      api.get('/api/v1/bots'),
      api.get('/api/v1/teams'),
      api.get('/api/v1/reasons'),
      api.get('/api/v1/tags'),
    ])
    catalog.bots = bots.items
    catalog.teams = teams.items
    catalog.reasons = reasons.items
    catalog.tags = tags.items
    catalog.loaded = true
    // Names of people and channels are for filters and timelines: they
    // follow without holding up the first screen.
    void loadPeople().catch(() => undefined)
    if (supervises()) {
      void api
        .get('/api/v1/channels')
        .then((ch) => (catalog.channels = ch.items as Channel[]))
        .catch(() => undefined)
    }
  })().finally(() => {
    loading = null
  })
  return loading
}

/** resetCatalog forgets everything (logout). */
export function resetCatalog(): void {
  catalog.loaded = false
  catalog.bots = []
  catalog.people = {}
}

/** loadPeople reads the members of the user's bots with their status. */
export async function loadPeople(): Promise<void> {
  const pages = await Promise.all(
    catalog.bots.map((b) => api.get('/api/v1/bots/{id}/agents', { path: { id: b.id }, query: { status: 'any' } })),
  )
  const people: Record<string, Colleague> = {}
  for (const p of pages) for (const c of (p as Page<Colleague>).items) people[c.id] = c
  if (session.me) {
    const me = session.me
    people[me.id] = { id: me.id, name: me.name, role: me.role, status: me.status, team_ids: me.team_ids }
  }
  catalog.people = people
}

/** onlineColleagues lists who a conversation of bot can be transferred to. */
export async function onlineColleagues(botID: string): Promise<Colleague[]> {
  const p = (await api.get('/api/v1/bots/{id}/agents', { path: { id: botID } })) as Page<Colleague>
  for (const c of p.items) catalog.people[c.id] = c
  return p.items
}

let botsTimer: ReturnType<typeof setTimeout> | null = null

/** refreshBots re-reads the waiting counts, at most twice a second. */
export function refreshBots(): void {
  if (botsTimer) return
  botsTimer = setTimeout(async () => {
    botsTimer = null
    try {
      catalog.bots = (await api.get('/api/v1/bots')).items
    } catch {
      // the next change tries again
    }
  }, 500)
}

export function personName(id: string | null | undefined): string {
  return id ? (catalog.people[id]?.name ?? '') : ''
}

export function teamName(id: string | null | undefined): string {
  return id ? (catalog.teams.find((t) => t.id === id)?.name ?? '') : ''
}

export function tagOf(id: string): Tag | undefined {
  return catalog.tags.find((t) => t.id === id)
}

export function botName(id: string): string {
  return catalog.bots.find((b) => b.id === id)?.name ?? ''
}

socket.on((f) => {
  if (f.type === 'conversation.updated') refreshBots()
  // A deleted tag leaves the filters and tag pickers at once (the
  // conversations that had it drop it in queue.ts and conversation.ts).
  if (f.type === 'tag.deleted') {
    const id = (f.data as TagDeleted).tag_id
    catalog.tags = catalog.tags.filter((x) => x.id !== id)
  }
  if (f.type === 'agent.status') {
    const d = f.data as { user_id: string; name: string; status: Colleague['status'] }
    const p = catalog.people[d.user_id]
    if (p) p.status = d.status
  }
})
