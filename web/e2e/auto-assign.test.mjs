// Automatic assignment on the demo server, in a real browser: the admin
// switches the "Acme Sales" bot (its conversations without a team) to
// automatic in the bot form (axe-audited, light and dark); a customer
// writes while no agent is online and waits; Alice goes online and the
// conversation appears in her "Mine" list by itself, live, without a click.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, inbound, goOnline, screenshot, waitFor, Api, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser({ sales: true })

test('an agent going online in an automatic queue receives a waiting conversation live', async () => {
  await env.ready
  const base = env.server.url
  const { page, context } = await newPage(env.browser, base)
  await login(page, USERS.admin, '/settings')
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Bots' }).click()
  await page.waitForURL('**/settings/bots')
  const row = page.getByRole('table').getByRole('row').filter({ hasText: 'Acme Sales' })
  await row.getByRole('button', { name: 'Edit Acme Sales' }).click()
  const form = page.getByRole('dialog', { name: 'Edit Acme Sales' })
  const mode = form.getByRole('group', { name: 'Assignment' })
  assert.equal(await mode.getByLabel('Manual').isChecked(), true)
  await mode.getByLabel('Automatic').check()
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `bot form, assignment (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
  await form.getByRole('button', { name: 'Save' }).click()
  await form.waitFor({ state: 'detached' })
  const admin = await Api.login(base, USERS.admin)
  const bot = await admin.get('/api/v1/bots/' + env.sales.bot.id)
  assert.equal(bot.assignment, 'automatic')

  // Nobody is online: the customer waits in the queue.
  const res = await inbound(env.sales.customer, env.sales.channel.id, 'auto-1', 'Olivia Auto', 'auto-1-m1', 'Can someone help me?')
  const waiting = await admin.get('/api/v1/conversations/' + res.conversation_id)
  assert.equal(waiting.phase, 'waiting')

  // Alice opens Acme Sales' live chat on her "Mine" list, still offline,
  // then goes online: the conversation arrives in the list by itself.
  const alice = await newPage(env.browser, base)
  await login(alice.page, USERS.agent)
  await alice.page.getByRole('link', { name: /Acme Sales/ }).first().click()
  await alice.page.getByRole('tab', { name: 'Mine' }).click()
  await alice.page.getByRole('tab', { name: 'Mine', selected: true }).waitFor()
  // (The list may still show the previous tab's rows for a moment, so the
  // "not yet" is read from the server: offline, Alice is given nothing.)
  assert.equal((await admin.get('/api/v1/conversations/' + res.conversation_id)).phase, 'waiting')
  const mine = alice.page.locator('[data-testid^="row-"][data-contact="Olivia Auto"]')
  await goOnline(alice.page)
  const taken = await waitFor(async () => {
    const c = await admin.get('/api/v1/conversations/' + res.conversation_id)
    return c.phase === 'human' && c
  }, 'the conversation assigned once Alice is online')
  await mine.waitFor()
  await screenshot(alice.page, 'auto-assign-mine')
  const me = await alice.page.evaluate(async () => (await fetch('/api/v1/me')).json())
  assert.equal(taken.assignee_id, me.id, 'assigned to Alice, the one online')
  assert.deepEqual(alice.errors, [], 'console errors')
  await alice.context.close()
  await context.close()
})
