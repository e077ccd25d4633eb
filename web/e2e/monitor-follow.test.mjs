// Following a conversation from the monitor ("silent supervision"): the
// supervisor opens an agent's conversation from the In service list, sees
// its timeline live, the protocol and the contact's earlier conversations,
// and nothing is marked read for anyone: the console sends no read request
// and both the agent's and the supervisor's unread counts stay as they were.
// From there the supervisor transfers it (reason in the timeline), sees
// the new agent hand it back live, and finishes it.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, agentOnline, screenshot, inbound, Api, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser({ sales: true })

before(async () => {
  await env.ready
})

async function auditBoth(page, label) {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `${label} (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

/** settled waits until the conversation's hand-over lock is over. */
async function settled(api, id) {
  let c
  for (let i = 0; i < 100; i++) {
    c = await api.get(`/api/v1/conversations/${id}`)
    if (!c.locked_until || Date.parse(c.locked_until) <= Date.now()) return c
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`conversation ${id} stays locked`)
}

test('Follow: the supervisor opens an agent\'s conversation; the agent\'s unread state is unchanged', async () => {
  const { admin, bot, channel, customer } = env.sales
  const alice = await Api.login(env.server.url, USERS.agent)
  const supApi = await Api.login(env.server.url, USERS.supervisor)

  // An earlier conversation of the same contact, finished, with its protocol.
  const first = await inbound(customer, channel.id, 'fol-1', 'Flora Follow', 'fol-m1', 'First time here')
  const earlier = await settled(admin, first.conversation_id)
  await admin.post(`/api/v1/conversations/${earlier.id}/resolve`)
  const earlierProtocol = (await admin.get(`/api/v1/conversations/${earlier.id}`)).protocol
  assert.ok(earlierProtocol, 'the earlier conversation has a protocol')

  // Alice holds the new one and has not read the customer's last message.
  const agent = await agentOnline(env.browser, env.server.url, USERS.agent)
  const now = await inbound(customer, channel.id, 'fol-1', 'Flora Follow', 'fol-m2', 'Hello again')
  const id = now.conversation_id
  assert.notEqual(id, earlier.id)
  await settled(admin, id)
  await alice.post(`/api/v1/conversations/${id}/assign`, {})
  await alice.post(`/api/v1/conversations/${id}/read`)
  await inbound(customer, channel.id, 'fol-1', 'Flora Follow', 'fol-m3', 'Where is my order?')
  const aliceBefore = await alice.get(`/api/v1/conversations/${id}`)
  const protocol = (await admin.get(`/api/v1/conversations/${id}`)).protocol
  assert.equal(aliceBefore.unread_count, 1, 'Alice has one unread message')
  const supBefore = await supApi.get(`/api/v1/conversations/${id}`)
  assert.ok(supBefore.unread_count > 0, 'the supervisor has not read it either')
  await agent.page.goto(`/bots/${bot.id}`)
  await agent.page.getByRole('tab', { name: /^Mine/ }).click()
  const badge = agent.page.getByTestId('row-' + id).getByLabel('1 unread')
  await badge.waitFor()

  // The supervisor follows it from the In service list.
  const sup = await newPage(env.browser, env.server.url)
  const { page } = sup
  /** @type {string[]} */
  const reads = []
  page.on('request', (r) => {
    if (/\/read(\?|$)/.test(new URL(r.url()).pathname) && r.method() === 'POST') reads.push(r.url())
  })
  await login(page, USERS.supervisor, `/monitor?bot=${bot.id}`)
  const inService = page.getByRole('region', { name: /^In service/ })
  await inService.getByRole('link', { name: /Flora Follow/ }).click()
  await page.waitForURL((u) => u.pathname === `/monitor/follow/${id}` && u.searchParams.get('bot') === bot.id)
  await page.getByRole('heading', { name: 'Flora Follow' }).waitFor()
  const timeline = page.getByRole('log', { name: 'Messages' })
  await timeline.getByText('Where is my order?').waitFor()
  await page.getByTestId('protocol').filter({ hasText: protocol }).waitFor()
  await page.getByText(/with Alice Agent/).waitFor()
  await page.getByRole('region', { name: 'Previous conversations' }).getByText('#' + earlierProtocol).waitFor()
  assert.equal(await page.getByRole('textbox', { name: /message/i }).count(), 0, 'read-only: no composer')

  // A message arriving while following shows live.
  await inbound(customer, channel.id, 'fol-1', 'Flora Follow', 'fol-m4', 'Anyone there?')
  await timeline.getByText('Anyone there?').waitFor()
  await agent.page.getByTestId('row-' + id).getByLabel('2 unread').waitFor()
  const aliceAfter = await alice.get(`/api/v1/conversations/${id}`)
  assert.equal(aliceAfter.unread_count, 2, "Alice's unread counts both customer messages: following read nothing for her")
  assert.equal(aliceAfter.marked_unread, aliceBefore.marked_unread)
  await auditBoth(page, 'monitor follow')
  await screenshot(page, 'monitor-03-follow')

  // Transfer to Bruno with a reason: the reason is in the timeline, the
  // assignee changes live.
  const bruno = await agentOnline(env.browser, env.server.url, USERS.agent2)
  await page.getByRole('button', { name: 'Transfer' }).click()
  const dialog = page.getByRole('dialog', { name: 'Transfer' })
  await dialog.getByRole('button', { name: 'Transfer' }).click()
  await dialog.getByText('A reason is required.').waitFor()
  await dialog.getByRole('combobox', { name: 'Agent' }).selectOption({ label: 'Bruno Agent' })
  const reason = dialog.getByRole('combobox', { name: /^Reason/ })
  const reasonName = (await reason.locator('option:not([disabled])').first().innerText()).trim()
  await reason.selectOption({ label: reasonName })
  await dialog.getByRole('button', { name: 'Transfer' }).click()
  await dialog.waitFor({ state: 'detached' })
  await timeline.getByTestId('event-transferred').getByText(reasonName).waitFor()
  await page.getByText(/with Bruno Agent/).waitFor()

  // Someone else's change shows live: Bruno hands it back to the queue.
  const brunoApi = await Api.login(env.server.url, USERS.agent2)
  await settled(admin, id)
  await brunoApi.post(`/api/v1/conversations/${id}/unassign`)
  await page.getByTestId('phase').filter({ hasText: 'Waiting' }).waitFor()
  await page.getByText(/with Bruno Agent/).waitFor({ state: 'detached' })
  await timeline.getByTestId('event-unassigned').waitFor()
  await settled(admin, id)

  // Finish it: closed, and the phase shows it.
  await page.getByRole('button', { name: 'Finish' }).click()
  await page.getByTestId('phase').filter({ hasText: 'Closed' }).waitFor()
  await page.getByRole('status').filter({ hasText: 'Finished.' }).waitFor()
  assert.equal((await admin.get(`/api/v1/conversations/${id}`)).phase, 'closed')

  // Back to the monitor, with the query it had.
  await page.getByRole('link', { name: /Back to the monitor/ }).click()
  await page.waitForURL((u) => u.pathname === '/monitor' && u.searchParams.get('bot') === bot.id)
  await inService.getByRole('link', { name: /Flora Follow/ }).waitFor({ state: 'detached' })

  assert.deepEqual(reads, [], 'following never asks the server to mark anything read')
  const supAfter = await supApi.get(`/api/v1/conversations/${id}`)
  assert.ok(supAfter.unread_count >= supBefore.unread_count, "the supervisor's own unread was not cleared either")
  assert.deepEqual(sup.errors, [], 'supervisor console errors')
  assert.deepEqual(agent.errors, [], 'agent console errors')
  assert.deepEqual(bruno.errors, [], 'second agent console errors')
  await sup.context.close()
  await agent.context.close()
  await bruno.context.close()
})

test("a supervisor cannot follow another bot's conversation: the reason is shown in words", async () => {
  const { admin } = env.sales
  const priv = await admin.post('/api/v1/bots', { name: 'Follow Private', member_ids: [] })
  const ch = await admin.post('/api/v1/channels', { bot_id: priv.id, type: 'api', name: 'Follow Private API' })
  const tok = await admin.post('/api/v1/tokens', { name: 'e2e follow private', bot_id: priv.id })
  const r = await inbound(new Api(env.server.url, { token: tok.token }), ch.id, 'fol-z', 'Zoe Hidden', 'fol-z1', 'Hello')

  const sup = await newPage(env.browser, env.server.url)
  await login(sup.page, USERS.supervisor, `/monitor/follow/${r.conversation_id}`)
  await sup.page.getByRole('alert').filter({ hasText: 'It is not there any more, or not visible to you.' }).waitFor()
  assert.equal(await sup.page.getByText('Zoe Hidden').count(), 0, 'nothing of the other bot shows')
  // The browser logs the refused reads themselves (404); nothing else may fail.
  assert.deepEqual(sup.errors.filter((e) => !/404/.test(e)), [], 'supervisor console errors')
  await sup.context.close()
})
