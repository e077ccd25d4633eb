// Who is logged in, and the session's lifecycle: login, logout, expiry
// (any 401 sends the user back to the login page; drafts stay in
// localStorage, see drafts.ts), and the real-time socket that lives as long
// as the session.
import { reactive } from 'vue'
import { api, ApiError } from '../api/client'
import type { User, UserStatus } from '../api/types'
import { RealtimeSocket } from '../realtime/socket'
import { setServerTime } from '../lib/clock'

export const session = reactive({
  me: null as User | null,
  /** expired is set when a 401 ended the session (the login page says so). */
  expired: false,
  checked: false,
  /** demo is set on a server started with --demo (GET /api/v1/server). */
  demo: false,
})

export const socket = new RealtimeSocket(() => {
  void checkSession()
})

socket.on((f) => {
  if (f.type === 'hello') {
    const d = f.data as { server_time?: string } | undefined
    if (d?.server_time) setServerTime(d.server_time)
  }
  if (f.type === 'agent.status' && session.me) {
    const d = f.data as { user_id: string; status: UserStatus; pause_reason: string }
    if (d.user_id === session.me.id) {
      session.me.status = d.status
      session.me.pause_reason = d.pause_reason
    }
  }
})

/** loadMe reads the current user, if the session cookie is still good. */
export async function loadMe(): Promise<User | null> {
  try {
    session.me = (await api.get('/api/v1/me', { own401: true })) as User
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e
    session.me = null
  } finally {
    session.checked = true
  }
  if (session.me) {
    socket.start()
    void loadServer()
  }
  return session.me
}

/** loadServer reads what the server is (once a user is logged in). */
async function loadServer(): Promise<void> {
  try {
    session.demo = (await api.get('/api/v1/server')).demo
  } catch {
    // Only a label depends on it; the console works without.
  }
}

export async function login(email: string, password: string): Promise<User> {
  const res = await api.post('/api/v1/auth/login', { body: { email, password }, own401: true })
  session.me = res.user as User
  session.expired = false
  session.checked = true
  socket.start()
  void loadServer()
  return session.me
}

export async function logout(): Promise<void> {
  socket.stop()
  try {
    await api.post('/api/v1/auth/logout', { own401: true })
  } finally {
    session.me = null
  }
}

/** expire ends the session locally after a 401. */
export function expire(): void {
  if (!session.me) return
  socket.stop()
  session.me = null
  session.expired = true
}

async function checkSession(): Promise<void> {
  try {
    // Not own401: a 401 here (a supervisor logged this user out) takes the
    // console to the login page like any other 401.
    await api.get('/api/v1/me')
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) expire()
  }
}

export async function setStatus(status: UserStatus, pauseReason = ''): Promise<void> {
  session.me = (await api.put('/api/v1/me/status', { body: { status, pause_reason: pauseReason } })) as User
}

/** seesAll: auditors, supervisors and admins read every conversation of their bots. */
export function seesAll(): boolean {
  const r = session.me?.role
  return r === 'auditor' || r === 'supervisor' || r === 'admin'
}

/** supervises: supervisors and admins act on others' conversations. */
export function supervises(): boolean {
  const r = session.me?.role
  return r === 'supervisor' || r === 'admin'
}
