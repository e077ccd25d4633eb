// Calls in the browser (issue 13), with Chromium's fake microphone and
// camera: the agent in the console and the customer in the widget, two
// contexts. (a) the agent calls, the customer accepts: both connect and
// receive audio, a message goes both ways during the call, the agent
// switches to video and so does the customer (renegotiation both ways,
// frames arrive), the agent hangs up and both timelines say how long it
// was. (b) the customer calls, the agent declines: no peer connection on
// the agent's side, "Call declined" on both. (c) a bot with calls off:
// no call button anywhere, and a forged call.start is refused calls_off.
// (d) with "relay only" on and Relevo's own TURN relay running, the same
// call goes through the relay on both sides and still carries audio.
// The setup time (Accept pressed → both connected) is printed, not
// asserted (docs/PERFORMANCE.md "Call setup").
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { loadavg } from 'node:os'
import { serverAndBrowser, agentOnline, widgetAsksForPerson, demoBot, screenshot, waitFor, recordAlerts, toBackground, Api, USERS } from './harness.mjs'
import { auditBoth } from './axe.mjs'

// Relevo's TURN relay runs on a free port of 127.0.0.1 for (d); with the
// default policy (all) the other calls still connect directly.
const env = serverAndBrowser({ fakeMedia: true, extraArgs: ['--turn-listen', '127.0.0.1:0', '--turn-public-ip', '127.0.0.1'] })
/** @type {Api} */
let admin
/** @type {any} */
let bot
const setups = []

before(async () => {
  await env.ready
  admin = await Api.login(env.server.url, USERS.admin)
  bot = (await demoBot(admin, 'Acme Support', 'web')).bot
  await setCalls('video', true)
})

function setCalls(mode, customerMayStart) {
  return admin.call('PATCH', `/api/v1/bots/${bot.id}`, { calls: { mode, customer_may_start: customerMayStart } })
}

/**
 * held is a customer in the widget whose conversation the agent (already
 * online, on the Handovers tab) has assigned to itself; the agent's page
 * counts the peer connections it makes.
 */
async function held(name) {
  const a = await agentOnline(env.browser, env.server.url, USERS.agent)
  await a.context.addInitScript(countPeerConnections)
  await recordAlerts(a.context, env.server.url)
  await a.page.reload()
  await a.page.getByTestId('bot-Acme Support').click()
  await a.page.getByTestId('tab-handovers').waitFor()
  const c = await widgetAsksForPerson(env.browser, env.server.url, name)
  await c.w.getByTestId('widget-notice').filter({ hasText: 'An agent will be with you shortly.' }).waitFor()
  const row = a.page.locator(`[data-testid^="row-"][data-contact="${name}"]`)
  await row.locator('button.main').click()
  await a.page.getByTestId('assign').click()
  await a.page.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  await c.w.getByTestId('widget-status').filter({ hasText: /You are chatting with/ }).waitFor()
  return { a, c }
}

function countPeerConnections() {
  const w = /** @type {any} */ (window)
  const Real = window.RTCPeerConnection
  w.peerConnections = 0
  window.RTCPeerConnection = class extends Real {
    constructor(...args) {
      super(...args)
      w.peerConnections++
    }
  }
}

/** received reads what a side's connection indicator says it received. */
async function received(indicator) {
  return {
    audio: Number(await indicator.getAttribute('data-audio-bytes')),
    video: Number(await indicator.getAttribute('data-video-frames')),
  }
}

/** grows waits until what was received of kind goes up from a first read. */
async function grows(indicator, kind, what) {
  await indicator.waitFor()
  const first = (await received(indicator))[kind]
  await waitFor(async () => (await received(indicator))[kind] > first, what)
}

test('(a) the agent calls, the customer accepts: media both ways, chat keeps flowing, video, hang up', async () => {
  const { a, c } = await held('Carla Caller')
  const bar = a.page.getByRole('region', { name: 'Call with Carla Caller' })

  for (let round = 0; round < 3; round++) {
    await a.page.getByRole('button', { name: 'Audio call' }).click()
    await bar.getByText('Calling Carla Caller…').waitFor()
    const prompt = c.w.getByRole('alertdialog', { name: 'Incoming call' })
    await prompt.getByText(/is calling you \(audio\)/).waitFor()
    if (round === 0) {
      await screenshot(c.page, 'calls-01-widget-rings')
      await auditBoth(c.page, 'widget incoming call')
    }
    const t0 = Date.now()
    await prompt.getByRole('button', { name: 'Accept' }).click()
    await Promise.all([bar.getByTestId('call-status').filter({ hasText: 'Connected' }).waitFor(), c.w.getByText('Connected', { exact: true }).waitFor()])
    setups.push(Date.now() - t0)
    if (round < 2) {
      await bar.getByRole('button', { name: 'Hang up' }).click()
      await c.w.getByTestId('widget-notice').filter({ hasText: /Call ended/ }).nth(round).waitFor()
    }
  }
  console.log(`call setup (Accept → both connected), ms: ${setups.join(', ')}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)

  // Audio flows both ways: each side's inbound bytes grow.
  const agentConn = bar.getByTestId('call-connection')
  const customerConn = c.w.getByTestId('widget-call-connection')
  await grows(agentConn, 'audio', "the agent's inbound audio")
  await grows(customerConn, 'audio', "the customer's inbound audio")
  await bar.getByTestId('call-timer').filter({ hasText: /^0:0[1-9]|^0:[1-5]\d/ }).waitFor()
  await screenshot(a.page, 'calls-02-console-in-call')
  await auditBoth(a.page, 'console in-call bar')
  await auditBoth(c.page, 'widget in call')

  // The chat keeps working during the call, both ways.
  await c.composer.fill('Can you hear me? Writing too.')
  await c.composer.press('Enter')
  await a.page.getByText('Can you hear me? Writing too.').waitFor()
  const reply = a.page.getByTestId('composer')
  await reply.fill('Loud and clear')
  await reply.press('Enter')
  await c.w.locator('[data-testid="widget-msg-agent"]').filter({ hasText: 'Loud and clear' }).waitFor()

  // Mute is a pressed toggle.
  await bar.getByRole('button', { name: 'Mute' }).click()
  await bar.getByRole('button', { name: 'Unmute', pressed: true }).click()

  // The agent switches to video: the customer receives frames; then the
  // customer turns its camera on too (the customer offers this time).
  await bar.getByRole('button', { name: 'Switch to video' }).click()
  await bar.getByRole('button', { name: 'Camera off' }).waitFor()
  await grows(customerConn, 'video', "the customer's inbound video")
  await c.w.getByRole('button', { name: 'Switch to video' }).click()
  await grows(agentConn, 'video', "the agent's inbound video")
  await bar.getByLabel("Carla Caller's video").waitFor()
  await screenshot(a.page, 'calls-03-console-video')

  // The agent hangs up: "Call ended · m:ss" on both sides.
  await bar.getByRole('button', { name: 'Hang up' }).click()
  await bar.waitFor({ state: 'detached' })
  const ended = a.page.getByTestId('event-call_ended').last()
  await ended.filter({ hasText: /Call ended · \d+:\d\d/ }).waitFor()
  await c.w.getByTestId('widget-notice').filter({ hasText: /Call ended · \d+:\d\d/ }).nth(2).waitFor()
  await c.w.getByTestId('widget-call').getByRole('button', { name: 'Audio call' }).waitFor()
  // The customer reloads: the feed read back says what it said live.
  const lines = c.w.getByTestId('widget-notice').filter({ hasText: /^Call ended · \d+:\d\d$/ })
  const live = await lines.allTextContents()
  await c.page.reload()
  await c.page.getByTestId('relevo-bubble').click()
  await lines.nth(2).waitFor()
  assert.deepEqual(await lines.allTextContents(), live)
  assert.deepEqual(a.errors, [])
  assert.deepEqual(c.errors, [])
  await a.context.close()
  await c.context.close()
})

test('(b) the customer calls, the agent declines: declined on both sides, no media on the agent side', async () => {
  const { a, c } = await held('Dario Dialer')
  // The agent is in another tab: the call comes as a browser notification.
  const other = await toBackground(a.context, a.page)
  await c.w.getByTestId('widget-call').getByRole('button', { name: 'Audio call' }).click()
  await c.w.getByText('Calling…').waitFor()
  const prompt = a.page.getByRole('alertdialog', { name: 'Incoming call' })
  await prompt.getByText('Dario Dialer is calling you (audio).').waitFor()
  await a.page.waitForFunction(() => /** @type {any} */ (window).notes.some((n) => n.title === 'Incoming call'))
  const note = await a.page.evaluate(() => /** @type {any} */ (window).notes.find((n) => n.title === 'Incoming call'))
  assert.equal(note.body, 'Dario Dialer is calling you (audio).')
  await a.page.bringToFront()
  await a.page.waitForFunction(() => document.hasFocus())
  await other.close()
  // The prompt blocks nothing: the agent can still write.
  await a.page.getByTestId('composer').fill('One moment please')
  await a.page.getByTestId('composer').press('Enter')
  await c.w.locator('[data-testid="widget-msg-agent"]').filter({ hasText: 'One moment please' }).waitFor()
  await screenshot(a.page, 'calls-04-console-rings')
  await auditBoth(a.page, 'console incoming call')
  await prompt.getByRole('button', { name: 'Decline' }).click()
  await prompt.waitFor({ state: 'detached' })
  await a.page.getByTestId('event-call_declined').filter({ hasText: 'Call declined' }).waitFor()
  await c.w.getByTestId('widget-notice').filter({ hasText: 'Call declined' }).waitFor()
  assert.equal(await a.page.evaluate(() => /** @type {any} */ (window).peerConnections), 0)
  assert.deepEqual(a.errors, [])
  assert.deepEqual(c.errors, [])
  await a.context.close()
  await c.context.close()
})

test('(c) a bot with calls off: no call button, a forged call.start is refused calls_off', async () => {
  await setCalls('off', false)
  const { a, c } = await held('Olga Offline')
  await a.page.getByTestId('composer').waitFor()
  assert.equal(await a.page.getByRole('button', { name: /Audio call|Video call/ }).count(), 0)
  assert.equal(await c.w.getByRole('button', { name: /Audio call|Video call/ }).count(), 0)

  const panel = c.page.frames().find((f) => f.url().includes('/widget/'))
  assert.ok(panel, 'the widget panel frame')
  const code = await panel.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const saved = Object.keys(localStorage).find((k) => k.startsWith('relevo.widget.'))
        const token = JSON.parse(localStorage.getItem(saved ?? '') ?? '{}').token
        const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/widget/v1/ws?token=${encodeURIComponent(token)}`)
        ws.onmessage = (ev) => {
          const f = JSON.parse(ev.data)
          if (f.type === 'hello') ws.send(JSON.stringify({ type: 'call.start', media: 'audio' }))
          if (f.type === 'error') {
            ws.close()
            resolve(f.data.code)
          }
        }
        ws.onerror = () => reject(new Error('socket failed'))
      }),
  )
  assert.equal(code, 'calls_off')
  assert.equal(await a.page.getByRole('alertdialog').count(), 0)
  assert.deepEqual(a.errors, [])
  assert.deepEqual(c.errors, [])
  await a.context.close()
  await c.context.close()
  await setCalls('video', true)
})

test("(d) relay only: the call goes through Relevo's TURN relay on both sides and carries audio", async () => {
  await admin.call('PATCH', '/api/v1/settings/calls', { relay_only: true })
  try {
    const { a, c } = await held('Rita Relay')
    const bar = a.page.getByRole('region', { name: 'Call with Rita Relay' })
    await a.page.getByRole('button', { name: 'Audio call' }).click()
    await c.w.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' }).click()
    await bar.getByTestId('call-status').filter({ hasText: 'Connected' }).waitFor()
    const agentConn = bar.getByTestId('call-connection')
    const customerConn = c.w.getByTestId('widget-call-connection')
    // Both selected candidate pairs are relayed, and audio still flows.
    await agentConn.filter({ hasText: 'Relayed connection' }).waitFor()
    assert.equal(await agentConn.getAttribute('data-pair'), 'relay')
    await waitFor(async () => (await customerConn.getAttribute('data-pair')) === 'relay', "the customer's relayed pair")
    await grows(agentConn, 'audio', "the agent's inbound audio through the relay")
    await grows(customerConn, 'audio', "the customer's inbound audio through the relay")
    await bar.getByRole('button', { name: 'Hang up' }).click()
    await a.page.getByTestId('event-call_ended').last().filter({ hasText: /Call ended · \d+:\d\d/ }).waitFor()
    assert.deepEqual(a.errors, [])
    assert.deepEqual(c.errors, [])
    await a.context.close()
    await c.context.close()
  } finally {
    await admin.call('PATCH', '/api/v1/settings/calls', { relay_only: false })
  }
})
