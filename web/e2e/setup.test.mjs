// First start in the browser, from an empty server (no --demo, no
// RELEVO_ADMIN_EMAIL): the console opens on the one-time setup page; the
// first admin is created there and logged in; Settings → Users creates an
// agent with a bot, and that agent logs in elsewhere and sees the bot; the
// setup page is gone afterwards (the console shows the login, the API
// answers 404); the last admin cannot stop being one, said in words; a
// supervisor reads the users without write buttons. axe-core audits the
// setup page and the users screen in light and dark.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, screenshot, Api } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser({ empty: true })

/** @param {import('playwright-core').Page} page @param {string} label */
async function bothSchemes(page, label) {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `${label} (${colorScheme})`)
    await screenshot(page, `setup-${label}-${colorScheme}`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

/** The browser logs every 4xx answer; these are the ones the test provokes. */
const expected = (/** @type {string} */ e) => !/status of (409|422)/.test(e)

/** @param {import('playwright-core').Page} page */
async function logIn(page, email, password) {
  await page.goto('/login')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

test('from an empty server to an agent at work, in the browser', async () => {
  await env.ready
  const base = env.server.url
  const admin = await newPage(env.browser, base)
  const page = admin.page

  // The console opens on the setup page, in the language picked there.
  await page.goto('/')
  await page.waitForURL('**/setup')
  await page.getByLabel('Language').selectOption('es')
  await page.getByRole('heading', { name: 'Bienvenido a Relevo' }).waitFor()
  await page.getByLabel('Idioma').selectOption('en')
  await page.getByRole('heading', { name: 'Welcome to Relevo' }).waitFor()
  await page.getByLabel('Name').fill('Ada Lovelace')
  await page.getByLabel('Email').fill('ada@example.com')
  await page.getByLabel('Password', { exact: true }).fill('short')
  await page.getByText('Password strength: too short').waitFor()
  await bothSchemes(page, 'setup-page')
  // The server's rule refuses it, next to the field.
  await page.getByRole('button', { name: 'Create admin and log in' }).click()
  await page.getByText('At least 8 characters.').waitFor()
  await page.getByLabel('Password', { exact: true }).fill('Analytical-Engine-1843')
  await page.getByText('Password strength: strong').waitFor()
  await page.getByRole('button', { name: 'Create admin and log in' }).click()
  await page.getByRole('heading', { name: 'Hello, Ada Lovelace' }).waitFor()

  // A bot to give the agent (bots are configured elsewhere).
  const cookie = (await admin.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ')
  const adminApi = new Api(base, { cookie })
  const bot = await adminApi.post('/api/v1/bots', { name: 'Web shop' })

  // Settings → Users: the admin alone, then a new agent with the bot.
  await page.getByRole('link', { name: 'Settings' }).click()
  await page.waitForURL('**/settings/users')
  const table = page.getByRole('table')
  await table.getByRole('cell', { name: 'ada@example.com' }).waitFor()
  await bothSchemes(page, 'users-list')
  await page.getByRole('button', { name: 'New user' }).click()
  const dialog = page.getByRole('dialog', { name: 'New user' })
  await dialog.getByLabel('Name').fill('Grace Hopper')
  await dialog.getByLabel('Email').fill('not an email')
  await dialog.getByLabel('Role').selectOption('agent')
  await dialog.getByLabel('Web shop').check()
  await dialog.getByLabel('Initial password').fill('compiler-1952')
  await dialog.getByRole('button', { name: 'Create user' }).click()
  await dialog.getByText('Enter an email address.').waitFor()
  assert.equal(await dialog.getByLabel('Email').getAttribute('aria-invalid'), 'true')
  await bothSchemes(page, 'user-form-invalid')
  await dialog.getByLabel('Email').fill('ADA@example.com')
  await dialog.getByRole('button', { name: 'Create user' }).click()
  await dialog.getByText('Another user already has this email.').waitFor()
  await dialog.getByLabel('Email').fill('grace@example.com')
  await dialog.getByRole('button', { name: 'Create user' }).click()
  await dialog.waitFor({ state: 'detached' })
  const row = table.getByRole('row').filter({ hasText: 'Grace Hopper' })
  await row.getByRole('cell', { name: 'Web shop' }).waitFor()
  await page.getByLabel('Search users').fill('grace')
  await table.getByRole('cell', { name: 'ada@example.com' }).waitFor({ state: 'detached' })
  await page.getByLabel('Search users').fill('')

  // The agent logs in as created, in another browser, and has the bot.
  const agent = await newPage(env.browser, base)
  await logIn(agent.page, 'grace@example.com', 'compiler-1952')
  await agent.page.getByRole('heading', { name: 'Hello, Grace Hopper' }).waitFor()
  await agent.page.getByText('Web shop').first().waitFor()
  assert.equal(await agent.page.getByRole('link', { name: 'Settings' }).count(), 0, 'agents have no settings link')

  // The setup page is gone for good: a visitor gets the login, the API 404.
  const visitor = await newPage(env.browser, base)
  await visitor.page.goto('/setup')
  await visitor.page.waitForURL('**/login**')
  await visitor.page.getByRole('button', { name: 'Log in' }).waitFor()
  const again = await fetch(base + '/api/v1/setup', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Mallory', email: 'm@example.com', password: 'mallory-password' }),
  })
  assert.equal(again.status, 404)
  assert.equal((await again.json()).error.code, 'not_found')

  // The last admin cannot stop being one: the form says why, in words.
  await page.getByRole('button', { name: 'Edit Ada Lovelace' }).click()
  const edit = page.getByRole('dialog', { name: 'Edit Ada Lovelace' })
  await edit.getByLabel('Role').selectOption('agent')
  await edit.getByRole('button', { name: 'Save' }).click()
  await edit.getByRole('alert').getByText('This is the last admin: make another user an admin first.').waitFor()
  await screenshot(page, 'setup-last-admin')
  await edit.getByRole('button', { name: 'Cancel' }).click()
  assert.equal(await page.getByRole('button', { name: 'Delete Ada Lovelace' }).count(), 0, 'no delete for oneself')

  // A new password ends the agent's session.
  await page.getByRole('button', { name: 'Edit Grace Hopper' }).click()
  const reset = page.getByRole('dialog', { name: 'Edit Grace Hopper' })
  await reset.getByLabel('New password').fill('a-new-password-1')
  await reset.getByRole('button', { name: 'Save' }).click()
  await reset.waitFor({ state: 'detached' })
  const me = await agent.page.evaluate(async () => (await fetch('/api/v1/me')).status)
  assert.equal(me, 401, 'the agent is logged out by the reset')

  // A supervisor of the bot reads its users, with no button that writes.
  await adminApi.post('/api/v1/users', { name: 'Sam Super', email: 'sam@example.com', role: 'supervisor', password: 'supervisor-1', bot_ids: [bot.id] })
  const sup = await newPage(env.browser, base)
  await logIn(sup.page, 'sam@example.com', 'supervisor-1')
  await sup.page.getByRole('link', { name: 'Settings' }).click()
  await sup.page.getByRole('table').getByRole('cell', { name: 'grace@example.com' }).waitFor()
  await sup.page.getByText('Only admins change users; you can read them.').waitFor()
  for (const name of ['New user', 'Edit Grace Hopper', 'Delete Grace Hopper']) {
    assert.equal(await sup.page.getByRole('button', { name }).count(), 0, `a supervisor sees "${name}"`)
  }

  // Deleting the agent: gone from the list, and from the login.
  await page.getByRole('button', { name: 'Delete Grace Hopper' }).click()
  await page.getByRole('dialog', { name: 'Delete Grace Hopper?' }).getByRole('button', { name: 'Delete' }).click()
  await table.getByRole('row').filter({ hasText: 'Grace Hopper' }).waitFor({ state: 'detached' })

  assert.deepEqual(admin.errors.filter(expected), [], 'admin console errors')
  assert.deepEqual(agent.errors.filter((e) => !/status of 401/.test(e)), [], 'agent console errors')
  assert.deepEqual(visitor.errors, [], 'visitor console errors')
  assert.deepEqual(sup.errors, [], 'supervisor console errors')
})
