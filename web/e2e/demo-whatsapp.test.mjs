// What a newcomer finds in `make run`'s demo: a WhatsApp customer who wrote
// yesterday waits in the queue. The agent takes the conversation, is told
// that the demo's WhatsApp channel sends to a built-in stand-in, sees the
// closed 24-hour window, and sends a template that the stand-in accepts
// (the timeline shows it sent). The demo bot's menu offers several choices.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, agentOnline, screenshot, USERS } from './harness.mjs'

const env = serverAndBrowser()

test('demo: the WhatsApp conversation past its window goes out through the labelled stand-in', async () => {
  const { page, errors, context } = await agentOnline(env.browser, env.server.url, USERS.agent)
  await page.getByTestId('bot-Acme Support').click()
  await page.getByTestId('tab-handovers').click()
  const row = page.locator('[data-testid^="row-"][data-contact="Rafael Costa"]')
  await row.locator('button.main').click()
  await page.getByText('My package arrived damaged').waitFor()

  await page.getByTestId('assign').click()
  await page.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  const note = page.getByTestId('demo-whatsapp')
  await note.waitFor()
  assert.match(await note.innerText(), /stand-in/)
  await page.getByTestId('window-closed').waitFor()

  const select = page.getByTestId('template-select')
  await select.and(page.locator(':enabled')).waitFor()
  const options = (await select.locator('option').allInnerTexts()).map((s) => s.trim())
  assert.ok(options.some((o) => /order_update/.test(o)), `the agent is offered order_update: ${options}`)
  assert.ok(!options.some((o) => /satisfaction_follow_up/.test(o)), `a supervisors' template is not offered to an agent: ${options}`)
  await select.selectOption({ label: 'order_update · en' })
  await page.getByTestId('template-param-1').fill('Rafael')
  await page.getByTestId('template-param-2').fill('#4411')
  await page.getByTestId('template-send').and(page.locator(':enabled')).click()
  const sent = page.locator('[data-testid="msg-agent"]').filter({ hasText: 'news about your order #4411' })
  await sent.locator('.ticks[data-status="sent"]').waitFor()
  await screenshot(page, 'demo-whatsapp-template-sent')
  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})
