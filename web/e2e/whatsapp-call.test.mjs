// A WhatsApp customer calls (issue 13, "WhatsApp calls"), against the fake
// Graph API. Meta's side is played by a peer connection in a page of its
// own: its SDP offer arrives in a `calls` webhook signed as Meta signs; the
// agent holding the conversation is rung in the console, accepts, and the
// console's answer (every candidate inside the SDP: Meta takes no trickle)
// reaches the fake Graph API as pre_accept then accept. The test hands that
// answer to Meta's peer connection, as Meta would, so media flows on
// 127.0.0.1: the agent hears the customer. Hanging up sends terminate.
// (With Meta itself, only the signalling is testable here; docs/whatsapp.md.)
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, agentOnline, newPage, waitFor, Api, USERS } from './harness.mjs'
import { whatsappText, whatsappCall } from './whatsapp.mjs'

const PHONE_NUMBER_ID = '106540352242922'
const WABA_ID = '102290129340398'
const APP_SECRET = 'e2e-app-secret-0123456789abcdef'
const DISPLAY_PHONE = '15550783881'
const CUSTOMER = { waID: '16505551234', name: 'Sheena Nelson' }
const CALL_ID = 'wacid.HBgLMTY1MDU1NTEyMzQVAgARGCBFMkVDQUxMVEVTVAA'

const env = serverAndBrowser({ fakeMedia: true, graph: true })
/** @type {any} */
let channel
/** @type {any} */
let conversation

const meta = { appSecret: APP_SECRET, wabaID: WABA_ID, phoneNumberID: PHONE_NUMBER_ID, displayPhone: DISPLAY_PHONE, ...CUSTOMER }

before(async () => {
  await env.ready
  // A desk without a flow (a customer's first message goes to the queue),
  // calls on (WhatsApp calls are audio), its number on the fake Graph API.
  const admin = await Api.login(env.server.url, USERS.admin)
  const agent = (await admin.get('/api/v1/users')).items.find((u) => u.email === USERS.agent)
  const bot = await admin.post('/api/v1/bots', { name: 'WhatsApp calls desk', member_ids: [agent.id] })
  await admin.call('PATCH', `/api/v1/bots/${bot.id}`, { calls: { mode: 'audio', customer_may_start: true } })
  channel = await admin.post('/api/v1/channels', {
    bot_id: bot.id,
    type: 'whatsapp',
    name: 'WhatsApp +1 555 078 3881',
    config: { phone_number_id: PHONE_NUMBER_ID, waba_id: WABA_ID, access_token: 'EAAG-e2e-token', app_secret: APP_SECRET, verify_token: 'e2e-verify', graph_url: env.graph.url },
  })
  const r = await whatsappText(env.server.url, channel.id, { ...meta, wamid: 'wamid.CALLTEST1', text: 'Can I call you?' })
  assert.equal(r.status, 200, `webhook: ${r.status}`)
})

test('a WhatsApp customer calls: the agent answers in the console, Graph gets the answer, audio flows, hang up terminates', async () => {
  // The agent, online in the console, holds the conversation (assigned
  // through the API).
  const a = await agentOnline(env.browser, env.server.url, USERS.agent)
  const alice = await Api.login(env.server.url, USERS.agent)
  conversation = await waitFor(async () => (await alice.get('/api/v1/conversations?phase=all')).items.find((c) => c.channel_id === channel.id), 'the customer’s conversation')
  await alice.post(`/api/v1/conversations/${conversation.id}/assign`)
  await a.page.goto(`/bots/${channel.bot_id}/${conversation.id}`)
  await a.page.getByTestId('composer').waitFor()

  // Meta's side: an offer with its candidates gathered (Meta sends no trickle).
  const m = await newPage(env.browser, env.server.url)
  await m.page.goto('/login')
  const offer = await m.page.evaluate(async () => {
    const pc = new RTCPeerConnection()
    ;/** @type {any} */ (window).metaPC = pc
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true })
    for (const t of stream.getTracks()) pc.addTrack(t, stream)
    await pc.setLocalDescription(await pc.createOffer())
    await new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') resolve(undefined)
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve(undefined))
    })
    return pc.localDescription?.sdp ?? ''
  })
  const r = await whatsappCall(env.server.url, channel.id, { ...meta, callID: CALL_ID, event: 'connect', sdp: offer })
  assert.equal(r.status, 200, `calls webhook: ${r.status}`)

  // The console rings; the agent accepts.
  const prompt = a.page.getByRole('alertdialog', { name: 'Incoming call' })
  await prompt.getByText('Sheena Nelson is calling you (audio).').waitFor()
  await prompt.getByRole('button', { name: 'Accept' }).click()

  // Graph gets pre_accept, then accept, each with the console's answer.
  const accepted = await waitFor(() => env.graph.calls.find((c) => c.action === 'accept'), 'accept at the Graph API')
  const pre = env.graph.calls.find((c) => c.action === 'pre_accept')
  assert.ok(pre, 'pre_accept before accept')
  assert.ok(env.graph.calls.indexOf(pre) < env.graph.calls.indexOf(accepted), 'pre_accept comes first')
  assert.equal(accepted.call_id, CALL_ID)
  assert.equal(accepted.messaging_product, 'whatsapp')
  assert.equal(accepted.session.sdp_type, 'answer')
  assert.equal(pre.session.sdp, accepted.session.sdp)
  assert.match(accepted.session.sdp, /a=candidate:/, 'the answer carries its candidates')

  // Meta applies the answer: media flows and the agent hears the customer.
  await m.page.evaluate((sdp) => /** @type {any} */ (window).metaPC.setRemoteDescription({ type: 'answer', sdp }), accepted.session.sdp)
  const bar = a.page.getByRole('region', { name: 'Call with Sheena Nelson' })
  await bar.getByTestId('call-status').filter({ hasText: 'Connected' }).waitFor()
  const conn = bar.getByTestId('call-connection')
  await conn.waitFor()
  const first = Number(await conn.getAttribute('data-audio-bytes'))
  await waitFor(async () => Number(await conn.getAttribute('data-audio-bytes')) > first, "the agent's inbound audio from WhatsApp")
  assert.equal(await bar.getByRole('button', { name: 'Switch to video' }).count(), 0, 'WhatsApp calls are audio only')

  // The agent hangs up: Meta is told to terminate; the timeline says so.
  await bar.getByRole('button', { name: 'Hang up' }).click()
  await waitFor(() => env.graph.calls.find((c) => c.action === 'terminate' && c.call_id === CALL_ID), 'terminate at the Graph API')
  await a.page.getByTestId('event-call_ended').filter({ hasText: /Call ended · \d+:\d\d/ }).waitFor()
  assert.equal(env.graph.calls.filter((c) => c.action === 'reject').length, 0)
  assert.deepEqual(a.errors, [])
  assert.deepEqual(m.errors, [])
  await a.context.close()
  await m.context.close()
})
