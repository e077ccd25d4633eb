// Business hours on the demo server, in a real browser. The admin (in São
// Paulo's zone) edits "Acme Support": a Monday that closes before it opens
// is refused and said next to Monday; then Monday to Friday 09:00–18:00
// with today as a holiday, so the desk is closed right now whatever the
// hour. A customer on the web widget asks for a person and reads the
// out-of-hours notice instead of the queued one; the queue screen and an
// agent's desk queue mark the conversation "Out of hours" in words.
// axe-core audits the form with its error, light and dark.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, widgetAsksForPerson, agentOnline, demoBot, newPage, login, screenshot, Api, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser()
const ZONE = 'America/Sao_Paulo'
const CLOSED = 'We are closed right now. Your message is in the queue and an agent will answer when we open.'

/** today is the date in ZONE, as the holiday input holds it. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())

test('business hours: a refused day is said in place; out of hours the customer is told and the queue marks it', async () => {
  await env.ready
  const base = env.server.url
  const api = await Api.login(base, USERS.admin)
  const { bot } = await demoBot(api, 'Acme Support', 'web')

  const admin = await newPage(env.browser, base, { timezoneId: ZONE })
  const page = admin.page
  await login(page, USERS.admin, '/settings/bots')
  await page.getByRole('row').filter({ hasText: 'Acme Support' }).getByRole('button', { name: 'Edit Acme Support' }).click()
  const form = page.getByRole('dialog', { name: 'Edit Acme Support' })
  const hours = form.getByRole('group', { name: 'Business hours' })
  await hours.getByLabel('Use business hours').check()
  assert.equal(await hours.getByLabel('Time zone').inputValue(), ZONE)

  const monday = hours.getByRole('group', { name: 'Monday' })
  await monday.getByLabel('Monday: opens').fill('18:00')
  await monday.getByLabel('Monday: closes').fill('09:00')
  await form.getByRole('button', { name: 'Save' }).click()
  await monday.getByText('The opening time must be before the closing time (use 24:00 for midnight).').waitFor()
  assert.equal(await monday.getByLabel('Monday: opens').getAttribute('aria-invalid'), 'true')
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `business hours form (${colorScheme})`)
    await screenshot(page, `business-hours-invalid-${colorScheme}`)
  }
  await page.emulateMedia({ colorScheme: 'light' })

  await monday.getByLabel('Monday: opens').fill('09:00')
  await monday.getByLabel('Monday: closes').fill('18:00')
  const holidays = hours.getByRole('group', { name: 'Holidays' })
  await holidays.getByRole('button', { name: 'Add holiday' }).click()
  await holidays.getByLabel('Holiday 1').fill(today())
  await form.getByRole('button', { name: 'Save' }).click()
  await form.waitFor({ state: 'detached' })
  const saved = (await api.get(`/api/v1/bots/${bot.id}`)).business_hours
  assert.deepEqual([saved.enabled, saved.time_zone, saved.holidays, saved.weekly.mon], [true, ZONE, [today()], [{ from: '09:00', to: '18:00' }]])

  // The customer asks for a person while the desk is closed.
  const customer = await widgetAsksForPerson(env.browser, base, 'Olivia Late')
  const { w } = customer
  await w.getByTestId('widget-notice').filter({ hasText: CLOSED }).waitFor()
  assert.equal(await w.getByTestId('widget-notice').filter({ hasText: 'An agent will be with you shortly.' }).count(), 0)

  // The queue screen marks it in words.
  await page.goto('/queues')
  const row = page.getByRole('row').filter({ hasText: 'Olivia Late' })
  await row.getByText('Out of hours', { exact: true }).waitFor()
  // So does an agent's desk queue.
  const agent = await agentOnline(env.browser, base, USERS.agent)
  await agent.page.getByTestId('bot-Acme Support').click()
  await agent.page.getByTestId('tab-handovers').click()
  await agent.page.locator('[data-testid^="row-"][data-contact="Olivia Late"]').getByText('Out of hours', { exact: true }).waitFor()
  // The browser logs the 422 the test provoked; nothing else may fail.
  assert.deepEqual([...admin.errors.filter((e) => !/status of 422/.test(e)), ...customer.errors, ...agent.errors], [])
})
