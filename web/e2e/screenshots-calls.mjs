// Takes docs/img/agent-call.png for docs/agent-guide.md ("Calls") from a
// demo server: `npm run screenshots:calls` (after make build). Chromium's
// fake camera and microphone play both sides; the steps are those of
// e2e/calls.test.mjs, so a renamed label fails here as loudly as there.
import { mkdir } from 'node:fs/promises'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer, launchBrowser, agentOnline, widgetAsksForPerson, demoBot, Api, USERS } from './harness.mjs'

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'img')
await mkdir(out, { recursive: true })

const browser = await launchBrowser({ fakeMedia: true })
const server = await startServer()
try {
  const admin = await Api.login(server.url, USERS.admin)
  const { bot } = await demoBot(admin, 'Acme Support', 'web')
  await admin.call('PATCH', `/api/v1/bots/${bot.id}`, { calls: { mode: 'video', customer_may_start: true } })

  const a = await agentOnline(browser, server.url, USERS.agent)
  await a.page.setViewportSize({ width: 1360, height: 860 })
  await a.page.getByTestId('bot-Acme Support').click()
  const c = await widgetAsksForPerson(browser, server.url, 'Carla Caller')
  await c.w.getByTestId('widget-notice').filter({ hasText: 'An agent will be with you shortly.' }).waitFor()
  await a.page.locator('[data-testid^="row-"][data-contact="Carla Caller"]').locator('button.main').click()
  await a.page.getByTestId('assign').click()
  await a.page.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  await c.composer.fill('Could you show me how to set it up?')
  await c.composer.press('Enter')

  await a.page.getByRole('button', { name: 'Video call' }).click()
  await c.w.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' }).click()
  const bar = a.page.getByRole('region', { name: 'Call with Carla Caller' })
  await bar.getByTestId('call-status').filter({ hasText: 'Connected' }).waitFor()
  await bar.getByTestId('call-timer').filter({ hasText: /^0:0[2-9]/ }).waitFor()
  await a.page.screenshot({ path: join(out, 'agent-call.png') })
  console.log('wrote docs/img/agent-call.png')
} finally {
  await browser.close()
  await server.stop()
}
