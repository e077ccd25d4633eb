// The flow editor (/settings/bots/:id/flow) on the demo's Acme Support bot:
// the "Try it" panel answers a typed message and a pressed button the way
// the demo bot does; a `next` pointed at a missing step is refused with the
// problem on that step's field (focused) and nothing saved; fixed, with a
// new greeting, it saves and a new customer through the API channel gets
// the new greeting from the bot. A supervisor reads the flow and tries it
// but cannot change it; a handover keyword hands over there as with a real
// customer. axe-core in light and dark.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, screenshot, botSetup, inbound, USERS } from './harness.mjs'
import { auditBoth } from './axe.mjs'

const env = serverAndBrowser()
/** @type {Awaited<ReturnType<typeof botSetup>>} */
let support

before(async () => {
  await env.ready
  support = await botSetup(env.server.url, 'Acme Support')
})

/** openFlow goes from Settings → Bots to the Acme Support bot's flow. */
async function openFlow(page) {
  await page.goto('/settings/bots')
  await page.getByRole('link', { name: 'Flow of Acme Support' }).click()
  await page.waitForURL((u) => u.pathname === `/settings/bots/${support.bot.id}/flow`)
  await page.getByRole('heading', { name: 'Flow of Acme Support', level: 1 }).waitFor()
}

/** say writes as the customer in the Try it panel. */
async function say(page, text) {
  const sim = page.getByRole('complementary', { name: 'Try it' })
  await sim.getByLabel('Message as the customer').fill(text)
  await sim.getByRole('button', { name: 'Send' }).click()
}

test('an admin tries the demo flow, is shown a broken next on its step, fixes it and saves: a new customer gets the new text', async () => {
  const { page, errors } = await newPage(env.browser, env.server.url)
  await login(page, USERS.admin)
  await openFlow(page)
  const sim = page.getByRole('complementary', { name: 'Try it' })
  const log = sim.getByRole('log', { name: 'Conversation with the bot' })

  // Try it answers like the demo bot: the menu, then a pressed button.
  await say(page, 'hello')
  await log.getByText('Hi! How can we help?').waitFor()
  await log.getByRole('button', { name: 'Opening hours' }).click()
  await log.getByText('Our team answers Monday to Friday, 9:00 to 18:00.').waitFor()
  await log.getByText('Anything else?').waitFor()
  await say(page, 'talk to a person')
  await log.getByText('Handed over to people.').waitFor()
  await auditBoth(page, 'flow editor with a conversation')
  await sim.getByRole('button', { name: 'Restart' }).click()
  await log.getByText('Write a message to start.').waitFor()

  // A next pointing nowhere: refused on that step's field, focused, nothing saved.
  const order = page.getByRole('region', { name: 'Step 2: order' })
  const orderNext = order.getByLabel('Next step')
  await orderNext.fill('nowhere')
  await page.getByRole('button', { name: 'Save' }).click()
  await order.getByText('unknown node "nowhere"').waitFor()
  assert.equal(await orderNext.getAttribute('aria-invalid'), 'true')
  await page.waitForFunction((id) => document.activeElement?.id === id, await orderNext.getAttribute('id'))
  await page.getByRole('alert').filter({ hasText: 'The flow has a problem, marked below.' }).waitFor()
  await screenshot(page, 'flow-editor-problem')
  await auditBoth(page, 'flow editor with a problem')
  const stored = await support.admin.get(`/api/v1/bots/${support.bot.id}`)
  assert.equal(stored.flow.nodes.order.next, 'more', 'the refused flow was not saved')

  // Try it runs the flow as edited: it refuses too, on the same field.
  await say(page, 'hello')
  await sim.getByText('The flow has problems: fix them to try it.').waitFor()

  // Fixed, with a new greeting: saved, and Try it greets with the new text.
  await orderNext.fill('more')
  const welcome = page.getByRole('region', { name: 'Step 1: welcome' })
  await welcome.getByLabel('Text sent to the customer').fill('Welcome to the edited flow! What do you need?')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByText('The flow of Acme Support is saved.').waitFor()
  assert.equal(await order.getByText('unknown node "nowhere"').count(), 0)
  await say(page, 'hello')
  await log.getByText('Welcome to the edited flow! What do you need?').waitFor()

  // A new customer through the API channel gets the new greeting from the bot.
  const { channel, customer, admin } = support
  const res = await inbound(customer, channel.id, 'flow-editor-new', 'Fresh Customer', 'flow-editor-m1', 'Hi there')
  const botTexts = async () =>
    (await admin.get(`/api/v1/conversations/${res.conversation_id}/messages`)).items.filter((m) => m.author.type === 'bot').map((m) => m.text)
  let texts = await botTexts()
  for (const deadline = Date.now() + 20_000; !texts.length && Date.now() < deadline; texts = await botTexts()) {
    await new Promise((r) => setTimeout(r, 200)) // the flow runs from the outbox, after the inbound answer
  }
  assert.deepEqual(texts, ['Welcome to the edited flow! What do you need?'])
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), [], 'console errors')
})

test('a supervisor reads the flow and tries it, but cannot change it', async () => {
  const { page, errors } = await newPage(env.browser, env.server.url)
  await login(page, USERS.supervisor)
  await openFlow(page)
  await page.getByText('You can read this flow and try it; only admins change it.').waitFor()
  assert.equal(await page.getByRole('button', { name: 'Save' }).count(), 0)
  assert.equal(await page.getByRole('button', { name: 'Add step' }).count(), 0)
  assert.ok(await page.getByRole('region', { name: 'Step 1: welcome' }).getByLabel('Text sent to the customer').isDisabled())
  await say(page, 'hi')
  await page.getByRole('log', { name: 'Conversation with the bot' }).getByRole('button', { name: 'Where is my order?' }).waitFor()
  await say(page, 'I want an agent')
  await page.getByText('Handed over to people: the message holds a handover keyword.').waitFor()
  await page.getByRole('button', { name: 'JSON' }).click()
  await page.getByLabel('The flow as JSON (read only)').getByText('"start": "welcome"').waitFor()
  await auditBoth(page, 'flow editor read only')
  assert.deepEqual(errors, [], 'console errors')
})
