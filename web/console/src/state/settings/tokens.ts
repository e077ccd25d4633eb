// Settings → API tokens (admins only: the API lists tokens to admins
// alone). The list never holds a token's secret: POST answers it once and
// the form hands it to the dialog that shows it, not to this state.
import { reactive } from 'vue'
import { api } from '../../api/client'
import type { Bot, Token } from '../../api/types'
import { byName, search } from './common'

export interface TokenDraft {
  name: string
  /** bot_id: the bot the token acts as; empty for one that acts for all bots. */
  bot_id: string
  /** rate: requests a second, or null for the server's default. */
  rate: number | null
}

/** Listed: a token as the list shows it (who made it is not shown). */
export type Listed = Omit<Token, 'created_by'>

export const tokens = reactive({
  list: [] as Listed[],
  bots: [] as Bot[],
  loaded: false,
  error: null as unknown,
})

export async function loadTokens(): Promise<void> {
  tokens.error = null
  try {
    const [list, bots] = await Promise.all([api.get('/api/v1/tokens'), api.get('/api/v1/bots')])
    tokens.list = byName(list.items)
    tokens.bots = bots.items
  } catch (e) {
    tokens.error = e
  } finally {
    tokens.loaded = true
  }
}

export function botName(id: string): string {
  return tokens.bots.find((b) => b.id === id)?.name ?? ''
}

/** searchTokens matches the token's name or its bot's. */
export function searchTokens(q: string): Listed[] {
  return search(tokens.list, q, (t) => [t.name, botName(t.bot_id)])
}

/**
 * rateOf reads a rate field: blank is the server's default (null); what
 * is typed goes to the server as typed, which says what it refuses.
 */
export function rateOf(v: number | string | null): number | null {
  return v === '' || v === null ? null : Number(v)
}

function put(t: Listed): void {
  const i = tokens.list.findIndex((x) => x.id === t.id)
  if (i >= 0) tokens.list[i] = t
  else tokens.list.push(t)
  byName(tokens.list)
}

/** createToken answers the new token and its secret, which is shown once. */
export async function createToken(d: TokenDraft): Promise<{ token: Listed; secret: string }> {
  const body = { name: d.name, ...(d.bot_id ? { bot_id: d.bot_id } : {}), ...(d.rate !== null ? { rate_limit: d.rate } : {}) }
  const { token: secret, ...made } = await api.post('/api/v1/tokens', { body })
  const token: Listed = { ...made, last_used_at: null }
  put(token)
  return { token, secret }
}

export async function setRate(id: string, rate: number | null): Promise<Token> {
  const t = (await api.patch('/api/v1/tokens/{id}', { path: { id }, body: { rate_limit: rate } })) as Token
  put(t)
  return t
}

/**
 * usedAgo says how long ago iso was in the user's language ("3 minutes
 * ago"); the server writes a token's last use at most once a minute, so
 * minutes are as exact as it gets.
 */
export function usedAgo(iso: string, now: number, locale: string): string {
  const s = Math.max(0, (now - Date.parse(iso)) / 1000)
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  if (s < 3600) return rtf.format(-Math.floor(s / 60), 'minute')
  if (s < 86400) return rtf.format(-Math.floor(s / 3600), 'hour')
  return rtf.format(-Math.floor(s / 86400), 'day')
}

export async function revokeToken(id: string): Promise<void> {
  await api.delete('/api/v1/tokens/{id}', { path: { id } })
  tokens.list = tokens.list.filter((t) => t.id !== id)
}
