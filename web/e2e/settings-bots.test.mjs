// Settings → Bots on the demo server, in a real browser: the admin edits
// "Acme Sales" (no flow: new conversations queue at once), after creating
// a bot (a missing name is said in place). A delay over 30
// days is refused next to the auto-close field; then the Portuguese queued
// and assigned notices are written and previewed ({agent} filled in),
// auto-close set to 2 h 30 min, a handover keyword added. The API then
// holds 9000 seconds and the keyword, and a Portuguese-speaking customer
// of the API channel reads the new notices when queued and when an agent
// takes the conversation. A supervisor reads the list without a button
// that writes. axe-core audits the list and the form, light and dark.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, inbound, screenshot, Api, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser({ sales: true })

/** @param {import('playwright-core').Page} page @param {string} label */
async function bothSchemes(page, label) {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `${label} (${colorScheme})`)
    await screenshot(page, `settings-${label}-${colorScheme}`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

/** The browser logs every 4xx answer; 422 is the one the test provokes. */
const expected = (/** @type {string} */ e) => !/status of 422/.test(e)

/** unlocked retries an action refused while an assignment's processing lock holds. */
async function unlocked(/** @type {() => Promise<any>} */ fn) {
  for (let i = 0; ; i++) {
    try {
      return await fn()
    } catch (e) {
      if (i > 100 || !/conversation_locked/.test(String(e))) throw e
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

const QUEUED = 'Já recebemos sua mensagem: um agente responde em instantes.'
const ASSIGNED = 'Agora quem fala com você é {agent}.'

/** eventually polls the API until ok holds for what read returns (a notice is delivered from the outbox). */
async function eventually(/** @type {() => Promise<string[]>} */ read, /** @type {(v: string[]) => boolean} */ ok, /** @type {string} */ what) {
  const deadline = Date.now() + 20_000
  for (;;) {
    const v = await read()
    if (ok(v)) return
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** texts are the conversation's message texts, as the API lists them. */
async function texts(/** @type {Api} */ api, /** @type {string} */ id) {
  return (await api.get(`/api/v1/conversations/${id}/messages`)).items.map((/** @type {any} */ m) => m.text)
}

test('bots: notices per language with a preview, auto-close in hours and minutes, keywords; customers read the notices', async () => {
  await env.ready
  const base = env.server.url
  const { customer, channel, bot } = env.sales

  // A customer who writes in Portuguese (an agent set the language), with
  // a first conversation already over.
  const alice = await Api.login(base, USERS.agent)
  await alice.call('PUT', '/api/v1/me/status', { status: 'online' })
  const first = (await inbound(customer, channel.id, 'bots-pt', 'Paula Reis', 'bp-1', 'Oi')).conversation_id
  const contact = (await customer.get(`/api/v1/conversations/${first}`)).contact.id
  await customer.call('PATCH', `/api/v1/contacts/${contact}`, { attributes: { language: 'pt-BR' } })
  await alice.post(`/api/v1/conversations/${first}/assign`)
  await unlocked(() => alice.post(`/api/v1/conversations/${first}/resolve`))

  const admin = await newPage(env.browser, base)
  const page = admin.page
  await login(page, USERS.admin, '/settings')
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Bots' }).click()
  await page.waitForURL('**/settings/bots')
  const table = page.getByRole('table')
  const row = table.getByRole('row').filter({ hasText: 'Acme Sales' })
  await row.getByRole('cell', { name: '24 h', exact: true }).waitFor()
  await page.getByLabel('Search bots').fill('sales')
  await table.getByRole('cell', { name: 'Acme Support', exact: true }).waitFor({ state: 'detached' })
  await bothSchemes(page, 'bots')
  await page.getByLabel('Search bots').fill('')

  // A new bot: a name is needed, said in place; then it is listed with
  // its member and the default delay.
  await page.getByRole('button', { name: 'New bot' }).click()
  const create = page.getByRole('dialog', { name: 'New bot' })
  await create.getByRole('group', { name: 'Members' }).getByLabel('Alice Agent').check()
  await create.getByRole('button', { name: 'Create bot' }).click()
  await create.getByText('Enter a name.').waitFor()
  assert.equal(await create.getByLabel('Name').getAttribute('aria-invalid'), 'true')
  await create.getByLabel('Name').fill('Acme Billing')
  await create.getByRole('button', { name: 'Create bot' }).click()
  await create.waitFor({ state: 'detached' })
  const billing = table.getByRole('row').filter({ hasText: 'Acme Billing' })
  await billing.getByRole('cell', { name: '1', exact: true }).waitFor()
  await billing.getByRole('cell', { name: '24 h', exact: true }).waitFor()

  await row.getByRole('button', { name: 'Edit Acme Sales' }).click()
  const form = page.getByRole('dialog', { name: 'Edit Acme Sales' })
  const autoClose = form.getByRole('group', { name: 'Auto-close after' })
  assert.equal(await autoClose.getByLabel('Hours').inputValue(), '24')

  // Over 30 days: refused, and said next to the field.
  await autoClose.getByLabel('Hours').fill('800')
  await form.getByRole('button', { name: 'Save' }).click()
  await autoClose.getByText('From 1 minute to 30 days (720 hours).').waitFor()
  assert.equal(await autoClose.getByLabel('Hours').getAttribute('aria-invalid'), 'true')
  await bothSchemes(page, 'bot-form-invalid')

  await autoClose.getByLabel('Hours').fill('2')
  await autoClose.getByLabel('Minutes').fill('30')

  // Portuguese notices, previewed as the customer reads them.
  const notices = form.getByRole('group', { name: 'Customer notices' })
  await notices.getByRole('tab', { name: 'Portuguese' }).click()
  const preview = notices.getByRole('region', { name: 'What a customer reads (Portuguese)' })
  await preview.getByText('An agent will be with you shortly.').waitFor() // empty: the default text
  await notices.getByLabel('Waiting for an agent').fill(QUEUED)
  await notices.getByLabel('Assigned').fill(ASSIGNED)
  await preview.getByText(QUEUED).waitFor()
  await preview.getByText('Agora quem fala com você é Alice.').waitFor()
  await notices.getByRole('tab', { name: 'Default' }).click()
  await notices.getByRole('region', { name: 'What a customer reads (Default)' }).getByText('You are being transferred to Agent Alice').waitFor()

  // A handover keyword, added as a chip.
  const keywords = form.getByRole('group', { name: 'Handover keywords' })
  await keywords.getByText('None set: the built-in words').waitFor()
  await keywords.getByLabel('New handover keyword').fill('falar com alguém')
  await keywords.getByLabel('New handover keyword').press('Enter')
  await keywords.getByRole('button', { name: 'Remove falar com alguém' }).waitFor()
  await bothSchemes(page, 'bot-form')

  await form.getByRole('button', { name: 'Save' }).click()
  await form.waitFor({ state: 'detached' })
  await row.getByRole('cell', { name: '2 h 30 min' }).waitFor()
  await row.getByRole('cell', { name: 'falar com alguém' }).waitFor()

  // The API holds seconds, the keyword and the Portuguese texts.
  const saved = await env.sales.admin.get(`/api/v1/bots/${bot.id}`)
  assert.equal(saved.auto_close_after, 9000)
  assert.deepEqual(saved.handover_keywords, ['falar com alguém'])
  assert.equal(saved.notices.translations['pt-BR'].queued, QUEUED)
  assert.equal(saved.notices.translations['pt-BR'].assigned, ASSIGNED)

  // The customer writes again: queued, then assigned, in Portuguese.
  const second = (await inbound(customer, channel.id, 'bots-pt', 'Paula Reis', 'bp-2', 'Oi de novo')).conversation_id
  assert.notEqual(second, first)
  await eventually(() => texts(customer, second), (v) => v.includes(QUEUED), 'the Portuguese queued notice')
  await alice.post(`/api/v1/conversations/${second}/assign`)
  const me = await alice.get('/api/v1/me')
  await eventually(() => texts(customer, second), (v) => v.includes(`Agora quem fala com você é ${me.name}.`), 'the Portuguese assigned notice')
  await alice.call('PUT', '/api/v1/me/status', { status: 'offline' })

  // A supervisor reads the bots, with no button that writes.
  const sup = await newPage(env.browser, base)
  await login(sup.page, USERS.supervisor, '/settings/bots')
  const supRow = sup.page.getByRole('table').getByRole('row').filter({ hasText: 'Acme Sales' })
  await supRow.getByRole('cell', { name: '2 h 30 min' }).waitFor()
  await sup.page.getByText('Only admins change bots; you can read them.').waitFor()
  for (const name of ['New bot', 'Edit Acme Sales']) {
    assert.equal(await sup.page.getByRole('button', { name }).count(), 0, `a supervisor sees "${name}"`)
  }
  await bothSchemes(sup.page, 'bots-read-only')

  assert.deepEqual(admin.errors.filter(expected), [], 'admin console errors')
  assert.deepEqual(sup.errors, [], 'supervisor console errors')
})
