// The guided start on an empty server (no --demo, no environment admin):
// the setup page makes the first admin, whose dashboard shows the
// checklist at 0 of 5; a bot created in Settings ticks the first step;
// "Skip for now" puts it away, a reload keeps it away, and "Get started"
// brings it back; with a web channel, the snippet step opens its form.
// axe-core audits the
// checklist in light and dark.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, screenshot } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser({ empty: true })

/** @param {import('playwright-core').Page} page @param {string} label */
async function bothSchemes(page, label) {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `${label} (${colorScheme})`)
    await screenshot(page, `onboarding-${label}-${colorScheme}`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

test('the guided start: ticked from what exists, skipped, kept skipped, brought back', async () => {
  await env.ready
  const admin = await newPage(env.browser, env.server.url)
  const page = admin.page

  await page.goto('/')
  await page.waitForURL('**/setup')
  await page.getByLabel('Name').fill('Ada Lovelace')
  await page.getByLabel('Email').fill('ada@example.com')
  await page.getByLabel('Password', { exact: true }).fill('Analytical-Engine-1843')
  await page.getByRole('button', { name: 'Create admin and log in' }).click()
  await page.getByRole('heading', { name: 'Hello, Ada Lovelace' }).waitFor()

  // The checklist: nothing done yet, each step with a way to do it.
  const card = page.getByRole('region', { name: 'Get started' })
  await card.getByText('0 of 5 done').waitFor()
  const step = (/** @type {string} */ title) => card.getByRole('listitem').filter({ hasText: title })
  await step('Create a bot').getByText('to do').waitFor()
  await step('Add a web channel').getByRole('link', { name: 'Add a channel' }).waitFor()
  await step('Invite an agent').getByRole('link', { name: 'Open users' }).waitFor()
  await step('See the first conversation arrive').getByRole('link', { name: 'Open the desk' }).waitFor()
  await bothSchemes(page, 'checklist-empty')

  // The first step leads to Settings → Bots; a bot made there ticks it.
  await step('Create a bot').getByRole('link', { name: 'Create a bot' }).click()
  await page.waitForURL('**/settings/bots')
  await page.getByRole('button', { name: 'New bot' }).click()
  const form = page.getByRole('dialog', { name: 'New bot' })
  await form.getByLabel('Name', { exact: true }).fill('Web shop')
  await form.getByRole('button', { name: 'Create bot' }).click()
  await form.waitFor({ state: 'detached' })
  await page.getByRole('link', { name: 'Dashboard' }).click()
  await card.getByText('1 of 5 done').waitFor()
  await step('Create a bot').getByText('done', { exact: true }).waitFor()
  await step('Add a web channel').getByText('to do').waitFor()
  await bothSchemes(page, 'checklist-one')

  // Skipped: gone, and still gone after a reload (kept on the server).
  await card.getByRole('button', { name: 'Skip for now' }).click()
  await card.waitFor({ state: 'detached' })
  const back = page.getByRole('button', { name: 'Get started' })
  await back.waitFor()
  await page.reload()
  await page.getByRole('heading', { name: 'Hello, Ada Lovelace' }).waitFor()
  await back.waitFor()
  assert.equal(await card.count(), 0, 'the skipped checklist is back after a reload')
  await bothSchemes(page, 'checklist-skipped')

  // "Get started" brings it back, as it was.
  await back.click()
  await card.getByText('1 of 5 done').waitFor()
  assert.equal(await back.count(), 0)

  // Once a web channel exists, the snippet step leads to its form (the
  // snippet and the test page), not to the list of channels.
  const bot = (await (await page.request.get('/api/v1/bots')).json()).items[0]
  const made = await page.request.post('/api/v1/channels', { data: { bot_id: bot.id, type: 'web', name: 'Shop site' } })
  assert.equal(made.status(), 200, await made.text())
  const web = await made.json()
  await page.reload()
  const snippet = step('Copy the snippet or open the test page')
  await snippet.getByText('to do').waitFor()
  await snippet.getByRole('link', { name: 'Open channels' }).click()
  await page.waitForURL((u) => u.pathname === '/settings/channels' && u.searchParams.get('open') === web.id)
  const channelForm = page.getByRole('dialog', { name: 'Web chat: Shop site' })
  await channelForm.getByText('Embed snippet').waitFor()
  await channelForm.getByRole('link', { name: 'Open test page' }).waitFor()

  assert.deepEqual(admin.errors, [], 'admin console errors')
})
