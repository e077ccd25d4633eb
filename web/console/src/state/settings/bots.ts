// Settings → Bots: the caller's bots with the users the form picks members
// from. A bot's auto-close travels in seconds; the form enters hours and
// minutes, converted here. Each write is answered by the server's copy of
// the bot, which replaces ours here and in the desk's catalog (which keeps
// its live waiting count).
import { reactive } from 'vue'
import { api } from '../../api/client'
import type { Bot, User } from '../../api/types'
import { catalog } from '../catalog'
import { byName, search } from './common'
import { hoursDraft, type HoursDraft } from './hours'

/** The customer languages a bot's notices have variants for (desk.CustomerLanguages). */
export const NOTICE_LANGUAGES = ['en', 'es', 'pt-BR'] as const
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number]
export const NOTICE_KINDS = ['queued', 'assigned', 'resolved', 'out_of_hours'] as const
export type NoticeKind = (typeof NOTICE_KINDS)[number]
export type NoticeTexts = Record<NoticeKind, string>

export interface BotDraft {
  name: string
  member_ids: string[]
  /** hours and minutes of auto-close; both empty: the server's default. */
  hours: number | ''
  minutes: number | ''
  /** base: the notices for a customer of no known language; the others
   *  override them text by text (empty: the base text). */
  notices: { base: NoticeTexts } & Record<NoticeLanguage, NoticeTexts>
  handover_keywords: string[]
  /** how conversations without a team are served */
  assignment: 'manual' | 'automatic'
  business_hours: HoursDraft
  /** csat: the satisfaction survey (questions by language; empty: the default). */
  csat: CsatDraft
  /** calls: off, audio or video, and whether customers may start one. */
  calls: CallsDraft
}

export interface CallsDraft {
  mode: 'off' | 'audio' | 'video'
  customer_may_start: boolean
}

export interface CsatDraft {
  enabled: boolean
  ask_comment: boolean
  question: Record<NoticeLanguage, string>
}

export const bots = reactive({
  list: [] as Bot[],
  users: [] as User[],
  loaded: false,
  error: null as unknown,
})

export async function loadBots(): Promise<void> {
  bots.error = null
  try {
    const [list, users] = await Promise.all([api.get('/api/v1/bots'), api.get('/api/v1/users')])
    bots.list = list.items
    bots.users = byName(users.items as User[])
  } catch (e) {
    bots.error = e
  } finally {
    bots.loaded = true
  }
}

export function userName(id: string): string {
  return bots.users.find((u) => u.id === id)?.name ?? ''
}

/** searchBots matches a bot's name, a member's or a handover keyword. */
export function searchBots(q: string): Bot[] {
  return search(bots.list, q, (b) => [b.name, ...b.member_ids.map(userName), ...b.handover_keywords])
}

/** splitSeconds is a delay as whole hours and the minutes left over. */
export function splitSeconds(s: number): { hours: number; minutes: number } {
  return { hours: Math.floor(s / 3600), minutes: Math.floor((s % 3600) / 60) }
}

/** toSeconds is hours and minutes as the API's seconds; 0 when both are empty (the server's default). */
export function toSeconds(hours: number | '', minutes: number | ''): number {
  return (Number(hours) || 0) * 3600 + (Number(minutes) || 0) * 60
}

function texts(n?: Partial<NoticeTexts>): NoticeTexts {
  return { queued: n?.queued ?? '', assigned: n?.assigned ?? '', resolved: n?.resolved ?? '', out_of_hours: n?.out_of_hours ?? '' }
}

/** draftOf is the form's copy of a bot; null: a new bot (the server's default notices). */
export function draftOf(b: Bot | null): BotDraft {
  const tr = b?.notices.translations ?? {}
  const hm = b ? splitSeconds(b.auto_close_after) : null
  return {
    name: b?.name ?? '',
    member_ids: [...(b?.member_ids ?? [])],
    hours: hm ? hm.hours : '',
    minutes: hm ? hm.minutes : '',
    notices: { base: texts(b?.notices), en: texts(tr.en), es: texts(tr.es), 'pt-BR': texts(tr['pt-BR']) },
    handover_keywords: [...(b?.handover_keywords ?? [])],
    assignment: b?.assignment ?? 'manual',
    csat: {
      enabled: b?.csat.enabled ?? false,
      ask_comment: b?.csat.ask_comment ?? false,
      question: { en: b?.csat.question.en ?? '', es: b?.csat.question.es ?? '', 'pt-BR': b?.csat.question['pt-BR'] ?? '' },
    },
    business_hours: hoursDraft(b),
    calls: { mode: b?.calls.mode ?? 'off', customer_may_start: b?.calls.customer_may_start ?? false },
  }
}

/**
 * noticeFor is what a customer in lang reads (the server's Notices.For):
 * the language's text, else the base one; lang null is the base.
 */
export function noticeFor(d: BotDraft, lang: NoticeLanguage | null, kind: NoticeKind): string {
  const own = lang ? d.notices[lang][kind] : ''
  return own.trim() ? own : d.notices.base[kind]
}

/**
 * body is the request for d. Auto-close is sent only when its hours or
 * minutes changed, so a delay of odd seconds set through the API survives
 * an unrelated edit.
 */
function body(d: BotDraft, old: Bot | null) {
  const out: {
    name: string
    member_ids: string[]
    notices: NoticeTexts & { translations: Record<string, NoticeTexts> }
    handover_keywords: string[]
    assignment: 'manual' | 'automatic'
    csat: CsatDraft
    calls: CallsDraft
    business_hours: HoursDraft
    auto_close_after?: number
  } = {
    name: d.name,
    member_ids: d.member_ids,
    notices: { ...d.notices.base, translations: Object.fromEntries(NOTICE_LANGUAGES.map((l) => [l, d.notices[l]])) },
    handover_keywords: d.handover_keywords,
    assignment: d.assignment,
    csat: d.csat,
    // Customers starting calls means nothing while calls are off.
    calls: { mode: d.calls.mode, customer_may_start: d.calls.mode !== 'off' && d.calls.customer_may_start },
    business_hours: d.business_hours,
  }
  const was = old ? splitSeconds(old.auto_close_after) : null
  if (!was || was.hours !== (Number(d.hours) || 0) || was.minutes !== (Number(d.minutes) || 0)) {
    out.auto_close_after = toSeconds(d.hours, d.minutes)
  }
  return out
}

function put(b: Bot): void {
  for (const list of [bots.list, catalog.bots]) {
    const i = list.findIndex((x) => x.id === b.id)
    if (i >= 0) list[i] = { ...list[i], ...b }
    else if (list === bots.list) list.push({ ...b, waiting: 0 })
    byName(list)
  }
}

export async function createBot(d: BotDraft): Promise<Bot> {
  const b = (await api.post('/api/v1/bots', { body: body(d, null) })) as Bot
  put(b)
  return b
}

export async function updateBot(old: Bot, d: BotDraft): Promise<Bot> {
  const b = (await api.patch('/api/v1/bots/{id}', { path: { id: old.id }, body: body(d, old) })) as Bot
  put(b)
  return b
}
