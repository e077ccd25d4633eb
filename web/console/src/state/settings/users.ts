// Settings → Users: the list (searched here: the API answers every user
// the caller may see in one page), and the writes, each answered by the
// server's own copy of the user. Supervisors read; the API refuses their
// writes, and the screen offers none.
import { reactive } from 'vue'
import { api } from '../../api/client'
import type { Bot, Role, Team, User } from '../../api/types'
import { byName, search } from './common'

export { canWrite } from './common'

export interface UserDraft {
  name: string
  email: string
  role: Role
  max_chats: number
  bot_ids: string[]
  team_ids: string[]
  /** password: required on create; on edit, empty keeps the current one. */
  password: string
}

export const users = reactive({
  list: [] as User[],
  bots: [] as Bot[],
  teams: [] as Team[],
  loaded: false,
  error: null as unknown,
})

export async function loadUsers(): Promise<void> {
  users.error = null
  try {
    const [list, bots, teams] = await Promise.all([api.get('/api/v1/users'), api.get('/api/v1/bots'), api.get('/api/v1/teams')])
    users.list = list.items as User[]
    users.bots = bots.items
    users.teams = teams.items
  } catch (e) {
    users.error = e
  } finally {
    users.loaded = true
  }
}

/** search matches name or email, ignoring case and accents. */
export function searchUsers(q: string): User[] {
  return search(users.list, q, (u) => [u.name, u.email])
}

function put(u: User): void {
  const i = users.list.findIndex((x) => x.id === u.id)
  if (i >= 0) users.list[i] = u
  else users.list.push(u)
  byName(users.list)
}

export async function createUser(d: UserDraft): Promise<User> {
  const u = (await api.post('/api/v1/users', { body: { ...d } })) as User
  put(u)
  return u
}

/** updateUser sends the draft; a password only when one was typed (a reset). */
export async function updateUser(id: string, d: UserDraft): Promise<User> {
  const { password, ...rest } = d
  const u = (await api.patch('/api/v1/users/{id}', { path: { id }, body: password ? { ...rest, password } : rest })) as User
  put(u)
  return u
}

export async function deleteUser(id: string): Promise<void> {
  await api.delete('/api/v1/users/{id}', { path: { id } })
  users.list = users.list.filter((u) => u.id !== id)
}
