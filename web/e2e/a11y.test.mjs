// Every console screen passes an automated WCAG 2.1 AA audit (axe-core) in
// light and dark mode, reached the way a person reaches it: the login page
// (and its error), the dashboard, the desk with its queue, filters and row
// menu, a waiting conversation, one the agent holds (messages, an internal
// note, tags, the contact panel and its editor, the composer in note mode,
// the emoji picker), the transfer dialog (and its validation), the shortcuts
// help, the status menu with pause reasons, info and error toasts, a
// WhatsApp conversation past its 24-hour window with the template picker;
// as an agent and as a supervisor (the bot phase, someone else's
// conversation, one transferred with a reason and a note and resolved, the
// processing lock). Each screen is audited in both colour schemes; the test
// fails listing every violation of every screen at once.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, goOnline, screenshot, inbound, Api, USERS, PASSWORD } from './harness.mjs'
import { audit } from './axe.mjs'
import { whatsappText } from './whatsapp.mjs'

let held, waiting, closed
const env = serverAndBrowser({ graph: true, sales: true })
/** Violations by screen and scheme, printed at the end (the report's figures). */
const tally = []

/**
 * check audits what is on screen now in light, then dark mode, and records
 * each violation message in `found` instead of stopping at the first screen.
 * `ready`, when given, is awaited after each scheme change (a toast, say,
 * shown anew for each audit) and `still` after each audit, to prove the
 * state audited was the one meant.
 * @param {import('playwright-core').Page} page
 * @param {string} label
 * @param {string[]} found
 * @param {{ include?: string, ready?: () => Promise<unknown>, still?: () => Promise<unknown> }} [opts]
 */
async function check(page, label, found, { include, ready, still } = {}) {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await ready?.()
    try {
      await audit(page, `${label} (${colorScheme})`, { include })
      tally.push({ screen: label, scheme: colorScheme, rules: 0, nodes: 0 })
    } catch (e) {
      if (!e.violations) throw e
      found.push(e.message)
      tally.push({ screen: label, scheme: colorScheme, rules: e.violations.length, nodes: e.violations.reduce((n, v) => n + v.nodes, 0) })
    }
    await still?.()
    await screenshot(page, `a11y-${label.replace(/\W+/g, '-')}-${colorScheme}`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

/** unlocked retries an action refused while the processing lock of an assignment still holds (it ends once the notice is delivered). */
async function unlocked(fn) {
  for (let i = 0; ; i++) {
    try {
      return await fn()
    } catch (e) {
      if (i > 100 || !/conversation_locked/.test(String(e))) throw e
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

/** A WhatsApp number on the sales desk whose customer last wrote 25 hours ago. */
async function whatsappSetup() {
  const secret = 'a11y-app-secret-0123456789abcdef'
  const channel = await env.sales.admin.post('/api/v1/channels', {
    bot_id: env.sales.bot.id, type: 'whatsapp', name: 'WhatsApp +1 555 010 2030',
    config: { phone_number_id: '1065400001', waba_id: '1022900001', access_token: 'EAAG-a11y', app_secret: secret, verify_token: 'a11y', graph_url: env.graph.url },
  })
  await env.sales.admin.post('/api/v1/templates', {
    channel_id: channel.id, name: 'order_follow_up', language: 'en_US', category: 'UTILITY',
    body: 'Hello {{1}}, we are following up on order {{2}}.', roles: ['agent', 'supervisor'],
  })
  const r = await whatsappText(env.server.url, channel.id, {
    appSecret: secret, wabaID: '1022900001', phoneNumberID: '1065400001', displayPhone: '15550102030',
    waID: '16505550199', name: 'Wanda Lee', wamid: 'wamid.A11Y-OLD', text: 'Where is order 3321?', at: Date.now() - 25 * 3600_000,
  })
  assert.equal(r.status, 200, `webhook: ${await r.text()}`)
}

before(async () => {
  await env.ready
  const alice = await Api.login(env.server.url, USERS.agent)
  await alice.call('PUT', '/api/v1/me/status', { status: 'online' })

  // One the agent holds: replies, a photo-less exchange, a note, a tag, a contact with attributes and a note.
  held = (await inbound(env.sales.customer, env.sales.channel.id, 'rafael', 'Rafael Costa', 'r1', 'My order #4411 arrived damaged.')).conversation_id
  const contact = (await env.sales.customer.get(`/api/v1/conversations/${held}`)).contact.id
  await env.sales.customer.call('PATCH', `/api/v1/contacts/${contact}`, { email: 'rafael@example.com', attributes: { plan: 'Business', city: 'Porto Alegre' } })
  await alice.post(`/api/v1/conversations/${held}/assign`)
  await alice.post(`/api/v1/conversations/${held}/notes`, { text: 'Courier damage: replacement approved.' })
  await inbound(env.sales.customer, env.sales.channel.id, 'rafael', 'Rafael Costa', 'r2', 'Can you send a new one?')
  const tags = (await alice.get('/api/v1/tags')).items
  await alice.call('PUT', `/api/v1/conversations/${held}/tags/${tags[0].id}`)
  await alice.post(`/api/v1/contacts/${contact}/notes`, { text: 'Prefers WhatsApp over email.' })
  await unlocked(() => alice.post(`/api/v1/conversations/${held}/messages`, { text: 'Sorry to hear that: a replacement ships tomorrow.', client_id: 'a1' }))

  // One transferred to a colleague with a reason and a note, then resolved.
  const bruno = await Api.login(env.server.url, USERS.agent2)
  await bruno.call('PUT', '/api/v1/me/status', { status: 'online' })
  const brunoID = (await bruno.get('/api/v1/me')).id
  const reason = (await alice.get('/api/v1/reasons')).items[0]
  closed = (await inbound(env.sales.customer, env.sales.channel.id, 'tomas', 'Tomás Silva', 't1', 'I want to upgrade to the Business plan.')).conversation_id
  await alice.post(`/api/v1/conversations/${closed}/assign`)
  await unlocked(() => alice.post(`/api/v1/conversations/${closed}/transfer`, { agent_id: brunoID, reason_id: reason.id, note: 'Upgrade: Bruno handles sales.' }))
  await unlocked(() => bruno.post(`/api/v1/conversations/${closed}/messages`, { text: 'Done: you are on Business now.', client_id: 'b1' }))
  await unlocked(() => bruno.post(`/api/v1/conversations/${closed}/resolve`))
  await bruno.call('PUT', '/api/v1/me/status', { status: 'offline' })

  waiting = (await inbound(env.sales.customer, env.sales.channel.id, 'sofia', 'Sofia Martins', 's1', 'Can I upgrade my plan mid-month?')).conversation_id
  await alice.call('PUT', '/api/v1/me/status', { status: 'offline' })
  await whatsappSetup()
})

after(async () => {
  if (tally.length) {
    console.log('axe violations per screen (rules / nodes):')
    for (const r of tally) console.log(`  ${r.screen} [${r.scheme}]: ${r.rules} / ${r.nodes}`)
  }
})

test('the login page, and its error, pass WCAG 2.1 AA in light and dark', async () => {
  const found = []
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await page.goto('/login')
  await page.getByLabel('Email').waitFor()
  await check(page, 'login', found)
  await page.getByLabel('Email').fill(USERS.agent)
  await page.getByLabel('Password').fill(PASSWORD + '-wrong')
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('alert').waitFor()
  await check(page, 'login error', found)
  assert.deepEqual(found, [], found.join('\n\n'))
  assert.deepEqual(errors.filter((e) => !/401/.test(e)), [], 'console errors')
  await context.close()
})

test('the agent: dashboard, desk, conversations, dialogs, menus and toasts pass WCAG 2.1 AA', async () => {
  const found = []
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.agent)
  await page.getByTestId('offline-hint').waitFor()
  await check(page, 'agent dashboard', found)

  await page.getByTestId('status-switch').click()
  await page.getByTestId('status-paused').click()
  await page.getByTestId('pause-reason').waitFor()
  await check(page, 'status menu', found)
  await page.keyboard.press('Escape')
  await goOnline(page)

  await page.getByTestId('bot-Acme Sales').click()
  await page.locator(`[data-testid="row-${waiting}"]`).waitFor()
  await check(page, 'desk queue', found)
  await page.getByTestId('filters-toggle').click()
  await page.getByTestId('filters').waitFor()
  await check(page, 'queue filters', found)
  await page.getByTestId('filters-toggle').click()
  await page.locator(`[data-testid="row-${waiting}"]`).getByTestId('row-menu').click()
  await page.getByRole('menu').waitFor()
  await check(page, 'row menu', found)
  await page.locator(`[data-testid="row-${waiting}"]`).getByTestId('row-menu').click()
  await page.getByRole('menu').waitFor({ state: 'detached' })

  await page.locator(`[data-testid="row-${waiting}"] button.main`).click()
  await page.getByTestId('assign').waitFor()
  await check(page, 'waiting conversation', found)

  await page.goto(`/bots/${env.sales.bot.id}/${held}`)
  await page.getByText('a replacement ships tomorrow').waitFor()
  await page.getByTestId('note').waitFor()
  await page.getByTestId('contact-panel').getByTestId('contact-note').waitFor()
  await check(page, 'held conversation', found)
  await page.getByTestId('mode-note').click()
  await check(page, 'composer note mode', found)
  await page.getByTestId('mode-reply').click()
  await page.getByTestId('emoji').click()
  await page.getByTestId('emoji-picker').waitFor()
  await check(page, 'emoji picker', found)
  await page.keyboard.press('Escape')
  await page.getByTestId('tag-add').click()
  await page.getByTestId('tag-select').waitFor()
  await check(page, 'tag picker', found)
  await page.getByTestId('tag-select').press('Escape')

  await page.getByTestId('contact-edit').click()
  await page.getByTestId('attr-add').waitFor()
  await check(page, 'contact editor', found)
  // Saving says so in an info toast, shown anew for each scheme.
  const toast = page.locator('.toast')
  await check(page, 'info toast', found, {
    include: '.toasts',
    ready: async () => {
      if (!(await page.getByTestId('contact-save').isVisible())) await page.getByTestId('contact-edit').click()
      await page.getByTestId('contact-save').click()
      await toast.filter({ hasText: 'saved' }).first().waitFor()
    },
    still: async () => assert.ok(await toast.filter({ hasText: 'saved' }).first().isVisible(), 'the toast was still there when audited'),
  })

  await page.getByTestId('timeline').click()
  await page.keyboard.press('?')
  await page.getByTestId('shortcuts').waitFor()
  await check(page, 'shortcuts help', found)
  await page.keyboard.press('Escape')

  await page.getByTestId('transfer').and(page.locator(':enabled')).click()
  await page.getByTestId('transfer-dialog').waitFor()
  await check(page, 'transfer dialog', found)
  await page.getByTestId('transfer-submit').click()
  await page.locator('[aria-invalid="true"]').first().waitFor()
  await check(page, 'transfer dialog errors', found)
  await page.keyboard.press('Escape')
  await page.getByTestId('transfer-dialog').waitFor({ state: 'detached' })

  // Without a microphone the recorder says so in an error toast.
  await check(page, 'error toast', found, {
    include: '.toasts',
    ready: async () => {
      await page.getByTestId('voice').click()
      await page.locator('.toast.error').first().waitFor()
    },
    still: async () => assert.ok(await page.locator('.toast.error').first().isVisible(), 'the toast was still there when audited'),
  })

  // A WhatsApp customer who wrote 25 hours ago: only a template may go out.
  await page.getByTestId('tab-handovers').click()
  await page.locator('[data-testid^="row-"][data-contact="Wanda Lee"] button.main').click()
  await page.getByTestId('assign').click()
  await page.getByTestId('window-closed').waitFor()
  await page.getByTestId('template-select').and(page.locator(':enabled')).selectOption({ label: 'order_follow_up · en_US' })
  await page.getByTestId('template-param-1').fill('Wanda')
  await page.getByTestId('template-send').waitFor()
  await check(page, 'template picker', found)

  assert.deepEqual(found, [], found.join('\n\n'))
  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})

test('the supervisor: dashboard, the bot phase, a colleague\'s, a transferred and resolved conversation, the lock pass WCAG 2.1 AA', async () => {
  const found = []
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.supervisor)
  await page.getByTestId('bot-Acme Support').waitFor()
  await check(page, 'supervisor dashboard', found)

  await page.getByTestId('bot-Acme Support').click()
  await page.getByTestId('tab-bot').click()
  await page.locator('[data-testid^="row-"][data-contact="Aiko Tanaka"] button.main').click()
  await page.getByTestId('take-over').waitFor()
  await check(page, 'bot-phase conversation', found)

  await page.goto(`/bots/${env.sales.bot.id}/${held}`)
  await page.getByText('a replacement ships tomorrow').waitFor()
  await page.getByTestId('unassign').waitFor()
  await check(page, 'colleague conversation', found)

  await page.goto(`/bots/${env.sales.bot.id}/${closed}`)
  await page.locator('[data-testid="event-transferred"]').getByTestId('event-note').waitFor()
  await page.locator('[data-testid="event-resolved"]').waitFor()
  await check(page, 'transferred and resolved conversation', found)

  // A bot webhook that never answers keeps the hand-over's processing lock on screen.
  await env.sales.admin.call('PATCH', `/api/v1/bots/${env.sales.bot.id}`, { webhook_url: 'http://127.0.0.1:9/unreachable' })
  try {
    await page.goto(`/bots/${env.sales.bot.id}/${waiting}`)
    await page.getByTestId('assign').click()
    await page.getByTestId('lock').waitFor()
    await check(page, 'processing lock', found, { still: () => page.getByTestId('lock').waitFor() })
  } finally {
    await env.sales.admin.call('PATCH', `/api/v1/bots/${env.sales.bot.id}`, { webhook_url: '' })
  }

  assert.deepEqual(found, [], found.join('\n\n'))
  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})
