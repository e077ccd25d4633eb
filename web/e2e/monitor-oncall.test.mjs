// The floor shows who is on a call. Acme Support allows audio calls; a web
// widget customer asks for a person and Alice Agent holds the
// conversation. With the supervisor on /monitor's agents list, Alice calls
// through the real sockets (her page's and the customer's): while it
// rings nothing shows; once the customer accepts, Alice's row says "On a
// call" (live, and again after a reload, from the monitor's read); when
// she hangs up it goes away. Axe runs with the badge shown, light and dark.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, agentOnline, Api, USERS } from './harness.mjs'
import { auditBoth } from './axe.mjs'
import { audioCallsOn, openCallSocket, widgetCustomerWaiting } from './callsocket.mjs'

const env = serverAndBrowser()

/** @type {Awaited<ReturnType<typeof newPage>>[]} */
const pages = []
/** @type {{ convId: string, token: string }} */
const world = { convId: '', token: '' }

before(async () => {
  await env.ready
  const base = env.server.url
  const channel = await audioCallsOn(base, false)
  const { token, conv } = await widgetCustomerWaiting(base, channel.id, 'Omar Oncall', 'oncall-1')
  world.convId = conv.id
  world.token = token
})

test('the supervisor sees "On a call" while Alice talks, and not before or after', async () => {
  const base = env.server.url
  const sup = await newPage(env.browser, base)
  pages.push(sup)
  await login(sup.page, USERS.supervisor, '/monitor?tab=agents')
  const a = await agentOnline(env.browser, base, USERS.agent)
  pages.push(a)
  const alice = await Api.login(base, USERS.agent)
  await alice.post(`/api/v1/conversations/${world.convId}/assign`, {})
  const row = sup.page.getByTestId('agent-Alice Agent')
  await row.getByText('Online').waitFor()

  const agent = await openCallSocket(a.page, '/api/v1/ws')
  const c = await newPage(env.browser, base)
  pages.push(c)
  await c.page.goto('/login') // the server's origin, signed in as nobody
  const customer = await openCallSocket(c.page, '/widget/v1/ws?token=' + encodeURIComponent(world.token))

  await agent.send({ type: 'call.start', conversation_id: world.convId, media: 'audio' })
  const ring = await customer.frame('call.ringing')
  await agent.frame('call.state', 'ringing')
  assert.equal(await row.getByText('On a call').count(), 0, 'ringing is not talking')
  await customer.send({ type: 'call.accept', call_id: ring.data.id })
  await row.getByText('On a call').waitFor()
  await auditBoth(sup.page, 'monitor agents with a call')

  // The monitor's own read says so too.
  await sup.page.reload()
  await sup.page.getByTestId('agent-Alice Agent').getByText('On a call').waitFor()

  await agent.send({ type: 'call.hangup', call_id: ring.data.id })
  await customer.frame('call.state', 'ended')
  await sup.page.getByTestId('agent-Alice Agent').getByText('On a call').waitFor({ state: 'detached' })
  for (const p of pages) assert.deepEqual(p.errors, [], `console errors of ${p.page.url()}`)
  for (const p of pages) await p.context.close()
})
