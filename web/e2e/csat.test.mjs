// Customer satisfaction, end to end on the demo server: the admin turns the
// survey on for Acme Support (with a comment); a widget customer asks for
// a person, the agent assigns and resolves; the customer's panel asks for a
// rating in words, the customer gives 4 with a comment; the agent's
// timeline shows it, and the supervisor's Satisfaction report shows the
// average 4.0 and the comment. The survey and the report pass axe in light
// and dark.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, agentOnline, openWidget, newPage, login, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser()

const CUSTOMER = 'Rita Rating'
const COMMENT = 'Quick and very kind, thank you'

/** bothSchemes audits the page (or one frame of it) in light and dark. */
async function bothSchemes(page, label, opts) {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `${label} (${colorScheme})`, opts)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

test('after resolve the widget customer rates and the report shows it', async () => {
  // The admin turns the survey on for Acme Support.
  const adm = await newPage(env.browser, env.server.url)
  await login(adm.page, USERS.admin, '/settings/bots')
  const row = adm.page.getByRole('table').getByRole('row').filter({ hasText: 'Acme Support' })
  await row.getByRole('button', { name: 'Edit Acme Support' }).click()
  const form = adm.page.getByRole('dialog', { name: 'Edit Acme Support' })
  const block = form.getByRole('group', { name: 'Customer satisfaction' })
  await block.getByLabel('Ask customers to rate resolved conversations').check()
  await block.getByLabel('Offer an optional comment').check()
  await form.getByRole('button', { name: 'Save' }).click()
  await form.waitFor({ state: 'detached' })

  // The agent waits on the handovers.
  const a = await agentOnline(env.browser, env.server.url, USERS.agent)
  await a.page.getByTestId('bot-Acme Support').click()
  await a.page.getByTestId('tab-handovers').waitFor()

  // The customer writes and asks for a person.
  const c = await newPage(env.browser, env.server.url, { width: 1280, height: 800 })
  const { w, bubble } = await openWidget(c.page)
  await bubble.click()
  await w.getByLabel('Your name').fill(CUSTOMER)
  await w.getByTestId('widget-start').click()
  const composer = w.getByTestId('widget-composer')
  await composer.fill('My parcel never arrived')
  await composer.press('Enter')
  const talk = w.getByTestId('widget-quick-replies').getByRole('button', { name: 'Talk to a person' })
  if (await talk.waitFor({ timeout: 10_000 }).then(() => true, () => false)) await talk.click()
  else {
    await composer.fill('human')
    await composer.press('Enter')
  }
  await w.getByTestId('widget-status').filter({ hasText: 'Waiting for an agent' }).waitFor()

  // The agent assigns and resolves.
  const item = a.page.locator(`[data-testid^="row-"][data-contact="${CUSTOMER}"]`)
  await item.locator('button.main').click()
  await a.page.getByTestId('assign').click()
  await a.page.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  const resolve = a.page.getByTestId('resolve')
  await resolve.and(a.page.locator(':enabled')).click()
  await a.page.getByTestId('phase').filter({ hasText: 'Closed' }).waitFor()

  // The customer's panel asks, in words; choosing is not enough, sending is.
  const survey = w.getByRole('region', { name: 'How would you rate the help you received?' })
  await survey.waitFor()
  const frame = c.page.frames().find((f) => f.url().includes('/widget/'))
  assert.ok(frame, 'the widget frame')
  await bothSchemes(c.page, 'widget rating', { frame })
  const four = survey.getByRole('button', { name: '4 · Good' })
  await four.focus()
  await c.page.keyboard.press('Enter')
  await survey.getByRole('button', { name: '4 · Good', pressed: true }).waitFor()
  await survey.getByLabel(/Anything to add\?/).fill(COMMENT)
  await survey.getByRole('button', { name: 'Send rating' }).click()
  await w.getByText('Thank you for your rating!').waitFor()
  await bothSchemes(c.page, 'widget rating thanks', { frame })

  // The agent's timeline shows the rating and the comment, live.
  const ev = a.page.locator('[data-testid="event-csat"]')
  await ev.filter({ hasText: 'Customer rated 4/5' }).waitFor()
  assert.match(await ev.getByTestId('event-csat-comment').innerText(), /Quick and very kind/)

  // The supervisor's report: average 4.0 and the comment with its protocol.
  const sup = await newPage(env.browser, env.server.url)
  await login(sup.page, USERS.supervisor, '/reports')
  await sup.page.getByRole('tab', { name: 'Satisfaction' }).click()
  await sup.page.getByTestId('csat-average').filter({ hasText: '4.0' }).waitFor()
  const comments = sup.page.getByRole('table', { name: 'Comments' })
  const line = comments.getByRole('row').filter({ hasText: COMMENT })
  await line.getByRole('cell', { name: '4', exact: true }).waitFor()
  await sup.page.getByRole('table', { name: 'Satisfaction by agent' }).getByRole('row').filter({ hasText: 'Alice Agent' }).waitFor()
  await bothSchemes(sup.page, 'csat report')

  for (const p of [adm, a, c, sup]) assert.deepEqual(p.errors, [], 'console errors')
  for (const p of [adm, a, c, sup]) await p.context.close()
})
