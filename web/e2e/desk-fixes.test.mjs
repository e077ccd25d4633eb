// What a new user tripped over at the desk: the loser of an assign race,
// peeking at the queue, messages left unsent by an outage, an offline
// auditor taking a customer, the emoji picker and cut protocols.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, goOnline, screenshot, inbound, Api, USERS } from './harness.mjs'

const env = serverAndBrowser({ sales: true })

/** contacts lists the contact names of the queue's rows, top to bottom. */
function contacts(page) {
  return page.locator('[data-testid^="row-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-contact')))
}

function row(page, contact) {
  return page.locator(`[data-testid^="row-"][data-contact="${contact}"]`)
}

/** settled is msg once the server has it (no longer sending or failed). */
function settled(page, msg) {
  return msg.and(page.locator(':is([data-status="pending"], [data-status="sent"], [data-status="delivered"], [data-status="read"])'))
}

/** heading waits for the open conversation to be contact's. */
function heading(page, contact) {
  return page.getByTestId('contact-name').filter({ hasText: contact }).waitFor()
}

test('the loser of an assign race is told so, and sees the conversation read-only with its new owner', async () => {
  const { bot, channel, customer } = env.sales
  const { conversation_id: id } = await inbound(customer, channel.id, 'race-1', 'Rita Race', 'race-m1', 'Is anybody there?')
  const a = await newPage(env.browser, env.server.url)
  const b = await newPage(env.browser, env.server.url)
  for (const [p, who] of [[a.page, USERS.agent], [b.page, USERS.agent2]]) {
    await login(p, who, `/bots/${bot.id}/${id}`)
    await goOnline(p)
    await p.getByText('Is anybody there?').waitFor()
  }

  // Both press "Assign to me" at once; Bruno's request reaches the server
  // only after Alice's has won (and its live update reached Bruno).
  /** @type {(v?: unknown) => void} */
  let release = () => {}
  const held = new Promise((r) => (release = r))
  await b.page.route('**/api/v1/conversations/*/assign', async (route) => {
    await held
    await route.continue()
  })
  await b.page.getByRole('button', { name: 'Assign to me' }).click()
  await a.page.getByRole('button', { name: 'Assign to me' }).click()
  await a.page.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  await b.page.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  release()

  await b.page.getByText('Someone else took this conversation first.').waitFor()
  assert.equal(await b.page.getByTestId('lock').count(), 0, 'no lock countdown for a lock Bruno never had')
  assert.equal(await b.page.getByText('no longer yours').count(), 0, 'it never was Bruno’s')
  await b.page.getByText('with Alice Agent').waitFor()
  await b.page.getByText('Alice Agent has this conversation now.').waitFor()
  await screenshot(b.page, 'desk-fixes-01-lost-race')
  assert.equal(await b.page.getByTestId('composer').count(), 0, 'read-only: nothing to write')
  assert.equal(await b.page.getByRole('button', { name: 'Assign to me' }).count(), 0)
  await row(b.page, 'Rita Race').waitFor({ state: 'detached' })

  // The winner has it, with the lock of its hand-over.
  await a.page.getByTestId('resolve').and(a.page.locator(':enabled')).waitFor()
  // The browser logs the loser's 409; nothing else may be logged.
  assert.deepEqual(b.errors.filter((e) => !/status of 409/.test(e)), [], 'console errors')
  assert.deepEqual(a.errors, [], 'console errors')
  await a.context.close()
  await b.context.close()
})

test('peeking at a waiting conversation keeps the longest waiter first; J/K follow the list', async () => {
  const { bot, channel, customer } = env.sales
  const names = ['Pia Peek', 'Quim Queue', 'Rosa Row']
  for (const [i, n] of names.entries()) await inbound(customer, channel.id, 'peek-' + i, n, 'peek-m' + i, `Hello from ${n}`)
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.agent2, `/bots/${bot.id}`)
  await page.getByTestId('tab-handovers').click()
  await row(page, 'Rosa Row').waitFor()
  const before = await contacts(page)
  const mine = before.filter((n) => names.includes(n))
  assert.deepEqual(mine, names, 'longest waiting first')

  // Open the longest waiter without assigning it, then walk with J and K.
  await row(page, 'Pia Peek').locator('button.main').click()
  await heading(page, 'Pia Peek')
  await page.getByText('Hello from Pia Peek').waitFor()
  await page.keyboard.press('j')
  await heading(page, 'Quim Queue')
  await page.keyboard.press('j')
  await heading(page, 'Rosa Row')
  await page.keyboard.press('k')
  await heading(page, 'Quim Queue')
  assert.deepEqual(await contacts(page), before, 'the list did not move under the cursor')
  assert.equal(await row(page, 'Pia Peek').locator('.badge').count(), 1, 'still unread: nobody holds it')

  // The server agrees: after a reload the longest waiter is still first.
  await page.reload()
  await heading(page, 'Quim Queue')
  await row(page, 'Rosa Row').waitFor()
  assert.deepEqual(await contacts(page), before, 'the same order from the server')
  await screenshot(page, 'desk-fixes-02-peeked')

  // An explicit "mark read" still reads it, and it goes after the unread ones.
  await row(page, 'Pia Peek').getByTestId('row-menu').click()
  await page.getByTestId('mark-read').click()
  await row(page, 'Pia Peek').locator('.badge').waitFor({ state: 'detached' })
  const after = (await contacts(page)).filter((n) => names.includes(n))
  assert.deepEqual(after, ['Quim Queue', 'Rosa Row', 'Pia Peek'])

  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})

test('the open conversation keeps its place while read; J goes on to the next one', async () => {
  const { bot, channel, customer } = env.sales
  const bruno = await Api.login(env.server.url, USERS.agent2)
  await bruno.call('PUT', '/api/v1/me/status', { status: 'online' })
  const names = ['Xavi Mine', 'Yara Mine']
  for (const [i, n] of names.entries()) {
    const c = await inbound(customer, channel.id, 'mine-' + i, n, 'mine-m' + i, `First from ${n}`)
    await bruno.post(`/api/v1/conversations/${c.conversation_id}/assign`)
    await inbound(customer, channel.id, 'mine-' + i, n, 'mine-n' + i, `Second from ${n}`)
  }
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.agent2, `/bots/${bot.id}`)
  await page.getByTestId('tab-mine').click()
  await row(page, 'Yara Mine').locator('.badge').waitFor()
  const before = (await contacts(page)).filter((n) => names.includes(n))
  assert.deepEqual(before, names, 'both unread, the older first')

  // Opening Xavi reads it (it is Bruno's), but it stays under the cursor.
  await row(page, 'Xavi Mine').locator('button.main').click()
  await page.getByText('Second from Xavi Mine').waitFor()
  await row(page, 'Xavi Mine').locator('.badge').waitFor({ state: 'detached' })
  assert.deepEqual((await contacts(page)).filter((n) => names.includes(n)), names)
  await page.keyboard.press('j')
  await heading(page, 'Yara Mine')
  // Left behind, the read one takes its true place after the unread.
  await row(page, 'Yara Mine').locator('.badge').waitFor({ state: 'detached' })

  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})

test('a message left unsent by an outage goes by itself once the socket is back, once', async () => {
  const { bot, channel, customer } = env.sales
  const { conversation_id: id } = await inbound(customer, channel.id, 'outage-1', 'Omar Outage', 'outage-m1', 'Hello?')
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  // The socket passes through the test, which can cut it like an outage.
  const sockets = []
  await page.routeWebSocket(/\/api\/v1\/ws$/, (ws) => {
    ws.connectToServer()
    sockets.push(ws)
  })
  await login(page, USERS.agent, `/bots/${bot.id}/${id}`)
  await goOnline(page)
  await page.getByRole('button', { name: 'Assign to me' }).click()
  await page.getByTestId('resolve').and(page.locator(':enabled')).waitFor()

  const sends = []
  const down = async (route) => {
    if (route.request().method() !== 'POST') return route.continue()
    sends.push(route.request().postDataJSON())
    return route.abort('internetdisconnected')
  }
  const messages = '**/api/v1/conversations/*/messages'
  await page.route(messages, down)
  await page.getByTestId('composer').fill('Sorry for the wait')
  await page.getByTestId('composer').press('Enter')
  const first = page.locator('[data-testid="msg-agent"]').filter({ hasText: 'Sorry for the wait' })
  await first.getByText('Not sent.').waitFor()

  // The network is back; the socket reconnects and the message goes.
  await page.unroute(messages, down)
  await sockets.at(-1).close({ code: 4000, reason: 'outage' })
  await settled(page, first).waitFor()
  await page.getByText('Sent after reconnecting').waitFor()
  assert.equal(await first.getByTestId('retry').count(), 0)
  const stored = (await (await Api.login(env.server.url, USERS.agent)).get(`/api/v1/conversations/${id}/messages`)).items
  assert.equal(stored.filter((m) => m.text === 'Sorry for the wait').length, 1, 'one copy on the server')
  await screenshot(page, 'desk-fixes-03-sent-after-reconnect')

  // If the automatic retry fails too, it stays "Not sent" with Retry.
  await page.route(messages, down)
  await page.getByTestId('composer').fill('Are you still there?')
  await page.getByTestId('composer').press('Enter')
  const second = page.locator('[data-testid="msg-agent"]').filter({ hasText: 'Are you still there?' })
  await second.getByText('It goes again by itself').waitFor()
  const tries = sends.length
  await sockets.at(-1).close({ code: 4000, reason: 'outage' })
  await second.getByText('Not sent.', { exact: true }).waitFor()
  assert.equal(sends.length, tries + 1, 'one automatic retry')
  assert.equal(sends.at(-1).client_id, sends.at(-2).client_id, 'with the same client_id')
  await page.unroute(messages, down)
  await second.getByTestId('retry').click()
  await settled(page, second).waitFor()
  await second.getByTestId('retry').waitFor({ state: 'detached' })

  // The aborted requests are logged by the browser; nothing else may be.
  const unexpected = errors.filter((e) => !/Failed to load resource: net::ERR_INTERNET_DISCONNECTED/.test(e))
  assert.deepEqual(unexpected, [], 'console errors')
  await context.close()
})

test('an offline auditor who takes over is online', async () => {
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.auditor)
  await page.getByTestId('status-switch').filter({ hasText: 'Offline' }).waitFor()
  await page.getByTestId('bot-Acme Support').click()
  await page.getByTestId('tab-bot').click()
  await row(page, 'Aiko Tanaka').locator('button.main').click()
  await page.getByText('Do you ship to Japan?').waitFor()
  await page.getByTestId('status-switch').filter({ hasText: 'Offline' }).waitFor()
  await page.getByRole('button', { name: 'Take over' }).click()
  await page.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  await page.getByTestId('status-switch').filter({ hasText: 'Online' }).waitFor()
  await screenshot(page, 'desk-fixes-04-auditor-online')
  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})

test('All my bots shows protocols whole', async () => {
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.agent)
  await page.getByTestId('bot-all').click()
  const maria = row(page, 'Maria Luiza dos Santos')
  await maria.waitFor()
  const protocol = maria.getByText(/^#\d{14}$/)
  const [inner, outer] = await protocol.evaluate((el) => [el.getBoundingClientRect().right, el.parentElement?.getBoundingClientRect().right ?? 0])
  assert.ok(inner <= outer + 0.5, `the protocol ends at ${inner}px, inside its line (${outer}px)`)
  await screenshot(page, 'desk-fixes-05-all-bots')
  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})

test('the emoji picker closes after a pick and gives the focus back to the text', async () => {
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.agent)
  await page.getByTestId('bot-all').click()
  const maria = row(page, 'Maria Luiza dos Santos')
  await maria.locator('button.main').click()
  await page.getByText('It charges me twice this month').waitFor()
  await page.getByTestId('composer').fill('Thanks ')
  await page.getByRole('button', { name: 'Emoji', exact: true }).click()
  await page.getByTestId('emoji-picker').getByRole('button', { name: '👍' }).click()
  await page.getByTestId('emoji-picker').waitFor({ state: 'detached' })
  await page.waitForFunction(() => document.activeElement?.id === 'composer-text')
  assert.equal(await page.getByTestId('composer').inputValue(), 'Thanks 👍')
  await page.keyboard.type('!')
  assert.equal(await page.getByTestId('composer').inputValue(), 'Thanks 👍!')

  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})
