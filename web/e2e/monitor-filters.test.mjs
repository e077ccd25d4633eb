// The monitor's filters, Teams tab and "hide from my panel": filtering by
// contact and by team narrows the counters and the lists live as matching
// and non-matching conversations arrive; the filters live in the URL and
// survive a reload; the Teams tab's counts move live; hiding an agent is one
// supervisor's preference, kept on the server, invisible to another.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, demoBot, inbound, Api, USERS, PASSWORD } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser()
/** @type {{ bot: any, channel: any, team: any, customer: Api, admin: Api }} */
let support

before(async () => {
  await env.ready
  const admin = await Api.login(env.server.url, USERS.admin)
  const { bot, channel } = await demoBot(admin, 'Acme Support', 'api')
  const alice = (await admin.get('/api/v1/users')).items.find((u) => u.email === USERS.agent)
  const team = await admin.post('/api/v1/teams', { name: 'Escalations', bot_id: bot.id, member_ids: [alice.id] })
  const tok = await admin.post('/api/v1/tokens', { name: 'e2e monitor filters', bot_id: bot.id })
  support = { bot, channel, team, admin, customer: new Api(env.server.url, { token: tok.token }) }
})

/** retry repeats an API call while the hand-over lock is on (423). */
async function retry(fn) {
  for (let i = 0; ; i++) {
    try {
      return await fn()
    } catch (e) {
      if (!/: 423 /.test(String(e)) || i > 40) throw e
      await new Promise((r) => setTimeout(r, 500))
    }
  }
}

/** countersAre waits until the four shown numbers are these. */
async function countersAre(page, want) {
  for (const [k, v] of Object.entries(want)) {
    await page.getByTestId('counter-' + k).locator('dd').filter({ hasText: new RegExp(`^${v}$`) }).waitFor()
  }
}

async function auditBoth(page, label) {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `${label} (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

test('filters by contact and by team narrow the counters and lists live, live in the URL and survive a reload; team counts move', async () => {
  const { channel, team, customer } = support
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.supervisor, '/monitor')
  const navigating = page.getByRole('region', { name: /^Navigating/ })
  const waiting = page.getByRole('region', { name: /^Waiting/ })
  const inService = page.getByRole('region', { name: /^In service/ })
  const link = (list, name) => list.getByRole('link', { name: new RegExp(name) })
  // The demo's floor is not empty: unfiltered, the total is above zero.
  await page.getByTestId('counter-total').locator('dd').filter({ hasText: /^[1-9]/ }).waitFor()

  // Contact: the exact name, as the seed's example.
  await page.getByRole('button', { name: /^Filters/ }).click()
  await page.getByLabel('Contact (exact name or number)').fill('Maria Luiza de Santos Reis')
  await page.getByRole('button', { name: 'Apply' }).click()
  await page.waitForURL((u) => u.searchParams.get('contact') === 'Maria Luiza de Santos Reis')
  await countersAre(page, { total: 0, bot: 0, waiting: 0, human: 0 })
  await auditBoth(page, 'monitor filters open')

  // A non-matching conversation, then a matching one: only Maria counts.
  const otto = await inbound(customer, channel.id, 'mf-otto', 'Otto Other', 'mf-o1', 'Hello')
  const maria = await inbound(customer, channel.id, 'mf-maria', 'Maria Luiza de Santos Reis', 'mf-m1', 'Oi')
  await link(navigating, 'Maria Luiza').waitFor()
  await countersAre(page, { total: 1, bot: 1, waiting: 0, human: 0 })
  assert.equal(await link(navigating, 'Otto Other').count(), 0, 'Otto does not match the contact filter')

  // The URL holds the filter: a reload keeps it, chip included.
  await page.reload()
  const chips = page.getByRole('list', { name: 'Active filters' })
  await chips.getByText('Contact: Maria Luiza de Santos Reis').waitFor()
  await link(navigating, 'Maria Luiza').waitFor()
  await countersAre(page, { total: 1, bot: 1 })

  // Swap the contact for the team: remove the chip, tick the team.
  await page.getByRole('button', { name: 'Remove filter Contact: Maria Luiza de Santos Reis' }).click()
  await page.waitForURL((u) => !u.searchParams.has('contact'))
  await page.getByRole('button', { name: /^Filters/ }).click()
  await page.getByRole('group', { name: 'Teams' }).getByLabel('Escalations').check()
  await page.waitForURL((u) => u.searchParams.get('team') === team.id)
  await countersAre(page, { total: 0, bot: 0, waiting: 0, human: 0 })
  await page.getByRole('tab', { name: 'Teams' }).click()
  const row = page.getByTestId('team-Escalations')
  await row.getByText('0 waiting').waitFor()
  assert.equal(await page.getByTestId('team-Support').count(), 0, 'the team filter narrows the Teams tab')

  // Otto goes to the Support team, Maria to Escalations: only Maria counts.
  await retry(() => customer.post(`/api/v1/conversations/${otto.conversation_id}/handover`, {}))
  await retry(() => customer.post(`/api/v1/conversations/${maria.conversation_id}/handover`, { team_id: team.id }))
  await row.getByText('1 waiting').waitFor()
  await countersAre(page, { total: 1, bot: 0, waiting: 1, human: 0 })

  // Alice takes Maria: the team's counts move live, and its list says who.
  const alice = await Api.login(env.server.url, USERS.agent)
  await alice.call('PUT', '/api/v1/me/status', { status: 'online' })
  await retry(() => alice.post(`/api/v1/conversations/${maria.conversation_id}/assign`, {}))
  await row.getByText('1 with a human').waitFor()
  await row.getByText('0 waiting').waitFor()
  await countersAre(page, { total: 1, waiting: 0, human: 1 })
  await row.getByRole('button', { name: /^Escalations/ }).click()
  const table = row.getByRole('table', { name: 'Conversations of Escalations' })
  await table.getByRole('row', { name: /Maria Luiza de Santos Reis.*Alice Agent/ }).waitFor()
  await auditBoth(page, 'monitor teams tab')

  await page.getByRole('tab', { name: 'Phases' }).click()
  await link(inService, 'Maria Luiza').waitFor()
  assert.equal(await link(waiting, 'Otto Other').count(), 0, 'Otto is not in Escalations')
  assert.equal(new URL(page.url()).searchParams.get('team'), team.id)
  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})

test('hide an agent and a team: hidden after reload for that supervisor, visible for another', async () => {
  const { admin, bot } = support
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.supervisor, '/monitor?tab=agents')
  const bruno = page.getByTestId('agent-Bruno Agent')
  await page.getByTestId('agent-Alice Agent').waitFor()
  await bruno.getByRole('button', { name: 'Hide Bruno Agent from my panel' }).click()
  await bruno.waitFor({ state: 'detached' })
  await page.getByLabel('Show hidden (1)').waitFor()

  await page.reload()
  await page.getByTestId('agent-Alice Agent').waitFor()
  await page.getByLabel('Show hidden (1)').waitFor()
  assert.equal(await bruno.count(), 0, 'Bruno stays hidden after a reload')

  // Another supervisor of the same bot still sees Bruno.
  await admin.post('/api/v1/users', { name: 'Sia Supervisor', email: 'sia@demo.relevo', role: 'supervisor', password: PASSWORD, bot_ids: [bot.id] })
  const other = await newPage(env.browser, env.server.url)
  await login(other.page, 'sia@demo.relevo', '/monitor?tab=agents')
  await other.page.getByTestId('agent-Bruno Agent').waitFor()

  // Hide a team too; then bring both back.
  await page.getByRole('tab', { name: 'Teams' }).click()
  await page.getByRole('button', { name: 'Hide Escalations from my panel' }).click()
  await page.getByTestId('team-Escalations').waitFor({ state: 'detached' })
  await page.getByLabel('Show hidden (1)').check()
  await page.getByRole('button', { name: 'Show Escalations on my panel again' }).click()
  await page.getByRole('tab', { name: 'Agents' }).click()
  await bruno.getByRole('button', { name: 'Show Bruno Agent on my panel again' }).click()
  // Nothing hidden any more: unticking the toggle makes it go away.
  await page.getByLabel('Show hidden (0)').click()
  await page.getByLabel(/Show hidden/).waitFor({ state: 'detached' })
  await bruno.getByRole('button', { name: 'Hide Bruno Agent from my panel' }).waitFor()
  await page.reload()
  await bruno.waitFor()

  assert.deepEqual(errors, [], 'console errors')
  assert.deepEqual(other.errors, [], 'other supervisor console errors')
  await other.context.close()
  await context.close()
})
