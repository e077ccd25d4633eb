// Reports → Calls on the demo server. Before the test, real calls go
// through the real sockets: Acme Support allows audio calls, customers
// too; a web widget customer (a widget session, its socket) asks for a
// person and Alice Agent holds the conversation. Alice calls and the
// customer accepts, then Alice hangs up; Alice calls and the customer
// declines; the customer calls and Alice declines. The supervisor's Calls
// tab then shows Alice's row (2 made, 1 received, 1 answered, 0 missed,
// 2 declined) and her team's, and passes axe in light and dark.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, agentOnline, Api, USERS } from './harness.mjs'
import { auditBoth } from './axe.mjs'
import { audioCallsOn, openCallSocket, widgetCustomerWaiting } from './callsocket.mjs'

const env = serverAndBrowser()

/** @type {Awaited<ReturnType<typeof newPage>>[]} */
const pages = []

before(async () => {
  await env.ready
  const base = env.server.url
  const channel = await audioCallsOn(base, true)

  // The customer: a widget session, asking for a person.
  const { token, conv } = await widgetCustomerWaiting(base, channel.id, 'Carla Caller', 'calls-1')

  // Alice, online, takes the conversation.
  const a = await agentOnline(env.browser, base, USERS.agent)
  pages.push(a)
  const alice = await Api.login(base, USERS.agent)
  await alice.post(`/api/v1/conversations/${conv.id}/assign`, {})

  const agent = await openCallSocket(a.page, '/api/v1/ws')
  const c = await newPage(env.browser, base)
  pages.push(c)
  await c.page.goto('/login') // a page of the server's origin, signed in as nobody
  const customer = await openCallSocket(c.page, '/widget/v1/ws?token=' + encodeURIComponent(token))

  // 1. Alice calls, the customer accepts; Alice hangs up.
  await agent.send({ type: 'call.start', conversation_id: conv.id, media: 'audio' })
  let ring = await customer.frame('call.ringing')
  await customer.send({ type: 'call.accept', call_id: ring.data.id })
  await agent.frame('call.state', 'accepted')
  await agent.send({ type: 'call.hangup', call_id: ring.data.id })
  await customer.frame('call.state', 'ended')
  // 2. Alice calls, the customer declines.
  await Promise.all([agent.clear(), customer.clear()])
  await agent.send({ type: 'call.start', conversation_id: conv.id, media: 'audio' })
  ring = await customer.frame('call.ringing')
  await customer.send({ type: 'call.decline', call_id: ring.data.id })
  await agent.frame('call.state', 'declined')
  // 3. The customer calls, Alice declines.
  await Promise.all([agent.clear(), customer.clear()])
  await customer.send({ type: 'call.start', media: 'audio' })
  ring = await agent.frame('call.ringing')
  await agent.send({ type: 'call.decline', call_id: ring.data.id })
  await customer.frame('call.state', 'declined')
})

test('the Calls report counts each agent’s calls and talk time', async () => {
  const sup = await newPage(env.browser, env.server.url)
  pages.push(sup)
  await login(sup.page, USERS.supervisor, '/reports')
  await sup.page.getByRole('tab', { name: 'Calls' }).click()
  const byAgent = sup.page.getByRole('table', { name: 'Calls by agent' })
  const row = byAgent.getByRole('row').filter({ hasText: 'Alice Agent' })
  await row.waitFor()
  const cells = await row.getByRole('cell').allInnerTexts()
  // made, received, answered, missed, declined, talk time, average
  assert.deepEqual(cells.slice(0, 5), ['2', '1', '1', '0', '2'])
  assert.match(cells[5], /^\d+:\d\d$/)
  assert.equal(cells[6], cells[5], 'one answered call: its talk time is the average')
  const header = await byAgent.getByRole('columnheader').allInnerTexts()
  assert.deepEqual(header, ['Agent', 'Made', 'Received', 'Answered', 'Missed', 'Declined', 'Talk time', 'Average talk time'])
  await auditBoth(sup.page, 'calls report')
  for (const p of pages) assert.deepEqual(p.errors, [], `console errors of ${p.page.url()}`)
  for (const p of pages) await p.context.close()
})
