// Canned replies in the composer, in a real browser on the demo server: a
// supervisor saves a bot reply with variables through the API, an agent
// holding a conversation types "/hi", sees it offered (a colleague's
// personal reply is not), picks it with Enter, finds its variables filled
// in the composer and sends it; the customer receives the filled text.
// "/ref" filters as typed, Escape closes the list, the mouse picks too;
// axe-core audits the open list, light and dark.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, screenshot, inbound, Api, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser({ sales: true })
/** @type {string} */
let conv

before(async () => {
  await env.ready
  const { bot, channel, customer } = env.sales
  const sup = await Api.login(env.server.url, USERS.supervisor)
  await sup.post('/api/v1/canned-replies', { bot_id: bot.id, shortcut: 'hi', text: 'Hi {contact.name}, this is {agent.name} (protocol {protocol})' })
  await sup.post('/api/v1/canned-replies', { bot_id: bot.id, shortcut: 'refund', text: 'Your refund for {contact.plan} is on its way.\nCan I help further?' })
  const bruno = await Api.login(env.server.url, USERS.agent2)
  await bruno.post('/api/v1/canned-replies', { personal: true, shortcut: 'hi-bruno', text: 'Bruno here, hello!' })

  const alice = await Api.login(env.server.url, USERS.agent)
  await alice.call('PUT', '/api/v1/me/status', { status: 'online' })
  conv = (await inbound(customer, channel.id, 'canned-marta', 'Marta Reis', 'cm1', 'Hello, anyone there?')).conversation_id
  const contact = (await customer.get(`/api/v1/conversations/${conv}`)).contact.id
  await customer.call('PATCH', `/api/v1/contacts/${contact}`, { attributes: { plan: 'Business' } })
  await alice.post(`/api/v1/conversations/${conv}/assign`)
})

/**
 * waitFor polls an async check until it holds (what a person sees settle).
 * @template T @param {() => Promise<T>} fn @param {string} what @returns {Promise<T>}
 */
async function waitFor(fn, what, timeout = 20_000) {
  const deadline = Date.now() + timeout
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** @param {import('playwright-core').Page} page @param {string} label */
async function bothSchemes(page, label) {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `${label} (${colorScheme})`)
    await screenshot(page, `canned-${label}-${colorScheme}`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

test('"/" in the composer offers canned replies and inserts one with its variables filled', async () => {
  const { page } = await newPage(env.browser, env.server.url)
  await login(page, USERS.agent, `/bots/${env.sales.bot.id}/${conv}`)
  const box = page.getByRole('textbox', { name: 'Write to the customer…' })
  await page.getByText('Hello, anyone there?').waitFor()
  // The processing lock of the assignment ends once the notice is delivered.
  await page.getByText(/Processing the hand-over/).waitFor({ state: 'detached' })
  const api = await Api.login(env.server.url, USERS.agent)
  const protocol = (await api.get(`/api/v1/conversations/${conv}`)).protocol
  assert.ok(protocol, 'the conversation has a protocol')

  // "/ref" filters as typed; Escape closes the list and leaves the text.
  await box.click()
  await box.pressSequentially('/ref')
  const list = page.getByRole('listbox', { name: 'Canned replies' })
  await list.getByRole('option', { name: /\/refund/ }).waitFor()
  assert.equal(await list.getByRole('option').count(), 1, 'only /refund matches "ref"')
  assert.equal(await box.getAttribute('aria-controls'), await list.getAttribute('id'), 'the text box points at the list')
  await box.press('Escape')
  await list.waitFor({ state: 'detached' })
  assert.equal(await box.getAttribute('aria-controls'), null)
  assert.equal(await box.inputValue(), '/ref')
  await box.fill('')

  // "/hi": the bot's reply, not a colleague's personal one.
  await box.pressSequentially('/hi')
  const hi = list.getByRole('option', { name: /\/hi\b/ })
  await hi.waitFor()
  await page.getByRole('option', { name: /hi-bruno/ }).waitFor({ state: 'detached' })
  // The search settles on "hi" (matched in shortcuts and texts): one reply.
  await waitFor(async () => (await list.getByRole('option').count()) === 1, 'the list to settle on /hi')
  assert.equal(await hi.getAttribute('aria-selected'), 'true')
  assert.equal(await box.getAttribute('aria-activedescendant'), await hi.getAttribute('id'))
  await bothSchemes(page, 'open')

  await box.press('Enter')
  await list.waitFor({ state: 'detached' })
  const filled = `Hi Marta Reis, this is Alice Agent (protocol ${protocol})`
  await waitFor(async () => (await box.inputValue()) === filled, 'the filled reply in the composer')
  assert.equal(await box.inputValue(), filled)
  await box.press('Enter')
  await page.getByText(filled).waitFor()
  await waitFor(async () => (await box.inputValue()) === '', 'the composer to empty')

  // The customer's side receives the filled text.
  const sent = await waitFor(async () => {
    const msgs = (await env.sales.customer.get(`/api/v1/conversations/${conv}/messages`)).items
    return msgs.find((/** @type {any} */ m) => m.author.type === 'agent' && m.text === filled)
  }, 'the reply in the customer API')
  assert.ok(sent)

  // The mouse picks too, in the middle of a sentence after a space; an
  // attribute variable is read from the contact.
  await box.pressSequentially('Sure. /')
  await list.getByRole('option', { name: /\/refund/ }).click()
  await waitFor(async () => (await box.inputValue()) === 'Sure. Your refund for Business is on its way.\nCan I help further?', 'the refund reply')
})
