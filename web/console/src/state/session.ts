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
  /** needsSetup: the server has no admin yet; the setup page is the way in. */
  needsSetup: false,
  /** passwordMin is the server's password rule (desk), for the forms' hints. */
  passwordMin: 8,
  /** serverRead: GET /api/v1/server has answered once. */
  serverRead: false,
  /** publicUrl: where browsers and Meta reach the server (--public-url). */
  publicUrl: '',
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

/**
 * loadServer reads what the server is. It is public: the router asks it
 * before anything else, to know whether the setup page is the way in.
 */
export async function loadServer(): Promise<void> {
  try {
    const info = await api.get('/api/v1/server')
    session.demo = info.demo
    session.needsSetup = info.needs_setup
    session.passwordMin = info.password_min_length
    session.publicUrl = info.public_url
  } catch {
    // Only labels depend on it; the console works without.
  } finally {
    session.serverRead = true
  }
}

/** setup creates the first admin (POST /api/v1/setup) and logs them in. */
export async function setup(name: string, email: string, password: string): Promise<User> {
  const res = await api.post('/api/v1/setup', { body: { name, email, password }, own401: true })
  session.needsSetup = false
  return started(res.user as User)
}

export async function login(email: string, password: string): Promise<User> {
  const res = await api.post('/api/v1/auth/login', { body: { email, password }, own401: true })
  return started(res.user as User)
}

/** started begins the session of a user just logged in. */
function started(u: User): User {
  session.me = u
  session.expired = false
  session.checked = true
  socket.start()
  void loadServer()
  return u
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
