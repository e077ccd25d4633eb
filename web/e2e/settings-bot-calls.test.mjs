// A bot's Calls setting, in a real browser on the demo server: the admin
// opens Acme Sales, whose calls are off (so "Customers may start a call"
// is disabled), picks "Audio and video" and lets customers start; after a
// reload the form reads the same back and so does the API. Back to "Off",
// customers starting is saved unchecked. The form passes axe-core in light
// and dark.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, Api, USERS } from './harness.mjs'
import { auditBoth } from './axe.mjs'

const env = serverAndBrowser()
/** @type {Api} */
let admin

before(async () => {
  await env.ready
  admin = await Api.login(env.server.url, USERS.admin)
})

/** callsOf reads Acme Sales's calls setting through the API. */
async function callsOf() {
  const bot = (await admin.get('/api/v1/bots')).items.find((/** @type {any} */ b) => b.name === 'Acme Sales')
  return bot.calls
}

/** @param {import('playwright-core').Page} page */
async function openForm(page) {
  const row = page.getByRole('table').getByRole('row').filter({ hasText: 'Acme Sales' })
  await row.getByRole('button', { name: 'Edit Acme Sales' }).click()
  const form = page.getByRole('dialog', { name: 'Edit Acme Sales' })
  return { form, calls: form.getByRole('group', { name: 'Calls' }) }
}

test('the admin sets a bot’s calls; the form and the API read them back', async () => {
  assert.deepEqual(await callsOf(), { mode: 'off', customer_may_start: false })
  const p = await newPage(env.browser, env.server.url)
  await login(p.page, USERS.admin, '/settings/bots')
  let { form, calls } = await openForm(p.page)
  const may = calls.getByLabel('Customers may start a call')
  assert.ok(await calls.getByRole('radio', { name: 'Off' }).isChecked())
  assert.ok(await may.isDisabled(), 'customers may not start while calls are off')
  await calls.getByRole('radio', { name: 'Audio and video' }).check()
  await may.check()
  await auditBoth(p.page, 'bot calls setting')
  await form.getByRole('button', { name: 'Save' }).click()
  await form.waitFor({ state: 'detached' })
  assert.deepEqual(await callsOf(), { mode: 'video', customer_may_start: true })

  await p.page.reload()
  ;({ form, calls } = await openForm(p.page))
  assert.ok(await calls.getByRole('radio', { name: 'Audio and video' }).isChecked())
  assert.ok(await calls.getByLabel('Customers may start a call').isChecked())
  await calls.getByRole('radio', { name: 'Off' }).check()
  assert.ok(await calls.getByLabel('Customers may start a call').isDisabled())
  await form.getByRole('button', { name: 'Save' }).click()
  await form.waitFor({ state: 'detached' })
  assert.deepEqual(await callsOf(), { mode: 'off', customer_may_start: false })

  assert.deepEqual(p.errors, [], 'console errors')
  await p.context.close()
})
