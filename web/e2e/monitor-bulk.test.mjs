// Bulk actions on the monitor: six conversations wait; the supervisor ticks
// five, the sixth tick is refused with the reason and stays unticked;
// Finish closes the five in one action and the lists follow live. Then a
// bulk transfer where one of the ticked conversations was closed by someone
// else meanwhile: the others' success and that one's failure are both shown.
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

/** waiting makes a conversation in the queue and waits for its hand-over lock to end. */
async function waiting(name, n) {
  const { admin, channel, customer } = env.sales
  const r = await inbound(customer, channel.id, 'bulk-' + n, name, 'bulk-m' + n, 'Help please')
  for (let i = 0; i < 100; i++) {
    const c = await admin.get(`/api/v1/conversations/${r.conversation_id}`)
    if (c.phase === 'waiting' && (!c.locked_until || Date.parse(c.locked_until) <= Date.now())) return c
    await new Promise((res) => setTimeout(res, 200))
  }
  throw new Error(`${name} never settled in the queue`)
}

/** unlocked waits for the processing lock an assignment starts to end. */
async function unlocked(id) {
  for (let i = 0; i < 100; i++) {
    const c = await env.sales.admin.get(`/api/v1/conversations/${id}`)
    if (!c.locked_until || Date.parse(c.locked_until) <= Date.now()) return c
    await new Promise((res) => setTimeout(res, 200))
  }
  throw new Error(`${id} stays locked`)
}

const NAMES = ['Bulk One', 'Bulk Two', 'Bulk Three', 'Bulk Four', 'Bulk Five', 'Bulk Six']

test('Bulk: 5 sessions finished in one action; the sixth tick refused; per-id results when one fails', async () => {
  const { admin, bot } = env.sales
  const convs = []
  for (const [i, name] of NAMES.entries()) convs.push(await waiting(name, i + 1))

  const sup = await newPage(env.browser, env.server.url)
  const { page } = sup
  await login(page, USERS.supervisor, `/monitor?bot=${bot.id}`)
  const queue = page.getByRole('region', { name: /^Waiting/ })
  const box = (name) => queue.getByRole('checkbox', { name: new RegExp(`^Select ${name} #`) })
  for (const name of NAMES) await box(name).waitFor()

  // Five ticks; the sixth is refused with the reason, and stays unticked.
  for (const name of NAMES.slice(0, 5)) await box(name).check()
  const bar = page.getByRole('region', { name: 'Bulk actions' })
  await bar.getByText('5 selected').waitFor()
  await box('Bulk Six').click()
  await bar.getByRole('alert').filter({ hasText: 'At most 5 at a time' }).waitFor()
  assert.equal(await box('Bulk Six').isChecked(), false, 'the sixth tick is refused')
  await bar.getByText('5 selected').waitFor()
  await auditBoth(page, 'monitor bulk selection')
  await screenshot(page, 'monitor-04-bulk')

  // Finish: five closed in one action, the list follows live.
  await bar.getByRole('button', { name: 'Finish' }).click()
  await bar.getByRole('status').filter({ hasText: /^5 finished$/ }).waitFor()
  for (const name of NAMES.slice(0, 5)) await queue.getByRole('link', { name: new RegExp(name) }).waitFor({ state: 'detached' })
  for (const c of convs.slice(0, 5)) assert.equal((await admin.get(`/api/v1/conversations/${c.id}`)).phase, 'closed')
  await queue.getByRole('link', { name: /Bulk Six/ }).waitFor()

  // A bulk transfer (Alice's to Bruno) where one was closed by someone else meanwhile.
  const alice = await agentOnline(env.browser, env.server.url, USERS.agent)
  const bruno = await agentOnline(env.browser, env.server.url, USERS.agent2)
  const aliceApi = await Api.login(env.server.url, USERS.agent)
  const more = [convs[5], await waiting('Bulk Seven', 7), await waiting('Bulk Eight', 8)]
  for (const c of more) {
    await aliceApi.post(`/api/v1/conversations/${c.id}/assign`, {})
    await unlocked(c.id)
  }
  const inService = page.getByRole('region', { name: /^In service/ })
  const held = (name) => inService.getByRole('checkbox', { name: new RegExp(`^Select ${name} #`) })
  for (const name of ['Bulk Six', 'Bulk Seven', 'Bulk Eight']) await held(name).check()
  await bar.getByText('3 selected').waitFor()
  await admin.post(`/api/v1/conversations/${more[2].id}/resolve`)
  await inService.getByRole('link', { name: /Bulk Eight/ }).waitFor({ state: 'detached' })
  await bar.getByText(`Bulk Eight #${more[2].protocol}`).waitFor()

  await bar.getByRole('button', { name: 'Transfer' }).click()
  const dialog = page.getByRole('dialog', { name: 'Transfer' })
  await dialog.getByRole('combobox', { name: 'Agent' }).selectOption({ label: 'Bruno Agent' })
  const reason = dialog.getByRole('combobox', { name: /^Reason/ })
  await reason.selectOption({ label: (await reason.locator('option:not([disabled])').first().innerText()).trim() })
  await dialog.getByRole('button', { name: 'Transfer' }).click()
  await dialog.waitFor({ state: 'detached' })
  const outcome = bar.getByTestId('bulk-outcome')
  await outcome.getByText('2 transferred, 1 failed').waitFor()
  await outcome.getByText(new RegExp(`^Bulk Eight #${more[2].protocol}: \\S`)).waitFor()
  await inService.getByRole('link', { name: /Bulk Six/ }).filter({ hasText: 'Bruno Agent' }).waitFor()
  await inService.getByRole('link', { name: /Bulk Seven/ }).filter({ hasText: 'Bruno Agent' }).waitFor()
  const brunoId = (await bruno.page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()))).id
  for (const c of more.slice(0, 2)) assert.equal((await admin.get(`/api/v1/conversations/${c.id}`)).assignee_id, brunoId)
  // The refused one stays ticked, to retry or untick.
  await bar.getByText('1 selected').waitFor()
  await auditBoth(page, 'monitor bulk outcome')
  await bar.getByRole('button', { name: 'Clear' }).click()
  await bar.getByText(/selected/).waitFor({ state: 'detached' })

  assert.deepEqual(sup.errors, [], 'supervisor console errors')
  assert.deepEqual(alice.errors, [], 'agent console errors')
  assert.deepEqual(bruno.errors, [], 'second agent console errors')
  await sup.context.close()
  await alice.context.close()
  await bruno.context.close()
})

test('the API still refuses six at once', async () => {
  const sup = await Api.login(env.server.url, USERS.supervisor)
  await assert.rejects(
    sup.post('/api/v1/conversations/bulk', { action: 'resolve', ids: ['a', 'b', 'c', 'd', 'e', 'f'] }),
    /: 422 .*bulk_limit_exceeded/,
  )
})
