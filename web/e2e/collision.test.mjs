// Collision: who else is here. An agent in the desk and a supervisor
// following from the monitor open one conversation and each sees the
// other in its header; the agent types and the supervisor sees "typing…";
// a second agent arrives and leaves; alone, nothing is shown. Axe in light
// and dark with the line on screen.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, agentOnline, screenshot, inbound, USERS } from './harness.mjs'
import { auditBoth as auditBoth } from './axe.mjs'

const env = serverAndBrowser({ sales: true })

before(async () => {
  await env.ready
})

test('an agent and a supervisor see each other in one conversation, typing shows, leaving clears it', async () => {
  const { bot, channel, customer } = env.sales
  const res = await inbound(customer, channel.id, 'col-1', 'Cora Collide', 'col-m1', 'Is anyone there?')
  const id = res.conversation_id

  // Alice opens it in the desk: alone, no "Also here".
  const alice = await agentOnline(env.browser, env.server.url, USERS.agent)
  await alice.page.goto(`/bots/${bot.id}/${id}`)
  await alice.page.getByText('Is anyone there?').waitFor()
  const aliceLine = alice.page.getByTestId('collision')
  assert.equal(await aliceLine.getByText('Also here:').count(), 0, 'alone, nothing is shown')

  // Sam follows it from the monitor: each sees the other.
  const sam = await newPage(env.browser, env.server.url)
  await login(sam.page, USERS.supervisor, `/monitor/follow/${id}`)
  await sam.page.getByRole('heading', { name: 'Cora Collide' }).waitFor()
  const samLine = sam.page.getByTestId('collision')
  await samLine.getByText('Also here:').waitFor()
  await samLine.getByText('Alice Agent').waitFor()
  await aliceLine.getByText('Sam Supervisor').waitFor()
  assert.equal(await aliceLine.getAttribute('aria-live'), 'polite')

  // Alice types (a note: the waiting conversation is not hers yet); Sam sees it.
  const composer = alice.page.getByTestId('composer')
  await composer.pressSequentially('Looking into it', { delay: 20 })
  await samLine.getByText('Alice Agent (typing…)').waitFor()
  await auditBoth(sam.page, 'follow with someone typing')
  await auditBoth(alice.page, 'desk with someone else here')
  await screenshot(sam.page, 'collision-01-follow-typing')
  // Typing ends by itself when she stops.
  await samLine.filter({ hasNotText: 'typing' }).getByText('Alice Agent').waitFor()

  // Bruno opens it too: Alice sees both; then he leaves for his desk's list.
  const bruno = await agentOnline(env.browser, env.server.url, USERS.agent2)
  await bruno.page.goto(`/bots/${bot.id}/${id}`)
  await aliceLine.getByText('Bruno Agent').waitFor()
  await bruno.page.getByTestId('collision').getByText('Alice Agent').waitFor()
  await bruno.page.getByTestId('collision').getByText('Sam Supervisor').waitFor()
  await bruno.page.goto(`/bots/${bot.id}`)
  await aliceLine.filter({ hasNotText: 'Bruno Agent' }).getByText('Sam Supervisor').waitFor()

  // Sam goes back to the monitor: Alice is alone, and nothing is shown.
  await sam.page.getByRole('link', { name: /Back/ }).click()
  await sam.page.waitForURL((u) => u.pathname === '/monitor')
  await aliceLine.getByText('Also here:').waitFor({ state: 'detached' })

  for (const p of [alice, sam, bruno]) assert.deepEqual(p.errors, [])
})
