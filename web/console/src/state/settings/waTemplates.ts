// Settings → Templates and the WhatsApp channel form: a WhatsApp channel's
// templates as Meta last listed them (status and category are Meta's),
// when they were synced, who is offered each one (Relevo's), and the
// channel's connection check. Admins change roles and sync; supervisors
// read.
import { reactive } from 'vue'
import { api } from '../../api/client'
import type { Channel, Role, Template } from '../../api/types'
import type { components } from '../../api/schema'
import { byName } from './common'

export type ChannelCheck = components['schemas']['ChannelCheck']
export type ChannelProblem = components['schemas']['ChannelProblem']

/** The roles a template can be offered to, in the order the rows show them. */
export const templateRoles: Role[] = ['agent', 'auditor', 'supervisor', 'admin']

export interface ChannelTemplates {
  channel: Channel
  items: Template[]
  /** syncedAt: the last sync (null: never). */
  syncedAt: string | null
  error: unknown
}

export const waTemplates = reactive({
  channels: [] as ChannelTemplates[],
  loaded: false,
  error: null as unknown,
})

/** loadTemplates reads the WhatsApp channels the caller sees and their templates. */
export async function loadTemplates(): Promise<void> {
  waTemplates.error = null
  try {
    const chans = byName((await api.get('/api/v1/channels')).items.filter((c) => c.type === 'whatsapp') as Channel[])
    waTemplates.channels = await Promise.all(chans.map((channel) => readChannel(channel)))
  } catch (e) {
    waTemplates.error = e
  } finally {
    waTemplates.loaded = true
  }
}

async function readChannel(channel: Channel): Promise<ChannelTemplates> {
  try {
    const r = await channelTemplates(channel.id)
    return { channel, items: r.items, syncedAt: r.synced_at ?? null, error: null }
  } catch (error) {
    return { channel, items: [], syncedAt: null, error }
  }
}

/** channelTemplates is every template of one channel and its last sync. */
export function channelTemplates(id: string) {
  return api.get('/api/v1/channels/{id}/templates', { path: { id } })
}

/** syncTemplates reads the channel's templates from Meta again; roles stay. */
export async function syncTemplates(id: string): Promise<{ items: Template[]; syncedAt: string | null }> {
  await api.post('/api/v1/channels/{id}/templates/sync', { path: { id } })
  const r = await channelTemplates(id)
  const row = waTemplates.channels.find((c) => c.channel.id === id)
  if (row) Object.assign(row, { items: r.items, syncedAt: r.synced_at ?? null, error: null })
  return { items: r.items, syncedAt: r.synced_at ?? null }
}

/** setRoles saves who is offered a template and puts the answer in the list. */
export async function setRoles(id: string, roles: Role[]): Promise<Template> {
  const tpl = await api.patch('/api/v1/templates/{id}', { path: { id }, body: { roles } })
  for (const c of waTemplates.channels) {
    const i = c.items.findIndex((x) => x.id === id)
    if (i >= 0) c.items[i] = tpl
  }
  return tpl
}

/** checkChannel asks the server to call the Graph API with the channel's settings. */
export function checkChannel(id: string): Promise<ChannelCheck> {
  return api.post('/api/v1/channels/{id}/check', { path: { id } })
}

/** webhookURL is what to paste as the callback URL in Meta's app dashboard. */
export function webhookURL(publicUrl: string, channelId: string): string {
  const base = (publicUrl || window.location.origin).replace(/\/+$/, '')
  return `${base}/webhooks/whatsapp/${channelId}`
}
