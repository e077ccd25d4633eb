// Issue 11's whole journey, in the browser alone, from an empty server (no
// --demo, no environment admin): the setup page makes the first admin; the
// guided start leads to Settings, where the admin creates a bot, a web
// chat channel and an agent; a customer opens the channel's built-in test
// page and writes; the agent, logged in as created, takes the conversation
// live and replies; the customer reads the reply in the widget; and the
// admin's checklist, every step now ticked from what exists, is gone.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, goOnline, screenshot } from './harness.mjs'

const env = serverAndBrowser({ empty: true })

const CUSTOMER_TEXT = 'Hi, is the blue teapot back in stock?'
const REPLY = 'Hello! Yes, it came in this morning.'

/** @param {import('playwright-core').Page} page @param {string} email @param {string} password */
async function logIn(page, email, password) {
  await page.goto('/login')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

test('from an empty server to a customer answered on a new web channel, without curl', async () => {
  await env.ready
  const base = env.server.url
  const admin = await newPage(env.browser, base)
  const page = admin.page

  // First start: the setup page, then the checklist with nothing done.
  await page.goto('/')
  await page.waitForURL('**/setup')
  await page.getByLabel('Name').fill('Ada Lovelace')
  await page.getByLabel('Email').fill('ada@example.com')
  await page.getByLabel('Password', { exact: true }).fill('Analytical-Engine-1843')
  await page.getByRole('button', { name: 'Create admin and log in' }).click()
  await page.getByRole('heading', { name: 'Hello, Ada Lovelace' }).waitFor()
  const card = page.getByRole('region', { name: 'Get started' })
  await card.getByText('0 of 5 done').waitFor()
  const step = (/** @type {string} */ title) => card.getByRole('listitem').filter({ hasText: title })

  // A bot, from the checklist's first step.
  await step('Create a bot').getByRole('link', { name: 'Create a bot' }).click()
  await page.waitForURL('**/settings/bots')
  await page.getByRole('button', { name: 'New bot' }).click()
  const botForm = page.getByRole('dialog', { name: 'New bot' })
  await botForm.getByLabel('Name', { exact: true }).fill('Teapot shop')
  await botForm.getByRole('button', { name: 'Create bot' }).click()
  await botForm.waitFor({ state: 'detached' })

  // A web chat channel for it, from the checklist's second step.
  await page.getByRole('link', { name: 'Dashboard' }).click()
  await card.getByText('1 of 5 done').waitFor()
  await step('Add a web channel').getByRole('link', { name: 'Add a channel' }).click()
  await page.waitForURL('**/settings/channels')
  await page.getByRole('button', { name: 'Add channel' }).click()
  await page.getByRole('dialog', { name: 'Add a channel' }).getByRole('button', { name: /^Web chat/ }).click()
  const web = page.getByRole('dialog', { name: 'New web chat channel' })
  await web.getByLabel('Name', { exact: true }).fill('Shop chat')
  await web.getByLabel('Bot').selectOption({ label: 'Teapot shop' })
  await web.getByLabel('Allowed sites').fill('https://teapots.example')
  await web.getByLabel('Title', { exact: true }).fill('Teapot help')
  await web.getByRole('button', { name: 'Create channel' }).click()
  const saved = page.getByRole('dialog', { name: 'Web chat: Shop chat' })
  const snippet = await saved.getByRole('textbox', { name: 'Embed snippet' }).inputValue()
  assert.match(snippet, new RegExp(`^<script src="${base}/widget\\.js" data-channel="[^"]+" async></script>$`))
  const testPage = await saved.getByRole('link', { name: 'Open test page' }).getAttribute('href')
  assert.ok(testPage, 'the saved channel links its test page')
  await saved.getByRole('button', { name: 'Cancel' }).click()
  await saved.waitFor({ state: 'detached' })

  // An agent of the bot, from the checklist's agent step.
  await page.getByRole('link', { name: 'Dashboard' }).click()
  await card.getByText('2 of 5 done').waitFor()
  await step('Invite an agent').getByRole('link', { name: 'Open users' }).click()
  await page.waitForURL('**/settings/users')
  await page.getByRole('button', { name: 'New user' }).click()
  const userForm = page.getByRole('dialog', { name: 'New user' })
  await userForm.getByLabel('Name').fill('Grace Hopper')
  await userForm.getByLabel('Email').fill('grace@example.com')
  await userForm.getByLabel('Role').selectOption('agent')
  await userForm.getByLabel('Teapot shop').check()
  await userForm.getByLabel('Initial password').fill('compiler-1952')
  await userForm.getByRole('button', { name: 'Create user' }).click()
  await userForm.waitFor({ state: 'detached' })

  // The agent logs in as created, goes online and opens the bot's queue.
  const agent = await newPage(env.browser, base)
  await logIn(agent.page, 'grace@example.com', 'compiler-1952')
  await agent.page.getByRole('heading', { name: 'Hello, Grace Hopper' }).waitFor()
  await goOnline(agent.page)
  await agent.page.getByTestId('bot-Teapot shop').click()
  await agent.page.getByTestId('tab-handovers').click()

  // A customer on the channel's test page (its own browser): the bot has
  // no flow, so the conversation waits for a person at once.
  const customer = await newPage(env.browser, base)
  await customer.page.goto(/** @type {string} */ (testPage))
  await customer.page.getByRole('heading', { name: 'Test page for Shop chat' }).waitFor()
  await customer.page.getByTestId('relevo-bubble').click()
  const w = customer.page.frameLocator('[data-testid="relevo-frame"]')
  const composer = w.getByTestId('widget-composer')
  await composer.fill(CUSTOMER_TEXT)
  await composer.press('Enter')
  await w.locator('[data-testid="widget-msg-contact"]').filter({ hasText: CUSTOMER_TEXT }).waitFor()

  // The agent sees it arrive live (the only conversation there is), takes
  // it and replies.
  const row = agent.page.locator('[data-testid^="row-"]').first()
  await row.waitFor()
  await row.locator('button.main').click()
  await agent.page.getByTestId('timeline').getByText(CUSTOMER_TEXT).waitFor()
  await agent.page.getByTestId('assign').click()
  await agent.page.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  await agent.page.getByTestId('resolve').and(agent.page.locator(':enabled')).waitFor()
  const reply = agent.page.getByTestId('composer')
  await reply.fill(REPLY)
  await reply.press('Enter')
  await w.locator('[data-testid="widget-msg-agent"]').filter({ hasText: REPLY }).waitFor()
  await screenshot(customer.page, 'first-channel-customer-answered')

  // Every step is now done, from what exists: the checklist is gone.
  const onboarding = await page.evaluate(async () => (await fetch('/api/v1/me/onboarding')).json())
  assert.equal(onboarding.complete, true, JSON.stringify(onboarding))
  await page.getByRole('link', { name: 'Dashboard' }).click()
  await page.getByRole('heading', { name: 'Hello, Ada Lovelace' }).waitFor()
  await page.waitForLoadState('networkidle')
  assert.equal(await card.count(), 0, 'the checklist is gone once every step is done')
  assert.equal(await page.getByRole('button', { name: 'Get started' }).count(), 0)

  assert.deepEqual(admin.errors, [], 'admin console errors')
  assert.deepEqual(agent.errors, [], 'agent console errors')
  assert.deepEqual(customer.errors, [], 'customer page errors')
})
