// The web channel form's fields and the config they make. The config is
// the channel's as read (masked secret, languages and any other key kept)
// with the form's fields over it.
import type { Channel } from '../../../api/types'
import { configOf, type ChannelConfig } from '../../../state/settings/channels'

export const greetingLangs = ['en', 'es', 'pt-BR'] as const
export type GreetingLang = (typeof greetingLangs)[number]

export interface WebDraft {
  name: string
  bot_id: string
  /** origins: one per line, as typed. */
  origins: string
  askName: boolean
  askEmail: boolean
  title: string
  /** en is also the greeting for every other language. */
  greetings: Record<GreetingLang, string>
  color: string
}

interface Prechat {
  name: string
  required?: boolean
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')

export function webDraft(c: Channel | null, botID: string): WebDraft {
  const cfg = configOf(c)
  const prechat = Array.isArray(cfg.prechat) ? (cfg.prechat as Prechat[]) : []
  const greetings = (cfg.greetings ?? {}) as Record<string, unknown>
  return {
    name: c?.name ?? '',
    bot_id: c?.bot_id ?? botID,
    origins: Array.isArray(cfg.allowed_origins) ? (cfg.allowed_origins as string[]).join('\n') : '',
    askName: prechat.some((f) => f.name === 'name'),
    askEmail: prechat.some((f) => f.name === 'email'),
    title: str(cfg.title),
    greetings: { en: str(greetings.en) || str(cfg.greeting), es: str(greetings.es), 'pt-BR': str(greetings['pt-BR']) },
    color: str(cfg.color),
  }
}

/** originLines are the typed origins, blank lines dropped (their indexes are the API's). */
export function originLines(d: WebDraft): string[] {
  return d.origins.split('\n').map((s) => s.trim()).filter(Boolean)
}

export function webConfig(c: Channel | null, d: WebDraft): ChannelConfig {
  const cfg = configOf(c)
  const before = Array.isArray(cfg.prechat) ? (cfg.prechat as Prechat[]) : []
  const field = (name: string): Prechat => ({ name, required: before.find((f) => f.name === name)?.required ?? false })
  cfg.prechat = [...(d.askName ? [field('name')] : []), ...(d.askEmail ? [field('email')] : [])]
  cfg.allowed_origins = originLines(d)
  cfg.title = d.title.trim()
  cfg.greeting = d.greetings.en.trim()
  const greetings: Record<string, string> = {}
  for (const l of greetingLangs) if (l !== 'en' && d.greetings[l].trim()) greetings[l] = d.greetings[l].trim()
  cfg.greetings = greetings
  if (d.color.trim()) cfg.color = d.color.trim()
  else delete cfg.color
  return cfg
}

/**
 * formField is the form's field an API error path names
 * ("config.allowed_origins[1]" → origins), or '' for none.
 */
export function formField(path: string): string {
  if (path === 'name' || path === 'bot_id') return path
  if (path.startsWith('config.allowed_origins')) return 'origins'
  if (path.startsWith('config.greetings.')) return 'greeting.' + path.slice('config.greetings.'.length)
  if (path === 'config.greeting') return 'greeting.en'
  if (path.startsWith('config.prechat')) return 'prechat'
  if (path === 'config.color' || path === 'config.title') return path.slice('config.'.length)
  return ''
}

/** originIndex is the line an allowed_origins error points at. */
export function originIndex(path: string): number {
  const m = /^config\.allowed_origins\[(\d+)\]/.exec(path)
  return m ? Number(m[1]) : -1
}
