// The internal chat drawer in the header: a supervisor writes to an agent,
// the agent sees the unread badge, reads and answers, and both see the
// messages live; the history is still there after a reload. The open
// drawer passes the WCAG audit in light and dark.
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, goOnline, screenshot, Api, USERS, recordAlerts, toBackground } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser()

before(async () => {
  await env.ready
})

test('supervisor and agent chat live in the drawer, with the unread badge', async () => {
  const sup = await newPage(env.browser, env.server.url)
  await login(sup.page, USERS.supervisor)
  const supButton = sup.page.getByRole('button', { name: 'Internal chat', exact: true })
  await supButton.click()
  const supDrawer = sup.page.getByRole('dialog', { name: 'Internal chat' })
  const alice = supDrawer.getByRole('button', { name: /Alice Agent/ })
  await alice.filter({ hasText: 'Offline' }).waitFor()

  // Presence is live: the agent goes online while the list is open.
  const agent = await newPage(env.browser, env.server.url)
  await login(agent.page, USERS.agent)
  await goOnline(agent.page)
  await alice.filter({ hasText: 'Online' }).waitFor()

  await alice.click()
  await supDrawer.getByText('No messages yet.').waitFor()
  await supDrawer.getByLabel('Message to Alice Agent').fill('Can you take the VIP queue?')
  await supDrawer.getByLabel('Message to Alice Agent').press('Enter')
  await supDrawer.getByRole('log').getByText('Can you take the VIP queue?').waitFor()

  // The agent, drawer closed, sees the count on the header button and on
  // the colleague who wrote.
  const unread = agent.page.getByRole('button', { name: 'Internal chat, 1 unread' })
  await unread.waitFor()
  assert.equal((await unread.innerText()).trim(), '1')
  await unread.click()
  const agentDrawer = agent.page.getByRole('dialog', { name: 'Internal chat' })
  const sam = agentDrawer.getByRole('button', { name: /Sam Supervisor/ })
  await sam.filter({ hasText: '1 unread' }).waitFor()
  await sam.click()
  await agentDrawer.getByRole('log').getByText('Can you take the VIP queue?').waitFor()
  await agent.page.getByRole('button', { name: 'Internal chat', exact: true }).waitFor({ state: 'attached' })

  await agentDrawer.getByLabel('Message to Sam Supervisor').fill('On it')
  await agentDrawer.getByRole('button', { name: 'Send' }).click()
  // The supervisor's open thread shows the answer without a reload, and
  // it counts as read there: no badge.
  await supDrawer.getByRole('log').getByText('On it').waitFor()
  assert.equal(await sup.page.getByRole('button', { name: /unread/ }).count(), 0, 'no unread for a thread in front')
  await screenshot(sup.page, 'chat-01-supervisor-thread')

  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await sup.page.emulateMedia({ colorScheme })
    await audit(sup.page, `chat drawer (${colorScheme})`)
  }
  await sup.page.emulateMedia({ colorScheme: 'light' })

  // Escape closes the drawer and gives the focus back to its button.
  await agent.page.keyboard.press('Escape')
  await agentDrawer.waitFor({ state: 'hidden' })
  const chatButton = agent.page.getByRole('button', { name: 'Internal chat', exact: true })
  assert.ok(await chatButton.evaluate((el) => el === document.activeElement), 'focus is back on the chat button')

  // History is kept: after a reload the thread reads it again.
  await agent.page.reload()
  await chatButton.click()
  await agentDrawer.getByRole('button', { name: /Sam Supervisor/ }).click()
  await agentDrawer.getByRole('log').getByText('Can you take the VIP queue?').waitFor()
  await agentDrawer.getByRole('log').getByText('On it').waitFor()

  assert.deepEqual(sup.errors, [], 'supervisor console errors')
  assert.deepEqual(agent.errors, [], 'agent console errors')
  await sup.context.close()
  await agent.context.close()
})

test('a chat message in the background raises a notification and the chime, like a handover', async () => {
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await recordAlerts(context, env.server.url)
  await login(page, USERS.agent2)
  await goOnline(page) // a click: the page may now play sound
  const me = await (await Api.login(env.server.url, USERS.agent2)).get('/api/v1/me')
  const sam = await Api.login(env.server.url, USERS.supervisor)
  const samID = (await sam.get('/api/v1/me')).id

  await toBackground(context, page)

  await sam.post(`/api/v1/chats/${me.id}/messages`, { text: 'Team meeting at 3' })
  await page.waitForFunction(() => /** @type {any} */ (window).notes.length === 1)
  assert.deepEqual(await page.evaluate('window.notes[0]'), { title: 'Message from Sam Supervisor', body: 'Team meeting at 3', tag: 'chat-' + samID })
  await page.waitForFunction(() => /** @type {any} */ (window).tones >= 2)
  await page.bringToFront()
  await page.getByRole('button', { name: 'Internal chat, 1 unread' }).waitFor()
  assert.deepEqual(errors, [])
  await context.close()
})
