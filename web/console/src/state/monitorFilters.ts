// The monitor's filters (agents, teams, channels, contact, protocol): held
// in the URL so a view can be bookmarked, sent to the server with the first
// read, and applied to every live frame by the same predicate (matches), so
// the lists, the counters and the Teams tab always agree.
//
// Why the counters are counted from the lists when a filter is on: the
// phase lists of a filtered view hold every matching open conversation
// (loadPhase reads them all), and each conversation.updated frame carries
// the whole conversation, so one predicate decides whether it enters, moves
// or leaves a list. The server's monitor.counters pushes count the whole
// floor and cannot follow a filter; polling is not allowed.
import { reactive } from 'vue'
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import type { Conversation } from '../api/types'

export interface MonitorFilters {
  agents: string[]
  teams: string[]
  channels: string[]
  /** contact is a contact's exact name or phone. */
  contact: string
  protocol: string
}

/** The filters' names in the console's URL (readable bookmarks). */
const KEYS = { agents: 'agent', teams: 'team', channels: 'channel', contact: 'contact', protocol: 'protocol' } as const

export const filters = reactive<MonitorFilters>(emptyFilters())

export function emptyFilters(): MonitorFilters {
  return { agents: [], teams: [], channels: [], contact: '', protocol: '' }
}

function ids(v: LocationQuery[string]): string[] {
  const raw = Array.isArray(v) ? v.join(',') : (v ?? '')
  return [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))]
}

function text(v: LocationQuery[string]): string {
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim()
}

/** fromQuery reads the filters out of the route's query. */
export function fromQuery(q: LocationQuery): MonitorFilters {
  return {
    agents: ids(q[KEYS.agents]),
    teams: ids(q[KEYS.teams]),
    channels: ids(q[KEYS.channels]),
    contact: text(q[KEYS.contact]),
    protocol: text(q[KEYS.protocol]),
  }
}

/** toQuery writes f into a query, dropping empty filters (undefined removes them from the URL). */
export function toQuery(f: MonitorFilters): LocationQueryRaw {
  const list = (l: string[]) => (l.length ? l.join(',') : undefined)
  return {
    [KEYS.agents]: list(f.agents),
    [KEYS.teams]: list(f.teams),
    [KEYS.channels]: list(f.channels),
    [KEYS.contact]: f.contact || undefined,
    [KEYS.protocol]: f.protocol || undefined,
  }
}

/** sameFilters tells whether two filter sets select the same conversations. */
export function sameFilters(a: MonitorFilters, b: MonitorFilters): boolean {
  return JSON.stringify(toQuery(a)) === JSON.stringify(toQuery(b))
}

/** filtering tells whether any filter is on. */
export function filtering(f: MonitorFilters = filters): boolean {
  return f.agents.length + f.teams.length + f.channels.length > 0 || f.contact !== '' || f.protocol !== ''
}

/** apiQuery is f in the API's names (GET /api/v1/conversations and /api/v1/monitor). */
export function apiQuery(f: MonitorFilters = filters) {
  const list = (l: string[]) => (l.length ? l.join(',') : undefined)
  return {
    assignee: list(f.agents),
    team: list(f.teams),
    channel: list(f.channels),
    contact: f.contact || undefined,
    protocol: f.protocol || undefined,
  }
}

/**
 * matches is the one predicate of the floor: the server's list filter
 * (internal/store/list.go) in the browser. botId 'all' is every bot of
 * the user (the server only sends those).
 */
export function matches(c: Conversation, botId: string, f: MonitorFilters = filters): boolean {
  if (botId !== 'all' && c.bot_id !== botId) return false
  if (f.agents.length && !(c.assignee_id && f.agents.includes(c.assignee_id))) return false
  if (f.teams.length && !(c.team_id && f.teams.includes(c.team_id))) return false
  if (f.channels.length && !f.channels.includes(c.channel_id)) return false
  if (f.contact && c.contact.name !== f.contact && c.contact.phone !== f.contact) return false
  if (f.protocol && c.protocol !== f.protocol) return false
  return true
}
