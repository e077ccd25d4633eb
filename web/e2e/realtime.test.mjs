// The console stays in step with the server when its socket drops: it
// reconnects by itself (jittered back-off) and fetches what it missed,
// so a message sent while it was away shows up without a reload.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, goOnline, screenshot, salesSetup, inbound, USERS } from './harness.mjs'

const env = serverAndBrowser()

test('after the server restarts the console reconnects and catches up on what it missed', async () => {
  const { bot, channel, customer } = await salesSetup(env.server.url)
  const first = await inbound(customer, channel.id, 'rt-1', 'Ines Reconnect', 'rt-m1', 'First message')
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.agent, `/bots/${bot.id}/${first.conversation_id}`)
  await goOnline(page)
  await page.getByText('First message').waitFor()
  await page.getByTestId('assign').click()
  await page.getByTestId('resolve').and(page.locator(':enabled')).waitFor()

  await env.server.restart()
  // While the console is reconnecting, the customer writes again and a
  // new customer arrives in the queue.
  await inbound(customer, channel.id, 'rt-1', 'Ines Reconnect', 'rt-m2', 'Written while you were away')
  const other = await inbound(customer, channel.id, 'rt-2', 'Otto Offline', 'rt-m3', 'Anyone there?')

  await page.getByText('Written while you were away').waitFor({ timeout: 40_000 })
  await page.getByTestId('tab-handovers').click()
  await page.locator(`[data-testid="row-${other.conversation_id}"]`).waitFor({ timeout: 20_000 })
  assert.equal(await page.getByTestId('reconnecting').count(), 0, 'the console says it is live again')
  await screenshot(page, 'realtime-01-caught-up')

  // Frames flow again: a new message arrives live.
  await inbound(customer, channel.id, 'rt-1', 'Ines Reconnect', 'rt-m4', 'And now live again')
  await page.getByText('And now live again').waitFor()

  // The socket drop is logged by the browser as a failed connection;
  // nothing else may be.
  const unexpected = errors.filter((e) => !/WebSocket connection to .* failed|ERR_CONNECTION_REFUSED/.test(e))
  assert.deepEqual(unexpected, [], 'console errors')
  await context.close()
})
