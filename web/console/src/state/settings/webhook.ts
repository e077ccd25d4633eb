// Settings → Bots → Webhook: one external bot's URL, its secret (answered
// once by a rotation, never read back), the signed test event and the last
// 50 deliveries. Deliveries are read when the page opens and after a test;
// real events delivered meanwhile show on the next visit.
import { reactive } from 'vue'
import { api } from '../../api/client'
import type { components } from '../../api/schema'
import type { Bot } from '../../api/types'

export type Delivery = components['schemas']['BotDelivery']

export const webhook = reactive({
  bot: null as Bot | null,
  deliveries: [] as Delivery[],
  loaded: false,
  error: null as unknown,
})

export async function loadWebhook(id: string): Promise<void> {
  webhook.error = null
  webhook.loaded = false
  try {
    const [bot, list] = await Promise.all([
      api.get('/api/v1/bots/{id}', { path: { id } }),
      api.get('/api/v1/bots/{id}/webhook/deliveries', { path: { id } }),
    ])
    webhook.bot = bot
    webhook.deliveries = list.items
  } catch (e) {
    webhook.error = e
  } finally {
    webhook.loaded = true
  }
}

/** saveURL sets the bot's webhook_url ("" removes it: the bot is no longer external). */
export async function saveURL(id: string, url: string): Promise<void> {
  const b = await api.patch('/api/v1/bots/{id}', { path: { id }, body: { webhook_url: url } })
  if (webhook.bot) webhook.bot = { ...webhook.bot, webhook_url: b.webhook_url }
}

/** rotateSecret answers the new secret: the one time it is shown. */
export async function rotateSecret(id: string): Promise<string> {
  return (await api.post('/api/v1/bots/{id}/webhook/secret', { path: { id } })).webhook_secret
}

/** sendTest posts a signed ping now and puts its row on top of the list. */
export async function sendTest(id: string): Promise<Delivery> {
  const d = await api.post('/api/v1/bots/{id}/webhook/test', { path: { id } })
  webhook.deliveries = [d, ...webhook.deliveries.filter((x) => x.id !== d.id)].slice(0, 50)
  return d
}

/** firstLines is the start of a receiver's answer, as the table shows it. */
export function firstLines(s: string, n = 3): string {
  return s.split('\n').slice(0, n).join('\n').trim()
}

/** delivered: a 2xx answer. */
export function delivered(d: Delivery): boolean {
  return d.status != null && d.status >= 200 && d.status < 300
}
