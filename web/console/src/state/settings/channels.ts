// Settings → Channels: the channels of the caller's bots, as the API shows
// them (secrets masked for everyone, the verify token for admins only),
// and the writes the forms make. A channel's config is saved whole, as it
// was read with the form's fields over it: the masked secrets go back
// masked, which the server reads as "keep the stored one".
import { reactive } from 'vue'
import { api } from '../../api/client'
import type { Bot, Channel, ChannelType } from '../../api/types'
import { session } from '../session'
import { byName, search } from './common'

export const channels = reactive({
  list: [] as Channel[],
  bots: [] as Bot[],
  loaded: false,
  error: null as unknown,
})

/** The config as the API carries it: any JSON object. */
export type ChannelConfig = Record<string, unknown>

export async function loadChannels(): Promise<void> {
  channels.error = null
  try {
    const [list, bots] = await Promise.all([api.get('/api/v1/channels'), api.get('/api/v1/bots')])
    channels.list = list.items as Channel[]
    channels.bots = bots.items
  } catch (e) {
    channels.error = e
  } finally {
    channels.loaded = true
  }
}

export function botName(id: string): string {
  return channels.bots.find((b) => b.id === id)?.name ?? ''
}

/** searchChannels matches the channel's name or its bot's. */
export function searchChannels(q: string, typeName: (t: ChannelType) => string): Channel[] {
  return search(channels.list, q, (c) => [c.name, botName(c.bot_id), typeName(c.type)])
}

/** configOf is a channel's config as an object (empty when it has none). */
export function configOf(c: Channel | null): ChannelConfig {
  const cfg = c?.config as unknown
  return cfg && typeof cfg === 'object' && !Array.isArray(cfg) ? { ...(cfg as ChannelConfig) } : {}
}

function put(c: Channel): void {
  const i = channels.list.findIndex((x) => x.id === c.id)
  if (i >= 0) channels.list[i] = c
  else channels.list.push(c)
  byName(channels.list)
}

export interface ChannelDraft {
  name: string
  /** bot_id is chosen once, at creation: the API does not move a channel. */
  bot_id: string
  config: ChannelConfig
}

/** saveChannel creates (channel null) or changes a channel of type t. */
export async function saveChannel(channel: Channel | null, t: ChannelType, d: ChannelDraft): Promise<Channel> {
  const saved = (
    channel
      ? await api.patch('/api/v1/channels/{id}', { path: { id: channel.id }, body: { name: d.name, config: d.config } })
      : await api.post('/api/v1/channels', { body: { bot_id: d.bot_id, type: t, name: d.name, config: d.config } })
  ) as Channel
  put(saved)
  return saved
}

/** newIdentitySecret turns identity verification on or rotates it: the answer is its only showing. */
export async function newIdentitySecret(id: string): Promise<string> {
  const res = await api.post('/api/v1/channels/{id}/secret', { path: { id } })
  const ch = channels.list.find((c) => c.id === id)
  if (ch) ch.config = { ...configOf(ch), secret: secretMask } as Channel['config']
  return res.secret
}

/** newBotToken makes an API token acting as the bot; its secret is answered once. */
export async function newBotToken(botID: string, channelName: string): Promise<string> {
  const res = await api.post('/api/v1/tokens', { body: { name: channelName, bot_id: botID } })
  return res.token
}

/** secretMask is what the API shows for a secret that is set. */
export const secretMask = '********'

/** publicBase is the server's public URL, or this page's origin when the server has none. */
export function publicBase(): string {
  const u = session.publicUrl.replace(/\/+$/, '')
  try {
    if (u && new URL(u).hostname) return u
  } catch {
    // not a URL: fall back
  }
  return location.origin
}

export function snippet(id: string): string {
  return `<script src="${publicBase()}/widget.js" data-channel="${id}" async></script>`
}

export function tryURL(id: string): string {
  return `${publicBase()}/widget/try/${encodeURIComponent(id)}`
}

export function inboundURL(id: string): string {
  return `${publicBase()}/api/v1/channels/${encodeURIComponent(id)}/inbound`
}

/** inboundExample is the documented inbound body: one customer message. */
export function inboundExample(): { contact: { external_id: string; name: string }; message: { id: string; text: string } } {
  return { contact: { external_id: 'customer-42', name: 'Dora Diaz' }, message: { id: 'msg-1', text: 'Hello, I need help with my order' } }
}

/** curlExample posts inboundExample to the channel with token. */
export function curlExample(id: string, token: string): string {
  return [
    `curl -X POST '${inboundURL(id)}' \\`,
    `  -H 'Authorization: Bearer ${token}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '${JSON.stringify(inboundExample())}'`,
  ].join('\n')
}
