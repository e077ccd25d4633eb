// Settings → Bots → a bot's webhook on the demo server, in a real browser:
// an HTTP receiver started here records what Relevo POSTs and checks the
// signature. The admin sets the URL (a bad one is refused at the field),
// rotates the secret (shown once, gone after a reload), sends a test
// event: the receiver got a ping signed with that secret and the table
// shows 200 and the latency. Pointed at a closed port, the test fails in
// words, in the result and in the table. axe-core audits it, light and dark.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { serverAndBrowser, newPage, login, screenshot, Api, USERS } from './harness.mjs'
import { auditBoth } from './axe.mjs'

const env = serverAndBrowser()

/** bothSchemes audits in light and dark, with a screenshot of each. */
const bothSchemes = (/** @type {import('playwright-core').Page} */ page, /** @type {string} */ label) =>
  auditBoth(page, label, (scheme) => screenshot(page, `settings-${label}-${scheme}`))

/** The browser logs every 4xx answer; 422 is the one the test provokes. */
const expected = (/** @type {string} */ e) => !/status of 422/.test(e)

/**
 * receiver is a bot's endpoint on 127.0.0.1: it keeps each request's body
 * and headers, and answers 200 "pong".
 * @returns {Promise<{ url: string, got: { body: string, headers: import('node:http').IncomingHttpHeaders }[], close: () => void }>}
 */
function receiver() {
  /** @type {{ body: string, headers: import('node:http').IncomingHttpHeaders }[]} */
  const got = []
  const srv = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      got.push({ body, headers: req.headers })
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('pong\nfrom the e2e receiver')
    })
  })
  return new Promise((resolve) =>
    srv.listen(0, '127.0.0.1', () => {
      const port = /** @type {import('node:net').AddressInfo} */ (srv.address()).port
      resolve({ url: `http://127.0.0.1:${port}/relevo`, got, close: () => srv.close() })
    }),
  )
}

/** closedPort is a port nothing listens on (it was free a moment ago). */
function closedPort() {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = /** @type {import('node:net').AddressInfo} */ (s.address()).port
      s.close(() => resolve(port))
    })
  })
}

/** signed checks Relevo's signature: HMAC-SHA256 of "timestamp.body". */
function signed(/** @type {string} */ secret, /** @type {{ body: string, headers: Record<string, any> }} */ r) {
  const want = 'sha256=' + createHmac('sha256', secret).update(`${r.headers['x-relevo-timestamp']}.${r.body}`).digest('hex')
  const got = String(r.headers['x-relevo-signature'] ?? '')
  return got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want))
}

test('bot webhook: URL, secret shown once, a signed test event, deliveries with failures in words', async () => {
  await env.ready
  const base = env.server.url
  const rc = await receiver()
  after(rc.close)
  const api = await Api.login(base, USERS.admin)
  await api.post('/api/v1/bots', { name: 'Hook Bot' })

  const admin = await newPage(env.browser, base)
  await admin.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
  const page = admin.page
  await login(page, USERS.admin, '/settings/bots')
  await page.getByRole('link', { name: 'Webhook of Hook Bot' }).click()
  await page.waitForURL('**/settings/bots/*/webhook')
  await page.getByRole('heading', { name: 'Webhook of Hook Bot' }).waitFor()
  await page.getByText('No deliveries yet.').waitFor()

  // A URL the server refuses is named at the field; then the receiver's.
  const url = page.getByLabel('Webhook URL')
  await url.fill('ftp://nope')
  await page.getByRole('button', { name: 'Save URL' }).click()
  await page.getByText('Must be an absolute http or https URL.').waitFor()
  assert.equal(await url.getAttribute('aria-invalid'), 'true')
  await url.fill(rc.url)
  await page.getByRole('button', { name: 'Save URL' }).click()
  await page.getByText('The webhook URL was saved.').waitFor()
  assert.equal(await url.getAttribute('aria-invalid'), 'false')

  // Rotate: shown once with a copy button.
  await page.getByRole('button', { name: 'Rotate secret' }).click()
  await page.getByRole('dialog', { name: 'Rotate the signing secret?' }).getByRole('button', { name: 'Rotate secret' }).click()
  const shown = page.getByRole('dialog', { name: 'New signing secret' })
  const secret = await shown.getByLabel('New signing secret').inputValue()
  assert.match(secret, /^[0-9a-f]{64}$/)
  await shown.getByRole('button', { name: 'Copy' }).click()
  await shown.getByText('Copied to the clipboard.').waitFor()
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret)
  await bothSchemes(page, 'webhook-secret-shown')
  await shown.getByRole('button', { name: 'Done' }).click()
  await shown.waitFor({ state: 'detached' })
  await page.reload()
  await page.getByRole('heading', { name: 'Webhook of Hook Bot' }).waitFor()
  await page.getByText('No deliveries yet.').waitFor()
  assert.ok(!(await page.content()).includes(secret), 'the secret is back after a reload')

  // The test event: signed with that secret, 200 in the table.
  await page.getByRole('button', { name: 'Send test event' }).click()
  await page.getByRole('status').filter({ hasText: /^Delivered: the receiver answered 200 in \d+ ms\.$/ }).waitFor()
  assert.equal(rc.got.length, 1)
  const ping = JSON.parse(rc.got[0].body)
  assert.equal(ping.type, 'ping')
  assert.ok(signed(secret, rc.got[0]), 'the ping is signed with the shown secret')
  const table = page.getByRole('table', { name: 'Last 50 deliveries' })
  const first = table.getByRole('row').nth(1)
  await first.getByRole('cell', { name: '200', exact: true }).waitFor()
  await first.getByText(/^\d+ ms$/).waitFor()
  await first.getByText('pong').waitFor()
  await first.getByText('test').waitFor()
  await bothSchemes(page, 'webhook')

  // A closed port: said in words, in the result and in the table.
  await url.fill(`http://127.0.0.1:${await closedPort()}/hook`)
  await page.getByRole('button', { name: 'Save URL' }).click()
  await page.getByText('The webhook URL was saved.').first().waitFor()
  await page.getByRole('button', { name: 'Send test event' }).click()
  await page.getByRole('status').filter({ hasText: 'Not delivered: connection refused, nothing listens at that address.' }).waitFor()
  await table.getByRole('row').nth(1).getByRole('cell', { name: 'connection refused, nothing listens at that address' }).waitFor()
  assert.equal(await table.getByRole('row').count(), 3, 'a header and two deliveries')
  await bothSchemes(page, 'webhook-failed')

  assert.deepEqual(admin.errors.filter(expected), [], 'admin console errors')
})
