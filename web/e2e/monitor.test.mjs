// The supervisor's floor (/monitor): a customer goes from the bot to the
// queue, to an agent and out while a supervisor watches; the counters and
// the phase lists move without a reload. Pause is refused while the agent
// holds a conversation and accepted after; log out sends the agent's open
// console to the login page. Agents get no link and are sent away.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, agentOnline, screenshot, demoBot, inbound, Api, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser()
/** @type {{ bot: any, channel: any, customer: Api, admin: Api }} */
let support

before(async () => {
  await env.ready
  const admin = await Api.login(env.server.url, USERS.admin)
  const { bot, channel } = await demoBot(admin, 'Acme Support', 'api')
  const tok = await admin.post('/api/v1/tokens', { name: 'e2e monitor', bot_id: bot.id })
  support = { bot, channel, admin, customer: new Api(env.server.url, { token: tok.token }) }
})

/** counter reads one number of the floor as shown. */
async function counter(page, key) {
  return Number(await page.getByTestId('counter-' + key).locator('dd').innerText())
}

/** counters waits until the four shown numbers are these. */
async function countersAre(page, want) {
  for (const [k, v] of Object.entries(want)) {
    await page.getByTestId('counter-' + k).locator('dd').filter({ hasText: new RegExp(`^${v}$`) }).waitFor()
  }
}

/** resolve retries while the hand-over lock is on (423). */
async function resolve(api, id) {
  for (let i = 0; ; i++) {
    try {
      return await api.post(`/api/v1/conversations/${id}/resolve`)
    } catch (e) {
      if (!/: 423 /.test(String(e)) || i > 40) throw e
      await new Promise((r) => setTimeout(r, 500))
    }
  }
}

async function auditBoth(page, label) {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `${label} (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

test('a supervisor watches a conversation move through the floor live, pauses and logs out an agent', async () => {
  const { bot, channel, customer } = support
  const sup = await newPage(env.browser, env.server.url)
  const { page } = sup
  await login(page, USERS.supervisor)
  await page.getByRole('link', { name: 'Monitor' }).click()
  await page.waitForURL((u) => u.pathname === '/monitor')
  await page.getByRole('heading', { name: 'Floor monitor' }).waitFor()
  const navigating = page.getByRole('region', { name: /^Navigating/ })
  const waiting = page.getByRole('region', { name: /^Waiting/ })
  const inService = page.getByRole('region', { name: /^In service/ })
  await navigating.waitFor()
  // The demo's conversations are on the floor already: read where we start.
  await page.getByTestId('counter-total').locator('dd').filter({ hasText: /^[1-9]/ }).waitFor()
  const start = { total: await counter(page, 'total'), bot: await counter(page, 'bot'), waiting: await counter(page, 'waiting'), human: await counter(page, 'human') }

  // Into the bot.
  const first = await inbound(customer, channel.id, 'mon-1', 'Marta Monitor', 'mon-m1', 'Hello')
  const id = first.conversation_id
  const marta = (list) => list.getByRole('link', { name: /Marta Monitor/ })
  await marta(navigating).waitFor()
  await countersAre(page, { ...start, total: start.total + 1, bot: start.bot + 1 })

  // The bot hands over: waiting.
  await inbound(customer, channel.id, 'mon-1', 'Marta Monitor', 'mon-m2', 'Talk to a person')
  await marta(waiting).waitFor()
  await marta(navigating).waitFor({ state: 'detached' })
  await countersAre(page, { ...start, total: start.total + 1, waiting: start.waiting + 1 })
  await auditBoth(page, 'monitor phases')
  await screenshot(page, 'monitor-01-phases')

  // An agent takes it: in service.
  const agent = await agentOnline(env.browser, env.server.url, USERS.agent)
  const alice = await Api.login(env.server.url, USERS.agent)
  await alice.post(`/api/v1/conversations/${id}/assign`, {})
  await marta(inService).waitFor()
  await marta(waiting).waitFor({ state: 'detached' })
  await countersAre(page, { ...start, total: start.total + 1, human: start.human + 1 })

  // The agents tab: Alice holds it, so she cannot be paused, and says why.
  await page.getByRole('tab', { name: 'Agents' }).click()
  const row = page.getByTestId('agent-Alice Agent')
  await row.getByText('Online').waitFor()
  await row.getByText(/Cannot pause: holds \d+ open conversation/).waitFor()
  assert.equal(await row.getByRole('button', { name: 'Pause' }).isDisabled(), true, 'pause is refused while Alice holds a conversation')
  await auditBoth(page, 'monitor agents')
  await screenshot(page, 'monitor-02-agents')

  // Alice resolves it (and any demo conversation she held): the floor goes back.
  const mine = await alice.get(`/api/v1/conversations?assignee=me&limit=100`)
  for (const c of mine.items) if (c.phase !== 'closed') await resolve(alice, c.id)
  await row.getByText(/Cannot pause/).waitFor({ state: 'detached' })
  await row.getByRole('button', { name: 'Pause' }).click()
  await row.getByText('Paused').waitFor()
  await row.getByRole('button', { name: 'End pause' }).click()
  await row.getByText('Online').waitFor()

  // The phases tab shows her gone from service.
  await page.getByRole('tab', { name: 'Phases' }).click()
  await marta(inService).waitFor({ state: 'detached' })
  assert.equal(await counter(page, 'waiting'), start.waiting)
  await inbound(customer, channel.id, 'mon-2', 'Nico Next', 'mon-n1', 'Talk to a person')
  await page.getByRole('tab', { name: 'Agents' }).click()

  // Log out sends Alice's open console to the login page.
  await row.getByRole('button', { name: 'Log out' }).click()
  await row.getByText('Offline').waitFor()
  await agent.page.waitForURL((u) => u.pathname === '/login')
  await agent.page.getByRole('button', { name: 'Log in' }).waitFor()

  // A row of a list opens the conversation to follow it; from there, the desk.
  await page.getByRole('tab', { name: 'Phases' }).click()
  await page.getByRole('region', { name: /^Navigating/ }).getByRole('link', { name: /Nico Next/ }).click()
  await page.waitForURL((u) => u.pathname.startsWith('/monitor/follow/'))
  await page.getByRole('link', { name: 'Open in the desk' }).click()
  await page.waitForURL((u) => u.pathname.startsWith(`/bots/${bot.id}/`))

  assert.deepEqual(sup.errors, [], 'supervisor console errors')
  const agentErrors = agent.errors.filter((e) => !/401|Unauthorized/.test(e))
  assert.deepEqual(agentErrors, [], 'agent console errors')
  await sup.context.close()
  await agent.context.close()
})

test('an agent has no monitor link and is sent away from /monitor', async () => {
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.agent)
  await page.getByRole('heading', { name: /Hello/ }).waitFor()
  assert.equal(await page.getByRole('link', { name: 'Monitor' }).count(), 0, 'no Monitor link for an agent')
  await page.goto('/monitor')
  await page.waitForURL((u) => u.pathname === '/')
  assert.equal(await page.getByRole('heading', { name: 'Floor monitor' }).count(), 0)
  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})

test('a supervisor sees nothing of a bot they do not belong to; an admin sees it', async () => {
  const { admin } = support
  const priv = await admin.post('/api/v1/bots', { name: 'Private Bot', member_ids: [] })
  const ch = await admin.post('/api/v1/channels', { bot_id: priv.id, type: 'api', name: 'Private API' })
  const tok = await admin.post('/api/v1/tokens', { name: 'e2e private', bot_id: priv.id })
  await inbound(new Api(env.server.url, { token: tok.token }), ch.id, 'mon-z', 'Zed Hidden', 'mon-z1', 'Hello')
  const sales = await demoBot(admin, 'Acme Sales', 'api')
  const stok = await admin.post('/api/v1/tokens', { name: 'e2e sales', bot_id: sales.bot.id })
  await inbound(new Api(env.server.url, { token: stok.token }), sales.channel.id, 'mon-y', 'Yara Visible', 'mon-y1', 'Hello')

  const sup = await newPage(env.browser, env.server.url)
  await login(sup.page, USERS.supervisor, '/monitor')
  const waiting = sup.page.getByRole('region', { name: /^Waiting/ })
  await waiting.getByRole('link', { name: /Yara Visible/ }).waitFor()
  assert.equal(await waiting.getByRole('link', { name: /Zed Hidden/ }).count(), 0, 'the supervisor does not see the private bot')
  assert.equal(await sup.page.getByRole('option', { name: 'Private Bot' }).count(), 0, 'nor pick it')

  const adm = await newPage(env.browser, env.server.url)
  await login(adm.page, USERS.admin, '/monitor')
  await adm.page.getByRole('region', { name: /^Waiting/ }).getByRole('link', { name: /Zed Hidden/ }).waitFor()
  // Picking the bot narrows the lists and counts them.
  await adm.page.getByLabel('Bot').selectOption({ label: 'Private Bot' })
  await adm.page.waitForURL((u) => u.searchParams.get('bot') === priv.id)
  await adm.page.getByTestId('counter-waiting').locator('dd').filter({ hasText: /^1$/ }).waitFor()
  await adm.page.getByRole('region', { name: /^Waiting/ }).getByRole('link', { name: /Yara Visible/ }).waitFor({ state: 'detached' })

  assert.deepEqual(sup.errors, [], 'supervisor console errors')
  assert.deepEqual(adm.errors, [], 'admin console errors')
  await sup.context.close()
  await adm.context.close()
})
