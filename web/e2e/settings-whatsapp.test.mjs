// The WhatsApp channel form on the demo, reached as an admin would:
// Settings → Channels → the demo's WhatsApp channel. It shows the callback
// URL and the verify token to paste into Meta's dashboard; Meta's
// verification handshake against that URL with that token succeeds;
// "Check connection" reports the demo number, and after the access token is
// replaced with a wrong one it says so in words next to the token's field.
// axe-core audits the form in light and dark.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, screenshot, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser()

/** The browser logs every 4xx answer; none is provoked here. */
test('WhatsApp form: webhook URL and verify token, the handshake, check connection', async () => {
  await env.ready
  const base = env.server.url
  const { page, errors, context } = await newPage(env.browser, base)
  await login(page, USERS.admin, '/settings/channels')
  const row = page.getByRole('row').filter({ hasText: 'WhatsApp (demo stand-in' })
  await row.getByRole('button').or(row.getByRole('link')).first().click()
  const dialog = page.getByRole('dialog', { name: /WhatsApp channel/ })
  await dialog.waitFor()

  const url = await dialog.getByRole('textbox', { name: 'Callback URL' }).inputValue()
  const token = await dialog.getByRole('textbox', { name: 'Verify token' }).inputValue()
  assert.match(url, /\/webhooks\/whatsapp\/[\w-]+$/, 'the callback URL names the channel')
  assert.ok(url.startsWith(base), `the callback URL is on the server's public URL: ${url}`)
  assert.ok(token.length > 0, 'a verify token is shown')
  await dialog.getByText('subscribe to the messages field').waitFor()

  // Meta's handshake, as Meta makes it, against what the form shows.
  const q = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '1158201444' })
  const res = await fetch(`${url}?${q}`)
  assert.equal(res.status, 200)
  assert.equal(await res.text(), '1158201444')

  await dialog.getByRole('button', { name: 'Check connection' }).click()
  await dialog.getByText(/Connected: \+1 555-010-0001/).waitFor()
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `WhatsApp form (${colorScheme})`)
    await screenshot(page, `settings-whatsapp-${colorScheme}`)
  }
  await page.emulateMedia({ colorScheme: 'light' })

  // A wrong token: saved, then the check says so next to the field.
  await dialog.getByLabel('Access token').fill('not-the-demo-token')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await page.getByText(/ was saved\./).waitFor()
  await dialog.getByRole('button', { name: 'Check connection' }).click()
  await dialog.getByText('The connection has problems:').waitFor()
  const described = await dialog.getByLabel('Access token').getAttribute('aria-describedby')
  const said = await page.locator(`[id="${described?.split(' ').pop()}"]`).innerText()
  assert.match(said, /Meta refused the access token/, 'the problem is said next to the access token')
  assert.ok(!(await dialog.innerText()).includes('not-the-demo-token'), 'the token is not shown back')
  await audit(page, 'WhatsApp form with a problem')
  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})
