// Voice messages recorded in the console with Chromium's fake microphone:
// a web widget customer gets a playable <audio> of the recording, served
// as audio/webm; a WhatsApp customer gets it as a voice note, which the
// fake Graph API receives as an Ogg Opus upload (audio/ogg) that the
// browser's own decoder plays.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { createHmac } from 'node:crypto'
import { startServer, launchBrowser, newPage, login, goOnline, screenshot, Api, USERS } from './harness.mjs'

const PHONE_NUMBER_ID = '106540352242923'
const APP_SECRET = 'e2e-voice-app-secret-0123456789'
const CUSTOMER_WA_ID = '16505550199'
const WA_CUSTOMER = 'Vera Voice'

let server, browser, graph

/**
 * fakeGraph answers POST /{phone_number_id}/media (multipart: the file and
 * its type) and POST /{phone_number_id}/messages as the Cloud API does, and
 * records both.
 */
function fakeGraph() {
  /** @type {{ type: string, product: string, name: string, partType: string, data: Buffer }[]} */
  const uploads = []
  /** @type {any[]} */
  const messages = []
  const srv = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => {
      const raw = Buffer.concat(chunks)
      const answer = (status, body) => {
        res.writeHead(status, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify(body))
      }
      if (req.method === 'POST' && req.url === `/${PHONE_NUMBER_ID}/media`) {
        const form = await new Response(raw, { headers: { 'Content-Type': req.headers['content-type'] ?? '' } }).formData()
        const file = /** @type {File} */ (form.get('file'))
        uploads.push({
          type: String(form.get('type')),
          product: String(form.get('messaging_product')),
          name: file.name,
          partType: file.type,
          data: Buffer.from(await file.arrayBuffer()),
        })
        answer(200, { id: `media-${uploads.length}` })
        return
      }
      if (req.method === 'POST' && req.url === `/${PHONE_NUMBER_ID}/messages`) {
        const body = JSON.parse(raw.toString('utf8'))
        messages.push(body)
        answer(200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.VOICE${messages.length}` }] })
        return
      }
      answer(404, { error: { message: 'not found', type: 'GraphMethodException', code: 100 } })
    })
  })
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address())
      resolve({ url: `http://127.0.0.1:${port}`, uploads, messages, close: () => new Promise((r) => srv.close(() => r(undefined))) })
    })
  })
}

/** waitFor polls until fn returns something truthy. */
async function waitFor(fn, what, timeout = 20_000) {
  const deadline = Date.now() + timeout
  for (;;) {
    const v = fn()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

before(async () => {
  graph = await fakeGraph()
  server = await startServer()
  browser = await launchBrowser({ fakeMedia: true })
})

after(async () => {
  await browser?.close()
  await server?.stop()
  await graph?.close()
})

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
  const agent = await newPage(browser, server.url)
  await login(agent.page, USERS.agent)
  await goOnline(agent.page)
  await agent.page.getByTestId('bot-Acme Support').click()
  await agent.page.getByTestId('tab-handovers').click()

  // The customer starts a chat on the demo page and asks for a person.
  const c = await newPage(browser, server.url)
  await c.page.goto('/demo')
  await c.page.getByTestId('relevo-bubble').click()
  const w = c.page.frameLocator('[data-testid="relevo-frame"]')
  await w.getByLabel('Your name').fill('Walter Widget')
  await w.getByTestId('widget-start').click()
  const composer = w.getByTestId('widget-composer')
  await composer.fill('human')
  await composer.press('Enter')
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
  const raw = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{
      id: '102290129340399',
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550783882', phone_number_id: PHONE_NUMBER_ID },
          contacts: [{ profile: { name: WA_CUSTOMER }, wa_id: CUSTOMER_WA_ID }],
          messages: [{ from: CUSTOMER_WA_ID, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
        },
      }],
    }],
  })
  const sig = 'sha256=' + createHmac('sha256', APP_SECRET).update(raw).digest('hex')
  const r = await fetch(`${server.url}/webhooks/whatsapp/${channelID}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': sig },
    body: raw,
  })
  assert.equal(r.status, 200, `webhook: ${r.status} ${await r.text()}`)
}

test('a voice message reaches the WhatsApp customer as an Ogg Opus voice note', async () => {
  const admin = await Api.login(server.url, USERS.admin)
  const agentUser = (await admin.get('/api/v1/users')).items.find((u) => u.email === USERS.agent)
  const bot = await admin.post('/api/v1/bots', { name: 'WhatsApp voice desk', member_ids: [agentUser.id] })
  const channel = await admin.post('/api/v1/channels', {
    bot_id: bot.id,
    type: 'whatsapp',
    name: 'WhatsApp voice',
    config: {
      phone_number_id: PHONE_NUMBER_ID, waba_id: '102290129340399', access_token: 'EAAG-voice', app_secret: APP_SECRET,
      verify_token: 'voice-verify', graph_url: graph.url,
    },
  })
  await webhook(channel.id, 'wamid.VOICE-IN-1', 'Can you explain it by voice?')

  const { page, errors } = await newPage(browser, server.url)
  await login(page, USERS.agent)
  await goOnline(page)
  await page.getByTestId('bot-WhatsApp voice desk').click()
  await page.getByTestId('tab-handovers').click()
  await page.locator(`[data-testid^="row-"][data-contact="${WA_CUSTOMER}"] button.main`).click()
  await page.getByText('Can you explain it by voice?').waitFor()
  await page.getByTestId('assign').click()
  await page.getByTestId('transfer').and(page.locator(':enabled')).waitFor()

  await recordVoice(page)
  const up = await waitFor(() => graph.uploads[0], 'the media upload')
  assert.equal(up.product, 'whatsapp')
  assert.equal(up.type, 'audio/ogg')
  assert.equal(up.partType, 'audio/ogg')
  assert.match(up.name, /^voice-.*\.ogg$/)
  assert.equal(up.data.subarray(0, 4).toString('latin1'), 'OggS', 'the upload is an Ogg stream')
  assert.ok(up.data.includes(Buffer.from('OpusHead')), 'carrying Opus')
  const sent = await waitFor(() => graph.messages.find((m) => m.type === 'audio'), 'the audio message')
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
