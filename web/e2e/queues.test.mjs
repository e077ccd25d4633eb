// The queue screen (/queues): per team, the conversations waiting or with
// a person, each with its agent (or "Unassigned") and a ticking wait,
// longest wait first, arriving live. A supervisor unassigns an agent from
// here (after a confirmation; a refusal is shown in words): the
// conversation goes back to waiting and leaves the agent's desk. A row
// opens the conversation in the desk. Agents get no link and are sent
// away; a supervisor sees nothing of a bot they do not belong to.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, agentOnline, screenshot, demoBot, inbound, Api, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser()
/** @type {{ bot: any, channel: any, customer: Api, alpha: any, beta: any }} */
let support

before(async () => {
  await env.ready
  const admin = await Api.login(env.server.url, USERS.admin)
  const { bot, channel } = await demoBot(admin, 'Acme Support', 'api')
  const tok = await admin.post('/api/v1/tokens', { name: 'e2e queues', bot_id: bot.id })
  const alpha = await admin.post('/api/v1/teams', { name: 'Alpha Desk', bot_id: bot.id })
  const beta = await admin.post('/api/v1/teams', { name: 'Beta Desk', bot_id: bot.id })
  support = { bot, channel, alpha, beta, customer: new Api(env.server.url, { token: tok.token }) }
})

/** arrive brings a customer into the bot, then the bot hands it to a team. */
async function arrive(ext, name, team) {
  const { channel, customer } = support
  const res = await inbound(customer, channel.id, ext, name, ext + '-m1', 'Hello')
  await customer.post(`/api/v1/conversations/${res.conversation_id}/handover`, { team_id: team.id })
  return res.conversation_id
}

async function auditBoth(page, label) {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `${label} (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

test('a supervisor watches the teams’ queues live, unassigns an agent and opens a conversation', async () => {
  const { bot } = support
  const sup = await newPage(env.browser, env.server.url)
  const { page } = sup
  await login(page, USERS.supervisor)
  await page.getByRole('link', { name: 'Queues' }).click()
  await page.waitForURL((u) => u.pathname === '/queues')
  await page.getByRole('heading', { name: 'Queues', level: 1 }).waitFor()
  await page.getByLabel('Bot').selectOption({ label: 'Acme Support' })
  await page.waitForURL((u) => u.searchParams.get('bot') === bot.id)
  const alpha = page.getByRole('region', { name: 'Alpha Desk', exact: true })
  const beta = page.getByRole('region', { name: 'Beta Desk', exact: true })
  await alpha.getByText('Nobody waiting or in service.').waitFor()
  await beta.getByText('Nobody waiting or in service.').waitFor()

  // Customers arrive while the screen is open: each under its team, waiting.
  const quinn = await arrive('q-quinn', 'Queue Quinn', support.alpha)
  const quinnRow = alpha.getByRole('row', { name: /Queue Quinn/ })
  await quinnRow.getByRole('cell', { name: 'Unassigned' }).waitFor()
  await alpha.getByText('1 waiting · 0 with a human').waitFor()
  const rosa = await arrive('q-rosa', 'Queue Rosa', support.beta)
  await arrive('q-pablo', 'Queue Pablo', support.alpha)
  await alpha.getByRole('row', { name: /Queue Pablo/ }).waitFor()
  await alpha.getByText('2 waiting · 0 with a human').waitFor()
  // Longest wait first: Quinn came first.
  const order = await alpha.getByRole('row').allInnerTexts()
  assert.ok(order[1].includes('Queue Quinn') && order[2].includes('Queue Pablo'), `alpha rows: ${order.join(' / ')}`)

  // The wait ticks.
  const wait = quinnRow.getByRole('cell', { name: /^\d+:\d\d$/ })
  const first = await wait.innerText()
  await quinnRow.getByRole('cell', { name: /^\d+:\d\d$/ }).filter({ hasNotText: first }).waitFor()

  // Alice takes Rosa: the row shows her, live.
  const alice = await agentOnline(env.browser, env.server.url, USERS.agent)
  const aliceApi = await Api.login(env.server.url, USERS.agent)
  await aliceApi.post(`/api/v1/conversations/${rosa}/assign`, {})
  const rosaRow = beta.getByRole('row', { name: /Queue Rosa/ })
  await rosaRow.getByRole('cell', { name: 'Alice Agent' }).waitFor()
  await beta.getByText('0 waiting · 1 with a human').waitFor()
  await auditBoth(page, 'queues')
  await screenshot(page, 'queues-01-teams')

  // Alice's desk holds Rosa.
  await alice.page.goto(`/bots/${bot.id}`)
  await alice.page.getByRole('tab', { name: /Mine/ }).click()
  await alice.page.getByText('Queue Rosa').waitFor()

  // Unassign from the queue screen, after a confirmation.
  await rosaRow.getByRole('button', { name: 'Unassign agent: Queue Rosa' }).click()
  const dialog = page.getByRole('dialog', { name: 'Unassign the agent?' })
  await dialog.getByText(/Alice Agent will no longer hold the conversation with Queue Rosa/).waitFor()
  await auditBoth(page, 'queues unassign dialog')
  await dialog.getByRole('button', { name: 'Unassign agent' }).click()
  await dialog.waitFor({ state: 'detached' })
  await rosaRow.getByRole('cell', { name: 'Unassigned' }).waitFor()
  await beta.getByText('1 waiting · 0 with a human').waitFor()
  // Alice's desk loses it without a reload.
  await alice.page.getByText('Queue Rosa').waitFor({ state: 'detached' })

  // A refusal is said in words: Alice lets go of Rosa again while the
  // supervisor is confirming.
  await aliceApi.post(`/api/v1/conversations/${rosa}/assign`, {})
  await rosaRow.getByRole('cell', { name: 'Alice Agent' }).waitFor()
  await rosaRow.getByRole('button', { name: 'Unassign agent: Queue Rosa' }).click()
  await dialog.waitFor()
  await aliceApi.post(`/api/v1/conversations/${rosa}/unassign`)
  await rosaRow.getByRole('cell', { name: 'Unassigned' }).waitFor()
  await dialog.getByRole('button', { name: 'Unassign agent' }).click()
  await dialog.getByRole('alert').filter({ hasText: 'That is not possible in the conversation’s current state.' }).waitFor()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await dialog.waitFor({ state: 'detached' })

  // A conversation opens in the desk.
  await quinnRow.getByRole('link', { name: 'Queue Quinn' }).click()
  await page.waitForURL((u) => u.pathname === `/bots/${bot.id}/${quinn}`)

  // The browser logs the refused unassign's 409; nothing else may be logged.
  assert.deepEqual(sup.errors.filter((e) => !/status of 409/.test(e)), [], 'supervisor console errors')
  assert.deepEqual(alice.errors, [], 'agent console errors')
  await sup.context.close()
  await alice.context.close()
})

test('an agent has no queues link and is sent away from /queues', async () => {
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.agent)
  await page.getByRole('heading', { name: /Hello/ }).waitFor()
  assert.equal(await page.getByRole('link', { name: 'Queues' }).count(), 0, 'no Queues link for an agent')
  await page.goto('/queues')
  await page.waitForURL((u) => u.pathname === '/')
  assert.equal(await page.getByRole('heading', { name: 'Queues' }).count(), 0)
  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})

test('a supervisor sees no queue of a bot they do not belong to; an admin sees it', async () => {
  const admin = await Api.login(env.server.url, USERS.admin)
  const priv = await admin.post('/api/v1/bots', { name: 'Hidden Queue Bot', member_ids: [] })
  const ch = await admin.post('/api/v1/channels', { bot_id: priv.id, type: 'api', name: 'Hidden API' })
  await admin.post('/api/v1/teams', { name: 'Hidden Team', bot_id: priv.id })
  const tok = await admin.post('/api/v1/tokens', { name: 'e2e hidden', bot_id: priv.id })
  // The bot has no flow: its customer goes straight to the queue, without a team.
  await inbound(new Api(env.server.url, { token: tok.token }), ch.id, 'q-zed', 'Zed Hidden', 'q-zed-m1', 'Hello')
  await arrive('q-yara', 'Yara Visible', support.alpha)

  const sup = await newPage(env.browser, env.server.url)
  await login(sup.page, USERS.supervisor, '/queues')
  await sup.page.getByRole('region', { name: /^Alpha Desk/ }).getByRole('row', { name: /Yara Visible/ }).waitFor()
  assert.equal(await sup.page.getByRole('row', { name: /Zed Hidden/ }).count(), 0, 'no conversation of the other bot')
  assert.equal(await sup.page.getByRole('region', { name: /^Hidden Team/ }).count(), 0, 'no team of the other bot')
  assert.equal(await sup.page.getByRole('option', { name: 'Hidden Queue Bot' }).count(), 0, 'nor the bot to pick')

  const adm = await newPage(env.browser, env.server.url)
  await login(adm.page, USERS.admin, '/queues')
  await adm.page.getByRole('region', { name: /^Hidden Team/ }).waitFor()
  await adm.page.getByRole('region', { name: 'No team', exact: true }).getByRole('row', { name: /Zed Hidden/ }).waitFor()
  assert.deepEqual(sup.errors, [], 'supervisor console errors')
  assert.deepEqual(adm.errors, [], 'admin console errors')
  await sup.context.close()
  await adm.context.close()
})
