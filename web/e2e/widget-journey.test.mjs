// The journey, with the customer in the web chat widget on /demo (one
// browser context): the customer fills the pre-chat form, goes through the
// demo bot's flow and asks for a person; agent A (second context, the
// console) sees the handover arrive live, assigns it, sees the lock end
// and replies; the customer sees "You are being transferred to Agent …",
// A's typing and the reply (with the unread badge while the panel is
// closed); A transfers to agent B with a reason and a note; B (third
// context) sees both and resolves; the customer sees "Resolved", and after
// a reload the whole conversation is still there.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, agentOnline, openWidget, demoBot, newPage, login, screenshot, Api, USERS } from './harness.mjs'

const env = serverAndBrowser()

const CUSTOMER = 'Wendy Widget'

test('widget journey: flow, handover, assign, reply, transfer with reason and note, resolve', async () => {
  const admin = await Api.login(env.server.url, USERS.admin)
  const { bot } = await demoBot(admin, 'Acme Support', 'web')

  // Agents A and B go online, A on the Handovers queue, B on Mine.
  const a = await agentOnline(env.browser, env.server.url, USERS.agent)
  await a.page.getByTestId('bot-Acme Support').click()
  await a.page.getByTestId('tab-handovers').waitFor()
  const b = await agentOnline(env.browser, env.server.url, USERS.agent2)
  await b.page.goto(`/bots/${bot.id}`)
  await b.page.getByTestId('tab-mine').click()

  // The customer opens the shop page and the chat.
  const c = await newPage(env.browser, env.server.url, { width: 1280, height: 800 })
  const { w, bubble } = await openWidget(c.page)
  await bubble.click()
  assert.equal(await bubble.getAttribute('aria-expanded'), 'true')

  // The demo channel asks for a name first; it is required.
  await w.getByTestId('widget-prechat').waitFor()
  await w.getByTestId('widget-start').click()
  await w.getByText('Please fill this in.').waitFor()
  await screenshot(c.page, 'widget-01-prechat')
  await w.getByLabel('Your name').fill(CUSTOMER)
  await w.getByLabel(/Your email/).fill('wendy@example.com')
  await w.getByTestId('widget-start').click()

  const composer = w.getByTestId('widget-composer')
  await composer.fill('Hi! I was charged twice for my order 4411')
  await composer.press('Enter')
  await w.locator('[data-testid="widget-msg-contact"]').filter({ hasText: 'charged twice' }).waitFor()

  // The bot's flow answers with a menu; "Talk to a person" hands over.
  // (Should the flow engine not answer, the handover keyword does it.)
  const talk = w.getByTestId('widget-quick-replies').getByRole('button', { name: 'Talk to a person' })
  const menu = await talk.waitFor({ timeout: 10_000 }).then(() => true, () => false)
  if (menu) {
    assert.match(await w.locator('[data-testid="widget-msg-bot"]').last().innerText(), /Acme Support[\s\S]*How can we help/)
    await screenshot(c.page, 'widget-02-bot-menu')
    await talk.click()
  } else {
    await composer.fill('human')
    await composer.press('Enter')
  }
  await w.getByTestId('widget-notice').filter({ hasText: 'An agent will be with you shortly.' }).waitFor()
  await w.getByTestId('widget-status').filter({ hasText: 'Waiting for an agent' }).waitFor()
  await screenshot(c.page, 'widget-03-waiting')

  // A sees the handover appear without reloading.
  const row = a.page.locator(`[data-testid^="row-"][data-contact="${CUSTOMER}"]`)
  await row.waitFor()
  const convID = (await row.getAttribute('data-testid')).slice('row-'.length)
  await row.locator('button.main').click()
  await a.page.getByText('I was charged twice for my order 4411').waitFor()

  // The customer closes the panel; what comes next counts on the bubble.
  await bubble.click()
  assert.equal(await bubble.getAttribute('aria-expanded'), 'false')

  // A assigns: the lock holds while the customer is told, then ends.
  await a.page.getByTestId('assign').click()
  await a.page.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  const transfer = a.page.getByTestId('transfer')
  await transfer.and(a.page.locator(':enabled')).waitFor()
  assert.equal(await a.page.getByTestId('lock').count(), 0, 'the lock banner is gone once the lock ended')
  await screenshot(a.page, 'widget-04-agent-assigned')

  const badge = c.page.getByTestId('relevo-badge')
  await badge.and(c.page.locator(':visible')).waitFor()
  assert.match(await badge.innerText(), /^[1-9]/)
  await screenshot(c.page, 'widget-05-unread-badge')
  await bubble.click()
  await badge.waitFor({ state: 'hidden' })
  await w.getByTestId('widget-notice').filter({ hasText: 'You are being transferred to Agent Alice Agent' }).waitFor()
  await w.getByTestId('widget-status').filter({ hasText: 'You are chatting with Alice Agent' }).waitFor()

  // A types (the customer sees it) and replies.
  const reply = a.page.getByTestId('composer')
  await reply.pressSequentially('Hi Wendy, ', { delay: 20 })
  await w.getByTestId('widget-typing').filter({ hasText: 'Alice Agent is typing' }).waitFor()
  await reply.pressSequentially('I am looking into it right now.', { delay: 5 })
  await reply.press('Enter')
  const agentMsg = w.locator('[data-testid="widget-msg-agent"]').filter({ hasText: 'I am looking into it right now.' })
  await agentMsg.waitFor()
  assert.match(await agentMsg.innerText(), /Alice Agent/)
  await screenshot(c.page, 'widget-06-agent-replied')

  // The customer answers; A sees it live.
  // (A's console marks it read a moment later; the transfer waits for
  // that, as a person reading it would.)
  const read = a.page.waitForResponse((r) => r.url().endsWith(`/api/v1/conversations/${convID}/read`))
  await composer.fill('Thank you! It was on the 3rd of March.')
  await composer.press('Enter')
  await a.page.getByText('It was on the 3rd of March.').waitFor()
  await read

  // A transfers to B with a reason and a note.
  await transfer.and(a.page.locator(':enabled')).click()
  await a.page.getByTestId('transfer-dialog').waitFor()
  await a.page.getByTestId('transfer-agent').locator('option', { hasText: 'Bruno Agent' }).waitFor({ state: 'attached' })
  await a.page.getByTestId('transfer-agent').selectOption({ label: 'Bruno Agent' })
  await a.page.getByTestId('transfer-reason').selectOption({ label: 'Billing' })
  await a.page.getByTestId('transfer-note').fill('Charged twice on order 4411; refund approved by finance')
  await a.page.getByTestId('transfer-submit').click()
  await a.page.getByTestId('transfer-dialog').waitFor({ state: 'detached' })
  await w.getByTestId('widget-notice').filter({ hasText: 'You are being transferred to Agent Bruno Agent' }).waitFor()
  await w.getByTestId('widget-status').filter({ hasText: 'You are chatting with Bruno Agent' }).waitFor()

  // B sees it in Mine with the reason and the note, and resolves.
  const rowB = b.page.locator(`[data-testid="row-${convID}"]`)
  await rowB.waitFor()
  await rowB.locator('button.main').click()
  const ev = b.page.locator('[data-testid="event-transferred"]')
  await ev.waitFor()
  assert.match(await ev.getByTestId('event-reason').innerText(), /Billing/)
  assert.match(await ev.getByTestId('event-note').innerText(), /refund approved by finance/)
  await screenshot(b.page, 'widget-07-agent-b-sees-transfer')
  const resolve = b.page.getByTestId('resolve')
  await resolve.and(b.page.locator(':enabled')).waitFor()
  await resolve.click()
  await b.page.getByTestId('phase').filter({ hasText: 'Closed' }).waitFor()

  // The customer sees "Resolved".
  await w.getByTestId('widget-notice').filter({ hasText: /^Resolved$/ }).waitFor()
  await w.getByTestId('widget-status').filter({ hasText: 'resolved' }).waitFor()
  await screenshot(c.page, 'widget-08-resolved')

  // Internal notes and events never reach the customer.
  const shown = await w.getByTestId('widget-messages').innerText()
  assert.doesNotMatch(shown, /refund approved by finance|Billing/)

  // History survives a reload (the token is kept in localStorage).
  await c.page.reload()
  await bubble.click()
  await w.getByTestId('widget-notice').filter({ hasText: /^Resolved$/ }).waitFor()
  await w.locator('[data-testid="widget-msg-agent"]').filter({ hasText: 'I am looking into it right now.' }).waitFor()
  assert.equal(await w.getByTestId('widget-prechat').count(), 0, 'no pre-chat form for a returning visitor')

  assert.deepEqual(c.errors, [], 'customer console errors')
  assert.deepEqual(a.errors, [], 'agent A console errors')
  assert.deepEqual(b.errors, [], 'agent B console errors')
  await c.context.close()
  await a.context.close()
  await b.context.close()
})

test('widget speaks the visitor language and fits a phone', async () => {
  const c = await newPage(env.browser, env.server.url, { locale: 'es-MX', width: 390, height: 780 })
  await c.page.goto('/demo')
  await c.page.getByTestId('relevo-bubble').click()
  const w = c.page.frameLocator('[data-testid="relevo-frame"]')
  await w.getByText('Antes de empezar').waitFor()
  await w.getByLabel('Tu nombre').fill('Lucía')
  await w.getByRole('button', { name: 'Empezar a chatear' }).click()
  await w.getByPlaceholder('Escribe un mensaje…').fill('Hola')
  await w.getByPlaceholder('Escribe un mensaje…').press('Enter')
  await w.locator('[data-testid="widget-msg-contact"]').filter({ hasText: 'Hola' }).waitFor()
  const box = await c.page.getByTestId('relevo-frame').boundingBox()
  assert.ok(box && box.width >= 389 && box.height >= 779, `the panel fills the phone: ${JSON.stringify(box)}`)
  await screenshot(c.page, 'widget-09-phone-es')
  // Escape closes the panel.
  await w.getByPlaceholder('Escribe un mensaje…').press('Escape')
  await c.page.getByTestId('relevo-bubble').and(c.page.locator('[aria-expanded="false"]')).waitFor()

  const p = await newPage(env.browser, env.server.url, { locale: 'pt-BR' })
  await p.page.goto('/demo')
  await p.page.getByTestId('relevo-bubble').click()
  await p.page.frameLocator('[data-testid="relevo-frame"]').getByText('Antes de começar').waitFor()
  assert.deepEqual(c.errors, [], 'es console errors')
  assert.deepEqual(p.errors, [], 'pt-BR console errors')
  await c.context.close()
  await p.context.close()
})
