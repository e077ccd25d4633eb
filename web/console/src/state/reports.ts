// The reports screen (/reports): the filters (kept in the URL so a view
// can be bookmarked), how they become the API's query, and the four
// reports. Dates are days in the browser's time zone: a day range becomes
// two RFC 3339 instants (local midnight of the first day, local midnight
// after the last: the API's `to` is exclusive) and the zone's name goes
// along where the API cuts hours (`tz`).
import type { LocationQuery } from 'vue-router'
import { api } from '../api/client'
import type { ReportRow } from '../api/types'
import type { components } from '../api/schema'

type S = components['schemas']
export type AgentStats = S['AgentStats']
export type QueueHour = S['QueueHour']
export type ReasonCount = S['ReasonCount']
/** BotStats: top_handover_steps is added to the bots report by another change; shown when present. */
export type BotStats = S['BotStats'] & { top_handover_steps?: { node_id: string; count: number }[] }

export const REPORT_TABS = ['conversations', 'agents', 'queues', 'bots', 'csat', 'calls'] as const
export type ReportTab = (typeof REPORT_TABS)[number]

export interface ReportFilters {
  /** from and to are days (YYYY-MM-DD) in the browser's zone, both included. */
  from: string
  to: string
  bot: string
  team: string
  agent: string
  channel: string
  protocol: string
  tab: ReportTab
}

/** timeZone is the browser's IANA zone, the one dates are read in. */
export function timeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/** day formats a local date as YYYY-MM-DD. */
export function day(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** localMidnight is the instant a local day starts (null for a malformed day). */
export function localMidnight(s: string, plusDays = 0): Date | null {
  const m = DAY.exec(s)
  if (!m) return null
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays)
  return Number.isNaN(d.getTime()) ? null : d
}

function one(q: LocationQuery, k: string): string {
  const v = q[k]
  return typeof v === 'string' ? v : ''
}

/** filtersFrom reads the URL; the default range is the last 7 days, today included. */
export function filtersFrom(q: LocationQuery): ReportFilters {
  const today = new Date()
  const weekAgo = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6)
  const from = localMidnight(one(q, 'from')) ? one(q, 'from') : day(weekAgo)
  const to = localMidnight(one(q, 'to')) ? one(q, 'to') : day(today)
  const tab = (REPORT_TABS as readonly string[]).includes(one(q, 'tab')) ? (one(q, 'tab') as ReportTab) : 'conversations'
  return { from, to, bot: one(q, 'bot'), team: one(q, 'team'), agent: one(q, 'agent'), channel: one(q, 'channel'), protocol: one(q, 'protocol'), tab }
}

/** toQuery is the URL form of the filters (empty ones left out). */
export function toQuery(f: ReportFilters): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(f)) if (v) out[k] = v
  return out
}

/** period is the range as the API's instants: from inclusive, to exclusive. */
export function period(f: ReportFilters): { from: string; to: string } {
  const from = localMidnight(f.from) ?? new Date()
  const to = localMidnight(f.to, 1) ?? new Date()
  return { from: from.toISOString(), to: to.toISOString() }
}

/** conversationQuery is the conversations report's query (JSON and CSV alike). */
export function conversationQuery(f: ReportFilters): Record<string, string> {
  const q: Record<string, string> = { ...period(f), phase: 'all' }
  if (f.bot) q.bot = f.bot
  if (f.team) q.team = f.team
  if (f.agent) q.assignee = f.agent
  if (f.channel) q.channel = f.channel
  if (f.protocol.trim()) q.protocol = f.protocol.trim()
  return q
}

/** csvHref is the download address of the conversations CSV with the same filters. */
export function csvHref(f: ReportFilters): string {
  return '/api/v1/reports/conversations?' + new URLSearchParams({ ...conversationQuery(f), format: 'csv' }).toString()
}

export const PAGE_SIZE = 50

/** loadConversations reads one page of the conversations report. */
export async function loadConversations(f: ReportFilters, cursor: string): Promise<{ items: ReportRow[]; next: string }> {
  const p = await api.get('/api/v1/reports/conversations', {
    query: { ...conversationQuery(f), limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
  })
  return { items: p.items as ReportRow[], next: p.next_cursor ?? '' }
}

function scoped(f: ReportFilters): { from: string; to: string; bot?: string } {
  return { ...period(f), ...(f.bot ? { bot: f.bot } : {}) }
}

/** loadCsat reads customer satisfaction (components/reports/CsatReport.vue). */
export async function loadCsat(f: ReportFilters): Promise<components['schemas']['CsatReportResponse'][]> {
  return [await api.get('/api/v1/reports/csat', { query: scoped(f) })]
}

/** loadCalls reads the calls report (components/reports/CallsReport.vue). */
export async function loadCalls(f: ReportFilters): Promise<components['schemas']['CallsReportResponse'][]> {
  return [await api.get('/api/v1/reports/calls', { query: scoped(f) })]
}

/** loadAgents reads the per-agent figures; an agent filter keeps that agent's row. */
export async function loadAgents(f: ReportFilters): Promise<AgentStats[]> {
  const r = await api.get('/api/v1/reports/agents', { query: scoped(f) })
  return r.items.filter((a) => !f.agent || a.agent_id === f.agent)
}

/**
 * loadQueues reads per team and hour, hours cut in the browser's zone;
 * with businessTime the waits count only the bots' business hours.
 */
export async function loadQueues(f: ReportFilters, businessTime = false): Promise<QueueHour[]> {
  const query = { ...scoped(f), tz: timeZone(), ...(f.team ? { team: f.team } : {}), ...(businessTime ? { business_time: 'true' } : {}) }
  const r = await api.get('/api/v1/reports/queues', { query })
  return r.items
}

/** loadBots reads the per-bot figures. */
export async function loadBots(f: ReportFilters): Promise<BotStats[]> {
  const r = await api.get('/api/v1/reports/bots', { query: scoped(f) })
  return r.items as BotStats[]
}

/** transfersByReason adds the agents' transfers up per reason, most first. */
export function transfersByReason(agents: AgentStats[]): ReasonCount[] {
  const by = new Map<string, ReasonCount>()
  for (const a of agents)
    for (const r of a.transfers_out) {
      const c = by.get(r.reason_id) ?? { reason_id: r.reason_id, name: r.name, count: 0 }
      c.count += r.count
      by.set(r.reason_id, c)
    }
  return [...by.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
}

/** HourTotal is one hour of the queues report over every team shown. */
export interface HourTotal {
  hour: string
  queued: number
  abandoned: number
}

/** perHour adds the teams' queued and abandoned up per hour, in time order. */
export function perHour(items: QueueHour[]): HourTotal[] {
  const by = new Map<number, HourTotal>()
  for (const q of items) {
    const k = Date.parse(q.hour)
    const h = by.get(k) ?? { hour: q.hour, queued: 0, abandoned: 0 }
    h.queued += q.queued
    h.abandoned += q.abandoned
    by.set(k, h)
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v)
}

/**
 * busiestTeam is the team whose waits the wait chart shows: medians of
 * different teams cannot be added up, so one team at a time (the filtered
 * one, else the one with the most waits).
 */
export function busiestTeam(items: QueueHour[]): string | null {
  const by = new Map<string, number>()
  for (const q of items) by.set(q.team_id, (by.get(q.team_id) ?? 0) + q.queued)
  let best: string | null = null
  for (const [k, v] of by) if (best === null || v > (by.get(best) ?? 0)) best = k
  return best
}
