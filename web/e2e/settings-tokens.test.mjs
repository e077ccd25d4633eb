// Settings → API tokens on the demo server, in a real browser: the admin
// creates a token for a bot with its own rate, is shown its secret once
// and copies it (read back from the clipboard), and that secret works on
// the API from here; the row says it was never used, then, read again,
// that it was used; the row shows the rate, a rate the server refuses is
// named next to the field, the rate goes back to the server default, and
// the revoked token is refused. Supervisors (the API lists tokens to
// admins only) get no such section. axe-core audits it, light and dark.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, screenshot, Api, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser()

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

/** status answers GET /api/v1/conversations's status with a bearer token. */
async function status(/** @type {string} */ token) {
  const r = await fetch(env.server.url + '/api/v1/conversations', { headers: { Authorization: 'Bearer ' + token } })
  await r.body?.cancel()
  return r.status
}

test('API tokens: created with a rate and shown once, used, re-rated, revoked; not a supervisor’s', async () => {
  await env.ready
  const base = env.server.url
  const admin = await newPage(env.browser, base)
  await admin.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
  const page = admin.page
  await login(page, USERS.admin, '/settings')
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API tokens' }).click()
  await page.waitForURL('**/settings/tokens')
  const table = page.getByRole('table')
  await table.getByRole('columnheader', { name: 'Rate' }).waitFor()

  // A name is needed; then a token for Acme Sales at 5 requests a second.
  await page.getByRole('button', { name: 'New token' }).click()
  const form = page.getByRole('dialog', { name: 'New API token' })
  await form.getByLabel('Bot').selectOption({ label: 'Acme Sales' })
  await form.getByLabel('Requests a second').fill('5')
  await form.getByRole('button', { name: 'Create token' }).click()
  await form.getByText('Enter a name.').waitFor()
  assert.equal(await form.getByLabel('Name').getAttribute('aria-invalid'), 'true')
  await bothSchemes(page, 'token-form-invalid')
  await form.getByLabel('Name').fill('Sales CRM')
  await form.getByRole('button', { name: 'Create token' }).click()

  // Shown once, copied, and it works on the API.
  const shown = page.getByRole('dialog', { name: 'Token Sales CRM created' })
  await shown.getByText('it will not be shown again').waitFor()
  const secret = await shown.getByLabel('Token').inputValue()
  assert.ok(secret.length > 20, 'the secret is shown')
  await shown.getByRole('button', { name: 'Copy' }).click()
  await shown.getByText('Copied to the clipboard.').waitFor()
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret, 'the clipboard holds the token')
  await bothSchemes(page, 'token-shown')
  await shown.getByRole('button', { name: 'Done' }).click()
  await shown.waitFor({ state: 'detached' })
  assert.ok(!(await page.content()).includes(secret), 'the secret is gone from the page')
  const row = table.getByRole('row').filter({ hasText: 'Sales CRM' })
  await row.getByText('Never used').waitFor()
  assert.equal(await status(secret), 200, 'the new token reads conversations')
  // The list says when it was used, once read again.
  await page.reload()
  await row.getByText(/^Used /).waitFor()
  assert.equal(await row.getByText('Never used').count(), 0)
  await row.getByRole('cell', { name: 'Acme Sales' }).waitFor()
  await row.getByText('5 requests/s').waitFor()
  const api = await Api.login(base, USERS.admin)
  const stored = async () => (await api.get('/api/v1/tokens')).items.find((/** @type {any} */ t) => t.name === 'Sales CRM')
  assert.equal((await stored()).rate_limit, 5)
  await page.getByLabel('Search tokens').fill('crm')
  await row.waitFor()
  await page.getByLabel('Search tokens').fill('no such token')
  await row.waitFor({ state: 'detached' })
  await table.getByText('No tokens match.').waitFor()
  await page.getByLabel('Search tokens').fill('')
  await bothSchemes(page, 'tokens')

  // A rate the server refuses is named next to the field.
  await row.getByRole('button', { name: 'Change the rate of Sales CRM' }).click()
  const rate = row.getByLabel('Requests a second for Sales CRM')
  await rate.fill('0')
  await row.getByRole('button', { name: 'Save' }).click()
  await row.getByText('A whole number from 1 to 100000, or empty for the server default.').waitFor()
  assert.equal(await rate.getAttribute('aria-invalid'), 'true')
  await bothSchemes(page, 'token-rate-invalid')
  assert.equal((await stored()).rate_limit, 5, 'the refused rate changed nothing')

  // Back to the server default.
  await row.getByRole('button', { name: 'Server default' }).click()
  await row.getByText(/^server default/).waitFor() // the rate's text, not the button "Server default"
  assert.equal((await stored()).rate_limit, null)

  // Revoked after a confirmation: the token is refused.
  await page.getByRole('button', { name: 'Revoke Sales CRM' }).click()
  const confirm = page.getByRole('dialog', { name: 'Revoke Sales CRM?' })
  await confirm.getByText('refused from its next request').waitFor()
  await confirm.getByRole('button', { name: 'Revoke' }).click()
  await row.waitFor({ state: 'detached' })
  assert.equal(await status(secret), 401, 'the revoked token is refused')

  // A supervisor: no tokens section, and its address leads elsewhere.
  const sup = await newPage(env.browser, base)
  await login(sup.page, USERS.supervisor, '/settings')
  const supNav = sup.page.getByRole('navigation', { name: 'Settings' })
  await supNav.getByRole('link', { name: 'Teams' }).waitFor()
  assert.equal(await supNav.getByRole('link', { name: 'API tokens' }).count(), 0, 'a supervisor sees the tokens section')
  await sup.page.goto('/settings/tokens')
  await sup.page.waitForURL('**/settings/users')
  assert.equal(await sup.page.getByRole('button', { name: 'New token' }).count(), 0, 'a supervisor can make tokens')

  assert.deepEqual(admin.errors.filter(expected), [], 'admin console errors')
  assert.deepEqual(sup.errors, [], 'supervisor console errors')
})
