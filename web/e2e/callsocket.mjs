// Calls driven through the real sockets, for e2e files that need a call in
// a given state without the call screens: a WebSocket opened from a page
// (its origin, its cookies) and a web widget customer waiting for a person.
import assert from 'node:assert/strict'
import { waitFor, demoBot, Api, USERS } from './harness.mjs'

/**
 * openCallSocket opens a WebSocket from page to path, keeping what arrives
 * in window.callFrames.
 * @param {import('playwright-core').Page} page @param {string} path
 */
export async function openCallSocket(page, path) {
  await page.evaluate(
    (p) =>
      new Promise((resolve, reject) => {
        const w = /** @type {any} */ (window)
        const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${p}`)
        w.callFrames = []
        w.callSocket = ws
        ws.onmessage = (e) => w.callFrames.push(JSON.parse(e.data))
        ws.onopen = () => resolve(undefined)
        ws.onerror = () => reject(new Error('socket ' + p))
      }),
    path,
  )
  return {
    /** send a client frame @param {Record<string, string>} f */
    send: (f) => page.evaluate((x) => /** @type {any} */ (window).callSocket.send(JSON.stringify(x)), f),
    /** clear what arrived so far */
    clear: () => page.evaluate(() => void (/** @type {any} */ (window).callFrames.length = 0)),
    /**
     * the first frame of type (and call state) to arrive, waited for
     * @param {string} type @param {string} [state]
     */
    frame: async (type, state) => {
      const args = { type, state: state ?? '' }
      await page.waitForFunction(
        (a) => /** @type {any} */ (window).callFrames.some((f) => f.type === a.type && (!a.state || f.data?.state === a.state)),
        args,
      )
      return page.evaluate((a) => /** @type {any} */ (window).callFrames.find((f) => f.type === a.type && (!a.state || f.data?.state === a.state)), args)
    },
  }
}

/**
 * widgetCustomerWaiting is a web widget customer (a widget session named
 * name on channelId) who asked for a person: it returns the session's
 * token and the conversation, once waiting in the queue.
 * @param {string} base @param {string} channelId @param {string} name @param {string} msgId
 */
export async function widgetCustomerWaiting(base, channelId, name, msgId) {
  const post = async (/** @type {string} */ path, /** @type {any} */ body, token = '') => {
    const r = await fetch(base + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: 'Bearer ' + token } : {}) },
      body: JSON.stringify(body),
    })
    const text = await r.text()
    assert.ok(r.ok, `${path}: ${r.status} ${text}`)
    return JSON.parse(text)
  }
  const { token } = await post('/widget/v1/sessions', { channel_id: channelId, name })
  await post('/widget/v1/messages', { id: msgId, text: 'human' }, token)
  const conv = await waitFor(async () => {
    const r = await fetch(base + '/widget/v1/messages', { headers: { Authorization: 'Bearer ' + token } })
    const c = (await r.json()).conversation
    return c?.phase === 'waiting' && c
  }, 'the handover')
  return { token, conv }
}

/**
 * audioCallsOn lets the demo's Acme Support take audio calls (customers
 * starting them too when customerMayStart) and returns its web channel.
 * @param {string} base @param {boolean} customerMayStart
 */
export async function audioCallsOn(base, customerMayStart) {
  const admin = await Api.login(base, USERS.admin)
  const { bot, channel } = await demoBot(admin, 'Acme Support', 'web')
  await admin.call('PATCH', `/api/v1/bots/${bot.id}`, { calls: { mode: 'audio', customer_may_start: customerMayStart } })
  return channel
}
