// An auditor reads what the bot said and takes a bot-phase conversation
// over, then writes as an agent.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, screenshot, USERS } from './harness.mjs'

const env = serverAndBrowser()

test('auditor takes over a bot-phase conversation and writes to the customer', async () => {
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.auditor)
  await page.getByTestId('bot-Acme Support').click()

  // Auditors have the All and Bot tabs; agents do not.
  await page.getByTestId('tab-all').waitFor()
  await page.getByTestId('tab-bot').click()
  const row = page.locator('[data-testid^="row-"][data-contact="Aiko Tanaka"]')
  await row.waitFor()
  await row.locator('button.main').click()
  await page.getByText('Do you ship to Japan?').waitFor()
  await page.locator('[data-testid="msg-bot"]').first().waitFor()
  assert.match(await page.getByTestId('phase').innerText(), /With the bot/)
  await screenshot(page, 'auditor-01-bot-phase')

  await page.getByTestId('take-over').click()
  await page.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  const ev = page.locator('[data-testid="event-assigned"]')
  await ev.waitFor()
  assert.match(await ev.innerText(), /Olga Auditor took over from the bot/)
  await page.getByTestId('protocol').waitFor()

  // Once the lock is over the auditor writes like an agent.
  const composer = page.getByTestId('composer')
  await page.getByTestId('mode-reply').and(page.locator(':enabled')).waitFor()
  await composer.fill('Hello Aiko, yes: we ship to Japan within 5 days.')
  await page.getByTestId('send').and(page.locator(':enabled')).click()
  await page.locator('[data-testid="msg-agent"]').filter({ hasText: 'we ship to Japan' }).waitFor()
  await screenshot(page, 'auditor-02-taken-over')

  // The conversation left the Bot tab and is in Mine.
  await row.waitFor({ state: 'detached' })
  await page.getByTestId('tab-mine').click()
  await page.locator('[data-testid^="row-"][data-contact="Aiko Tanaka"]').waitFor()

  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})
