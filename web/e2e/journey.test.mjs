// The agent journey, in a real browser against the real server: a customer
// writes through the API channel (the widget comes with its own issue);
// agent A sees the handover arrive live, assigns it, sees the lock end,
// replies, and transfers it to agent B with a reason and a note; B sees
// both in the timeline and resolves. The customer's side is read back
// through the API as the bot.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, agentOnline, screenshot, salesSetup, inbound, USERS } from './harness.mjs'

const env = serverAndBrowser()

test('agent journey: live handover, assign, lock, reply, transfer with reason and note, resolve', async () => {
  const { bot, channel, customer } = await salesSetup(env.server.url)

  // Agent A opens the Acme Sales desk and goes online.
  const a = await agentOnline(env.browser, env.server.url, USERS.agent)
  await a.page.getByTestId('bot-Acme Sales').click()
  await a.page.getByTestId('tab-handovers').waitFor()
  await screenshot(a.page, 'journey-01-agent-a-queue')

  // Agent B, in its own browser context, goes online too.
  const b = await agentOnline(env.browser, env.server.url, USERS.agent2)
  await b.page.goto(`/bots/${bot.id}`)
  await b.page.getByTestId('tab-mine').click()

  // A customer writes; the bot has no flow, so it goes straight to the queue.
  const res = await inbound(customer, channel.id, 'e2e-carla', 'Carla Customer', 'e2e-m1', 'Hi, I was charged twice for my order')
  const convID = res.conversation_id

  // A sees the handover appear without reloading.
  const row = a.page.locator(`[data-testid="row-${convID}"]`)
  await row.waitFor()
  assert.match(await row.innerText(), /Carla Customer/)
  await screenshot(a.page, 'journey-02-handover-arrived')
  await row.locator('button.main').click()
  await a.page.getByText('Hi, I was charged twice for my order').waitFor()

  // Assign: the protocol appears, the lock holds while the customer is
  // told, and the restricted actions come back when it ends.
  await a.page.getByTestId('assign').click()
  await a.page.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  await a.page.getByTestId('protocol').waitFor()
  const transfer = a.page.getByTestId('transfer')
  await assert.doesNotReject(() => transfer.and(a.page.locator(':enabled')).waitFor())
  assert.equal(await a.page.getByTestId('lock').count(), 0, 'the lock banner is gone once the lock ended')
  await a.page.locator('[data-testid="event-assigned"]').waitFor()

  // Reply with Enter.
  const composer = a.page.getByTestId('composer')
  await composer.fill('Hi Carla, I am looking into it right now.')
  await composer.press('Enter')
  const reply = a.page.locator('[data-testid="msg-agent"]').filter({ hasText: 'I am looking into it' })
  await reply.waitFor()
  await a.page.locator('[data-testid="msg-agent"][data-status="sent"], [data-testid="msg-agent"][data-status="delivered"]').first().waitFor()
  assert.equal(await composer.inputValue(), '', 'the composer is cleared after sending')
  await screenshot(a.page, 'journey-03-replied')

  // Transfer to B with a reason and a note.
  await transfer.click()
  const dialog = a.page.getByTestId('transfer-dialog')
  await dialog.waitFor()
  await a.page.getByTestId('transfer-agent').locator('option', { hasText: 'Bruno Agent' }).waitFor({ state: 'attached' })
  await a.page.getByTestId('transfer-agent').selectOption({ label: 'Bruno Agent' })
  // The reason is required: submitting without one says so.
  await a.page.getByTestId('transfer-submit').click()
  await a.page.getByText('A reason is required.').waitFor()
  await a.page.getByTestId('transfer-reason').selectOption({ label: 'Billing' })
  await a.page.getByTestId('transfer-note').fill('Charged twice on order 4411; refund approved by finance')
  await screenshot(a.page, 'journey-04-transfer-dialog')
  await a.page.getByTestId('transfer-submit').click()
  await dialog.waitFor({ state: 'detached' })

  // B sees it arrive in Mine, with the reason and the note in the timeline.
  const rowB = b.page.locator(`[data-testid="row-${convID}"]`)
  await rowB.waitFor()
  await rowB.locator('button.main').click()
  const ev = b.page.locator('[data-testid="event-transferred"]')
  await ev.waitFor()
  assert.match(await ev.innerText(), /transferred the conversation to Bruno Agent/)
  assert.match(await ev.getByTestId('event-reason').innerText(), /Billing/)
  assert.match(await ev.getByTestId('event-note').innerText(), /Charged twice on order 4411; refund approved by finance/)
  await screenshot(b.page, 'journey-05-agent-b-sees-transfer')

  // B resolves once the lock is over.
  const resolve = b.page.getByTestId('resolve')
  await resolve.and(b.page.locator(':enabled')).waitFor()
  await resolve.click()
  await b.page.getByTestId('phase').filter({ hasText: 'Closed' }).waitFor()
  await b.page.locator('[data-testid="event-resolved"]').waitFor()
  await screenshot(b.page, 'journey-06-resolved')

  // A's view followed: the conversation is no longer A's to work on.
  await a.page.getByText('This conversation is no longer yours').waitFor()
  assert.equal(await a.page.getByTestId('transfer').count(), 0)

  // What the customer was sent, read as the bot.
  const msgs = await customer.get(`/api/v1/conversations/${convID}/messages?limit=200`)
  const out = msgs.items.filter((m) => m.author.type !== 'contact' && m.kind !== 'event').map((m) => m.text)
  assert.ok(out.includes('You are being transferred to Agent Alice Agent'), out.join(' | '))
  assert.ok(out.includes('Hi Carla, I am looking into it right now.'), out.join(' | '))
  assert.ok(out.includes('You are being transferred to Agent Bruno Agent'), out.join(' | '))
  assert.ok(out.includes('Resolved'), out.join(' | '))

  assert.deepEqual(a.errors, [], 'agent A console errors')
  assert.deepEqual(b.errors, [], 'agent B console errors')
  await a.context.close()
  await b.context.close()
})
