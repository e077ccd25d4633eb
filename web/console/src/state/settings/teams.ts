// Settings → Teams: the teams the caller's bots have, with the bots and
// users the form picks from (a team's members are users of its bot). Each
// write is answered by the server's copy of the team, which replaces ours
// here and in the desk's catalog (transfers to a team name them).
import { reactive } from 'vue'
import { api } from '../../api/client'
import type { Bot, Team, User } from '../../api/types'
import { catalog } from '../catalog'
import { byName, search } from './common'

export interface TeamDraft {
  name: string
  /** bot_id is chosen once, at creation: the API does not move a team. */
  bot_id: string
  member_ids: string[]
  assignment: 'manual' | 'automatic'
  /** re-offer delay in minutes; 0 or empty: off (the API takes seconds). */
  reoffer_minutes: number | ''
}

export const teams = reactive({
  list: [] as Team[],
  bots: [] as Bot[],
  users: [] as User[],
  loaded: false,
  error: null as unknown,
})

export async function loadTeams(): Promise<void> {
  teams.error = null
  try {
    const [list, bots, users] = await Promise.all([api.get('/api/v1/teams'), api.get('/api/v1/bots'), api.get('/api/v1/users')])
    teams.list = list.items
    teams.bots = bots.items
    teams.users = users.items as User[]
  } catch (e) {
    teams.error = e
  } finally {
    teams.loaded = true
  }
}

export function botName(id: string): string {
  return teams.bots.find((b) => b.id === id)?.name ?? ''
}

export function userName(id: string): string {
  return teams.users.find((u) => u.id === id)?.name ?? ''
}

/** usersOfBot are who can be a member of a team of that bot. */
export function usersOfBot(botID: string): User[] {
  return teams.users.filter((u) => u.bot_ids.includes(botID))
}

/** searchTeams matches the team's name, its bot's or a member's. */
export function searchTeams(q: string): Team[] {
  return search(teams.list, q, (t) => [t.name, botName(t.bot_id), ...t.member_ids.map(userName)])
}

function put(t: Team): void {
  for (const list of [teams.list, catalog.teams]) {
    const i = list.findIndex((x) => x.id === t.id)
    if (i >= 0) list[i] = t
    else list.push(t)
    byName(list)
  }
}

/** assignmentOf is the draft's assignment settings as the API takes them. */
function assignmentOf(d: TeamDraft) {
  return { assignment: d.assignment, reoffer_after: Math.round((Number(d.reoffer_minutes) || 0) * 60) }
}

export async function createTeam(d: TeamDraft): Promise<Team> {
  const t = (await api.post('/api/v1/teams', { body: { name: d.name, bot_id: d.bot_id, member_ids: d.member_ids, ...assignmentOf(d) } })) as Team
  put(t)
  return t
}

export async function updateTeam(id: string, d: TeamDraft): Promise<Team> {
  const t = (await api.patch('/api/v1/teams/{id}', { path: { id }, body: { name: d.name, member_ids: d.member_ids, ...assignmentOf(d) } })) as Team
  put(t)
  return t
}

export async function deleteTeam(id: string): Promise<void> {
  await api.delete('/api/v1/teams/{id}', { path: { id } })
  teams.list = teams.list.filter((t) => t.id !== id)
  catalog.teams = catalog.teams.filter((t) => t.id !== id)
}
