// Settings → Canned replies: a supervisor creates a bot's reply with
// {contact.name} (a typo'd variable is refused next to the text), searches,
// edits and deletes; an agent uses the reply with "/" and the customer
// receives the name filled in and the reply's file; the agent keeps personal replies from the
// same section, read-only for the bot's. Axe in light and dark.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, screenshot, inbound, waitFor, Api, USERS } from './harness.mjs'
import { auditBoth as auditBoth } from './axe.mjs'

const env = serverAndBrowser({ sales: true })
/** A real 1×1 PNG, the canned reply's file. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64')

before(async () => {
  await env.ready
})

test('a supervisor makes a bot reply, a typo is refused in words, an agent sends it filled in', async () => {
  const { bot, channel, customer } = env.sales
  const sam = await newPage(env.browser, env.server.url)
  const { page } = sam
  await login(page, USERS.supervisor, '/settings')
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Canned replies' }).click()
  await page.getByRole('heading', { name: 'Canned replies', level: 1 }).waitFor()

  // New, with a typo'd variable: refused next to the text, in words.
  await page.getByRole('button', { name: 'New canned reply' }).click()
  const dialog = page.getByRole('dialog', { name: 'New canned reply' })
  await dialog.getByLabel('For').selectOption({ label: 'Acme Sales' })
  await dialog.getByLabel('Shortcut').fill('welcome')
  const text = dialog.getByLabel('Text')
  await text.fill('Hello {contcat.name}, how can I help?')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await dialog.getByText('Unknown variable {contcat.name}').waitFor()
  assert.equal(await text.getAttribute('aria-invalid'), 'true')
  await auditBoth(page, 'canned reply form with an error')
  await screenshot(page, 'settings-canned-01-typo')

  // Fixed, with a file, it saves and is listed with its bot and the file.
  await text.fill('Hello {contact.name}, how can I help?')
  await dialog.getByLabel('File (optional)').setInputFiles({ name: 'prices.png', mimeType: 'image/png', buffer: PNG })
  await dialog.getByText('Sent with it: prices.png').waitFor()
  await dialog.getByRole('button', { name: 'Save' }).click()
  await dialog.waitFor({ state: 'detached' })
  const row = page.getByRole('row', { name: /\/welcome/ })
  await row.getByRole('cell', { name: 'Acme Sales' }).waitFor()
  await row.getByText('Hello {contact.name}, how can I help?').waitFor()
  await row.getByText('File: prices.png').waitFor()

  // A second one, found by the search (its text), then deleted.
  await page.getByRole('button', { name: 'New canned reply' }).click()
  await dialog.getByLabel('For').selectOption({ label: 'Acme Sales' })
  await dialog.getByLabel('Shortcut').fill('bye')
  await dialog.getByLabel('Text').fill('Thanks for writing, {contact.name}!')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await dialog.waitFor({ state: 'detached' })
  await page.getByRole('searchbox', { name: 'Search canned replies' }).fill('thanks for')
  await page.getByRole('row', { name: /\/welcome/ }).waitFor({ state: 'detached' })
  await page.getByRole('button', { name: 'Delete /bye' }).click()
  const confirm = page.getByRole('dialog', { name: 'Delete /bye?' })
  await confirm.getByRole('button', { name: 'Delete' }).click()
  await page.getByText('No canned replies match.').waitFor()
  await page.getByRole('searchbox', { name: 'Search canned replies' }).fill('')
  await row.waitFor()
  await auditBoth(page, 'canned replies list')

  // Alice, the agent, uses it with "/": the customer gets the name filled in.
  const conv = (await inbound(customer, channel.id, 'sc-nora', 'Nora Lima', 'sc-m1', 'Hi there')).conversation_id
  const aliceApi = await Api.login(env.server.url, USERS.agent)
  await aliceApi.call('PUT', '/api/v1/me/status', { status: 'online' })
  await aliceApi.post(`/api/v1/conversations/${conv}/assign`)
  const alice = await newPage(env.browser, env.server.url)
  await login(alice.page, USERS.agent, `/bots/${bot.id}/${conv}`)
  await alice.page.getByText('Hi there').waitFor()
  await alice.page.getByText(/Processing the hand-over/).waitFor({ state: 'detached' })
  const box = alice.page.getByRole('textbox', { name: 'Write to the customer…' })
  await box.click()
  await box.pressSequentially('/welc')
  await alice.page.getByRole('listbox', { name: 'Canned replies' }).getByRole('option', { name: /\/welcome/ }).waitFor()
  await box.press('Enter')
  const filled = 'Hello Nora Lima, how can I help?'
  await waitFor(async () => (await box.inputValue()) === filled, 'the filled reply')
  // The reply's file waits in the composer with the text, already uploaded.
  await alice.page.getByRole('list', { name: 'Attachments' }).getByText('prices.png').waitFor()
  await box.press('Enter')
  const got = await waitFor(async () => {
    const msgs = (await customer.get(`/api/v1/conversations/${conv}/messages`)).items
    return msgs.find((/** @type {any} */ m) => m.author.type === 'agent' && m.text === filled)
  }, 'the customer to receive the filled reply')
  assert.deepEqual(got.attachments.map((/** @type {any} */ a) => a.name), ['prices.png'], 'the file went with it')

  // Her own replies: from the header; the bot's reply is there read-only.
  await alice.page.getByRole('link', { name: 'My canned replies' }).click()
  await alice.page.getByRole('heading', { name: 'Canned replies', level: 1 }).waitFor()
  const aliceRow = alice.page.getByRole('row', { name: /\/welcome/ })
  await aliceRow.waitFor()
  assert.equal(await aliceRow.getByRole('button').count(), 0, "an agent cannot change the bot's reply")
  assert.equal(await alice.page.getByRole('navigation', { name: 'Settings' }).getByRole('link').count(), 1, 'agents see only this section')
  await alice.page.getByRole('button', { name: 'New canned reply' }).click()
  const mine = alice.page.getByRole('dialog', { name: 'New canned reply' })
  assert.equal(await mine.getByLabel('For').locator('option').count(), 1, 'an agent writes personal replies only')
  await mine.getByLabel('Shortcut').fill('Thanks!')
  await mine.getByLabel('Text').fill('Thank you, {agent.name} here.')
  await mine.getByRole('button', { name: 'Save' }).click()
  await mine.getByText('Lowercase letters, digits, _ and -, up to 32 characters.').waitFor()
  await mine.getByLabel('Shortcut').fill('thanks')
  await mine.getByRole('button', { name: 'Save' }).click()
  await mine.waitFor({ state: 'detached' })
  await alice.page.getByRole('row', { name: /\/thanks/ }).getByRole('cell', { name: 'Only me (personal)' }).waitFor()
  await auditBoth(alice.page, 'canned replies as an agent')

  // The browser logs every 4xx answer: the two 422s are the refusals the test provokes.
  for (const p of [sam, alice]) assert.deepEqual(p.errors.filter((e) => !/status of 422/.test(e)), [])
})
