// Settings → Calls on a demo server running Relevo's TURN relay, in a
// real browser: the page says the relay is on; the admin fills the form,
// a bad STUN URL is refused next to its field, saved values (and the
// masked secret) are there after a reload; the Test gathers candidates
// with what /api/v1/calls/ice hands out and finds a relayed one. A
// supervisor gets no such section. axe-core audits it, light and dark.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, USERS } from './harness.mjs'
import { auditBoth } from './axe.mjs'

// Port 0: the relay takes a free port and announces the one it got.
const env = serverAndBrowser({ extraArgs: ['--turn-listen', '127.0.0.1:0', '--turn-public-ip', '127.0.0.1'] })

/** The browser logs every 4xx answer; 422 is the one the test provokes. */
const expected = (/** @type {string} */ e) => !/status of 422/.test(e)

test('Calls settings: saved and masked, a bad URL named, the relay found by the Test', async () => {
  await env.ready
  const { page, errors } = await newPage(env.browser, env.server.url)
  await login(page, USERS.admin, '/settings')
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Calls' }).click()
  await page.waitForURL('**/settings/calls')
  await page.getByText(/Relevo’s relay is on at turn:127\.0\.0\.1:\d+\?transport=udp/).waitFor()
  await auditBoth(page, 'call-settings')

  // A TURN URL in the STUN list is refused next to the STUN field.
  await page.getByLabel('STUN servers').fill('turn:wrong.example.com')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByText('Each line must be a STUN URL').waitFor()
  assert.equal(await page.getByLabel('STUN servers').getAttribute('aria-invalid'), 'true')
  await auditBoth(page, 'call-settings-invalid')

  await page.getByLabel('STUN servers').fill('stun:stun.example.com:3478')
  await page.getByLabel('TURN servers').fill('turn:turn.example.com:3478?transport=udp')
  await page.getByLabel('Shared secret', { exact: true }).fill('a-long-shared-secret')
  await page.getByLabel('Credentials work for (minutes)').fill('30')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByText('Call settings saved.').waitFor()

  await page.reload()
  await page.getByLabel('TURN servers').waitFor()
  assert.equal(await page.getByLabel('STUN servers').inputValue(), 'stun:stun.example.com:3478')
  assert.equal(await page.getByLabel('TURN servers').inputValue(), 'turn:turn.example.com:3478?transport=udp')
  assert.equal(await page.getByLabel('Shared secret', { exact: true }).inputValue(), '********')
  assert.equal(await page.getByLabel('Credentials work for (minutes)').inputValue(), '30')

  // Servers that do not exist would only slow the Test down: with the
  // lists cleared the relay alone is handed out, its credentials made
  // with the shared secret kept above (the relay reads it on every
  // allocation).
  await page.getByLabel('STUN servers').fill('')
  await page.getByLabel('TURN servers').fill('')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByText('Call settings saved.').waitFor()
  await page.getByRole('button', { name: 'Test connectivity' }).click()
  await page.getByText('Relayed through TURN: found.').waitFor()
  await auditBoth(page, 'call-settings-tested')
  assert.deepEqual(errors.filter(expected), [])
  await page.context().close()

  // Supervisors get no Calls section (the API answers it to admins only).
  const sup = await newPage(env.browser, env.server.url)
  await login(sup.page, USERS.supervisor, '/settings')
  await sup.page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Users' }).waitFor()
  assert.equal(await sup.page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Calls' }).count(), 0)
  await sup.page.context().close()
})
