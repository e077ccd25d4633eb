// Voice messages recorded in the console with Chromium's fake microphone:
// a web widget customer gets a playable <audio> of the recording, served
// as audio/webm; a WhatsApp customer gets it as a voice note, which the
// fake Graph API receives as an Ogg Opus upload (audio/ogg) that the
// browser's own decoder plays.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, widgetAsksForPerson, agentOnline, login, screenshot, Api, USERS, waitFor } from './harness.mjs'
import { whatsappText } from './whatsapp.mjs'

const PHONE_NUMBER_ID = '106540352242923'
const APP_SECRET = 'e2e-voice-app-secret-0123456789'
const CUSTOMER_WA_ID = '16505550199'
const WA_CUSTOMER = 'Vera Voice'

const env = serverAndBrowser({ graph: true, fakeMedia: true })

/**
 * recordVoice records about a second and a half in the open conversation
 * and sends it: the running duration is what says the recorder is going.
 */
async function recordVoice(page) {
  await page.getByRole('button', { name: 'Record a voice message' }).click()
  const rec = page.getByTestId('recording')
  await rec.waitFor()
  await rec.getByText('0:01').waitFor()
  await rec.getByRole('button', { name: 'Send' }).click()
  await rec.waitFor({ state: 'detached' })
}

test('a voice message reaches the widget customer as a playable audio/webm', async () => {
  const agent = await agentOnline(env.browser, env.server.url, USERS.agent)
  await agent.page.getByTestId('bot-Acme Support').click()
  await agent.page.getByTestId('tab-handovers').click()

  // The customer starts a chat on the demo page and asks for a person.
  const c = await widgetAsksForPerson(env.browser, env.server.url, 'Walter Widget')
  const { w } = c
  await w.getByTestId('widget-notice').filter({ hasText: 'An agent will be with you shortly.' }).waitFor()

  const row = agent.page.locator('[data-testid^="row-"][data-contact="Walter Widget"]')
  await row.locator('button.main').click()
  await agent.page.getByTestId('assign').click()
  await agent.page.getByTestId('transfer').and(agent.page.locator(':enabled')).waitFor()

  /** @type {import('playwright-core').Response[]} */
  const served = []
  c.page.on('response', (r) => r.url().includes('/widget/v1/uploads/') && served.push(r))
  await recordVoice(agent.page)
  // The agent's own timeline plays it too.
  await agent.page.getByLabel('Voice message', { exact: true }).waitFor()

  const audio = w.locator('[data-testid="widget-msg-agent"] audio')
  await audio.waitFor()
  const r = await waitFor(() => served[0], 'the widget to fetch the recording')
  assert.equal(r.status(), 200)
  assert.equal(r.headers()['content-type'], 'audio/webm', 'the recording is served as audio, not video')
  // Playable: the browser reads its metadata and, played, time moves.
  const played = await audio.evaluate(async (el) => {
    const a = /** @type {HTMLAudioElement} */ (el)
    const within = (p, what) => Promise.race([p, new Promise((_, fail) => setTimeout(() => fail(new Error(what)), 10_000))])
    if (a.readyState < 1) {
      await within(new Promise((ok, fail) => {
        a.onloadedmetadata = ok
        a.onerror = () => fail(new Error('audio error ' + a.error?.code))
      }), 'no metadata')
    }
    a.muted = true
    await a.play()
    await within(new Promise((ok) => (a.ontimeupdate = () => a.currentTime > 0 && ok(undefined))), 'time does not move')
    a.pause()
    return { ready: a.readyState, error: a.error, time: a.currentTime }
  })
  assert.ok(played.ready >= 1 && played.error === null && played.time > 0, `the widget's audio plays: ${JSON.stringify(played)}`)
  await screenshot(c.page, 'voice-01-widget-player')
  assert.deepEqual([...agent.errors, ...c.errors], [])
})

/** webhook posts a customer text in Meta's format, signed. */
async function webhook(channelID, wamid, text) {
  const r = await whatsappText(env.server.url, channelID, {
    appSecret: APP_SECRET, wabaID: '102290129340399', phoneNumberID: PHONE_NUMBER_ID, displayPhone: '15550783882',
    waID: CUSTOMER_WA_ID, name: WA_CUSTOMER, wamid, text,
  })
  assert.equal(r.status, 200, `webhook: ${r.status} ${await r.text()}`)
}

test('a voice message reaches the WhatsApp customer as an Ogg Opus voice note', async () => {
  const admin = await Api.login(env.server.url, USERS.admin)
  const agentUser = (await admin.get('/api/v1/users')).items.find((u) => u.email === USERS.agent)
  const bot = await admin.post('/api/v1/bots', { name: 'WhatsApp voice desk', member_ids: [agentUser.id] })
  const channel = await admin.post('/api/v1/channels', {
    bot_id: bot.id,
    type: 'whatsapp',
    name: 'WhatsApp voice',
    config: {
      phone_number_id: PHONE_NUMBER_ID, waba_id: '102290129340399', access_token: 'EAAG-voice', app_secret: APP_SECRET,
      verify_token: 'voice-verify', graph_url: env.graph.url,
    },
  })
  await webhook(channel.id, 'wamid.VOICE-IN-1', 'Can you explain it by voice?')

  const { page, errors } = await agentOnline(env.browser, env.server.url, USERS.agent)
  await page.getByTestId('bot-WhatsApp voice desk').click()
  await page.getByTestId('tab-handovers').click()
  await page.locator(`[data-testid^="row-"][data-contact="${WA_CUSTOMER}"] button.main`).click()
  await page.getByText('Can you explain it by voice?').waitFor()
  await page.getByTestId('assign').click()
  await page.getByTestId('transfer').and(page.locator(':enabled')).waitFor()

  await recordVoice(page)
  const up = await waitFor(() => env.graph.uploads[0], 'the media upload')
  assert.equal(up.product, 'whatsapp')
  assert.equal(up.type, 'audio/ogg')
  assert.equal(up.partType, 'audio/ogg')
  assert.match(up.name, /^voice-.*\.ogg$/)
  assert.equal(up.data.subarray(0, 4).toString('latin1'), 'OggS', 'the upload is an Ogg stream')
  assert.ok(up.data.includes(Buffer.from('OpusHead')), 'carrying Opus')
  const sent = await waitFor(() => env.graph.messages.find((m) => m.body.type === 'audio')?.body, 'the audio message')
  assert.deepEqual(sent.audio, { id: 'media-1', voice: true })

  // The browser's own Opus decoder reads the remuxed file: about as long
  // as what was recorded.
  const seconds = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))
    const ctx = new OfflineAudioContext(1, 48000, 48000)
    return (await ctx.decodeAudioData(bytes.buffer)).duration
  }, up.data.toString('base64'))
  assert.ok(seconds > 0.9 && seconds < 30, `the Ogg decodes to ${seconds} s of audio`)
  // Recorded for speech (32 kbit/s), so two minutes stay under the 512 KB
  // up to which WhatsApp shows a voice note's play button.
  const kbits = (up.data.length * 8) / seconds / 1000
  assert.ok(kbits < 45, `recorded at ${kbits.toFixed(0)} kbit/s, want about 32`)
  await screenshot(page, 'voice-02-whatsapp-sent')
  assert.deepEqual(errors, [])
})
