// What a new user tripped over in the web widget, checked as a person
// would: the closed panel is out of the Tab order and focus goes where the
// visitor types; Enter sends while Ctrl+Enter and Shift+Enter break the line
// (in the console too); links are clickable and safe in both; the emoji
// picker works by keyboard; dark mode; and a WCAG 2.1 AA audit (axe-core)
// of every view, light and dark.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, agentOnline, openWidget, demoBot, newPage, login, screenshot, salesSetup, inbound, Api, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser()

const LINK = 'https://example.test/a?b=1'
const TRICKY = `Docs: ${LINK}. Not javascript:alert(1) nor data:text/html,hi nor <b>x</b>`

/** isFocused waits until locator is the focused element of its document. */
async function isFocused(locator) {
  await locator.and(locator.page().locator(':focus')).waitFor().catch(() => {})
  return locator.evaluate((el) => el.getRootNode().activeElement === el)
}

test('the closed panel is inert; opening focuses the first field; Escape returns to the bubble', async () => {
  const c = await newPage(env.browser, env.server.url, { width: 1280, height: 800 })
  const { w, bubble } = await openWidget(c.page)

  // Tab from the top of the page: the page's own link, then the bubble;
  // nothing inside the closed panel.
  await c.page.keyboard.press('Tab')
  assert.ok(await isFocused(c.page.getByRole('link', { name: '/', exact: true })), 'first Tab stop: the page link')
  await c.page.keyboard.press('Tab')
  assert.ok(await isFocused(bubble), 'second Tab stop: the bubble')
  const frame = c.page.getByTestId('relevo-frame')
  assert.equal(await frame.evaluate((f) => f.inert && f.getAttribute('aria-hidden')), 'true', 'the closed panel is inert and hidden from assistive tech')

  // Opening (by keyboard) puts focus in the pre-chat form's first field, not on Close.
  await c.page.keyboard.press('Enter')
  assert.equal(await bubble.getAttribute('aria-expanded'), 'true')
  assert.ok(await isFocused(w.getByLabel('Your name')), 'the first field has focus')
  assert.equal(await frame.evaluate((f) => f.inert || f.hasAttribute('aria-hidden')), false, 'the open panel is reachable')

  // Escape closes and gives focus back to the bubble.
  await c.page.keyboard.press('Escape')
  await bubble.and(c.page.locator('[aria-expanded="false"]')).waitFor()
  assert.ok(await isFocused(bubble), 'the bubble has focus again')
  assert.equal(await frame.evaluate((f) => f.inert), true)

  // After the form, opening focuses the composer.
  await bubble.click()
  await w.getByLabel('Your name').fill('Kim Keys')
  await w.getByRole('button', { name: 'Start chatting' }).click()
  assert.ok(await isFocused(w.getByTestId('widget-composer')), 'the composer has focus after the form')
  await c.page.keyboard.press('Escape')
  await bubble.and(c.page.locator('[aria-expanded="false"]')).waitFor()
  await c.page.keyboard.press('Enter')
  assert.ok(await isFocused(w.getByTestId('widget-composer')), 'reopening focuses the composer')
  assert.deepEqual(c.errors, [])
  await c.context.close()
})

test('widget: Enter sends, Ctrl+Enter and Shift+Enter break the line; links are clickable and safe; emoji by keyboard', async () => {
  const c = await newPage(env.browser, env.server.url, { width: 1280, height: 800 })
  const { w, bubble } = await openWidget(c.page)
  await bubble.click()
  await w.getByLabel('Your name').fill('Lin Links')
  await w.getByRole('button', { name: 'Start chatting' }).click()
  const composer = w.getByTestId('widget-composer')

  await composer.fill('line one')
  await composer.press('Control+Enter')
  await composer.pressSequentially('line two')
  await composer.press('Shift+Enter')
  await composer.pressSequentially('line three')
  assert.equal(await composer.inputValue(), 'line one\nline two\nline three')
  assert.equal(await w.locator('[data-testid="widget-msg-contact"]').count(), 0, 'nothing sent yet')
  await composer.press('Enter')
  const sent = w.locator('[data-testid="widget-msg-contact"]').filter({ hasText: 'line three' })
  await sent.waitFor()
  assert.equal(await sent.locator('.text').innerText(), 'line one\nline two\nline three')
  assert.equal(await composer.inputValue(), '')

  // A link, a script URL, a data URL and markup: only the link is a link.
  await composer.fill(TRICKY)
  await composer.press('Enter')
  const msg = w.locator('[data-testid="widget-msg-contact"]').filter({ hasText: 'nor <b>x</b>' })
  await msg.waitFor()
  await checkLinks(msg)

  // The emoji picker: keyboard in, arrows, Enter picks and closes.
  await composer.fill('Thanks ')
  const toggle = w.getByRole('button', { name: 'Insert an emoji' })
  await toggle.click()
  const picker = w.getByRole('dialog', { name: 'Insert an emoji' })
  await picker.waitFor()
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true')
  assert.ok(await isFocused(picker.getByRole('button', { name: '😀' })), 'the first emoji has focus')
  await c.page.keyboard.press('ArrowRight')
  assert.ok(await isFocused(picker.getByRole('button', { name: '😊' })), 'ArrowRight moves on')
  await screenshot(c.page, 'widget-fixes-emoji')
  await c.page.keyboard.press('Enter')
  await picker.waitFor({ state: 'hidden' })
  assert.equal(await composer.inputValue(), 'Thanks 😊')
  assert.ok(await isFocused(composer), 'back to the composer after a pick')
  // Escape closes the picker only, not the panel.
  await toggle.click()
  await picker.waitFor()
  await c.page.keyboard.press('Escape')
  await picker.waitFor({ state: 'hidden' })
  assert.ok(await isFocused(toggle), 'Escape returns to the emoji button')
  assert.equal(await bubble.getAttribute('aria-expanded'), 'true', 'the panel stays open')
  assert.deepEqual(c.errors, [])
  await c.context.close()
})

/** checkLinks: the message shows one safe link; the rest is text. */
async function checkLinks(msg) {
  const links = msg.getByRole('link')
  assert.equal(await links.count(), 1, 'one link: javascript: and data: stay text')
  const a = msg.getByRole('link', { name: LINK })
  assert.equal(await a.getAttribute('href'), LINK)
  assert.equal(await a.getAttribute('target'), '_blank')
  assert.equal(await a.getAttribute('rel'), 'noopener noreferrer')
  assert.equal(await msg.locator('b').count(), 0, 'markup is not interpreted')
  assert.match(await msg.innerText(), /javascript:alert\(1\) nor data:text\/html,hi nor <b>x<\/b>/)
}

test('console: links are clickable and safe; Enter sends, Ctrl+Enter and Shift+Enter break the line', async () => {
  const { channel, customer } = await salesSetup(env.server.url)
  const res = await inbound(customer, channel.id, 'e2e-linda', 'Linda Links', 'e2e-link-1', TRICKY)
  const a = await agentOnline(env.browser, env.server.url, USERS.agent)
  await a.page.getByTestId('bot-Acme Sales').click()
  const row = a.page.locator(`[data-testid="row-${res.conversation_id}"]`)
  await row.waitFor()
  await row.locator('button.main').click()
  const msg = a.page.locator('[data-testid="msg-contact"]').filter({ hasText: 'nor <b>x</b>' })
  await msg.waitFor()
  await checkLinks(msg)

  await a.page.getByTestId('assign').click()
  await a.page.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  const composer = a.page.getByTestId('composer')
  await composer.fill('one')
  await composer.press('Control+Enter')
  await composer.pressSequentially('two')
  await composer.press('Shift+Enter')
  await composer.pressSequentially('three')
  assert.equal(await composer.inputValue(), 'one\ntwo\nthree')
  await a.page.getByTestId('transfer').and(a.page.locator(':enabled')).waitFor() // the lock ended
  await composer.press('Enter')
  await a.page.locator('[data-testid="msg-agent"]').filter({ hasText: 'three' }).waitFor()
  assert.equal(await composer.inputValue(), '')
  assert.deepEqual(a.errors, [])
  await a.context.close()
})

test('dark mode, and a WCAG 2.1 AA audit of every view in light and dark', async () => {
  for (const scheme of ['light', 'dark']) {
    const c = await newPage(env.browser, env.server.url, { width: 1280, height: 800 })
    await c.page.emulateMedia({ colorScheme: scheme })
    const { w, bubble } = await openWidget(c.page)
    const only = { include: '#relevo-widget' } // the widget, not the demo shop around it
    await audit(c.page, `${scheme}: closed bubble`, only)

    await bubble.click()
    await w.getByLabel('Your name').waitFor()
    const bg = await w.locator('.panel').evaluate((el) => getComputedStyle(el).backgroundColor)
    assert.equal(bg, scheme === 'dark' ? 'rgb(20, 23, 27)' : 'rgb(246, 247, 249)', `${scheme} panel background`)
    await audit(c.page, `${scheme}: pre-chat`, only)
    await w.getByRole('button', { name: 'Start chatting' }).click()
    await w.getByText('Please fill this in.').waitFor()
    await audit(c.page, `${scheme}: pre-chat with an error`, only)

    await w.getByLabel('Your name').fill(`Ada ${scheme}`)
    await w.getByRole('button', { name: 'Start chatting' }).click()
    const composer = w.getByTestId('widget-composer')
    await composer.fill(`Hello, see ${LINK}`)
    await composer.press('Enter')
    // The flow's menu (quick replies) and the hand-over notice are on screen.
    await w.getByTestId('widget-quick-replies').getByRole('button', { name: 'Talk to a person' }).click()
    await w.getByTestId('widget-notice').first().waitFor()
    await screenshot(c.page, `widget-fixes-chat-${scheme}`)
    await audit(c.page, `${scheme}: chat`, only)
    await w.getByRole('button', { name: 'Insert an emoji' }).click()
    await audit(c.page, `${scheme}: emoji picker`, only)
    assert.deepEqual(c.errors, [])
    await c.context.close()
  }
})

test('the greeting and the notices in the visitor language, when the channel and the bot have them', async () => {
  const admin = await Api.login(env.server.url, USERS.admin)
  const { bot, channel: web } = await demoBot(admin, 'Acme Support', 'web')
  await admin.call('PATCH', `/api/v1/channels/${web.id}`, { config: { ...web.config, greetings: { es: '¡Hola! Solemos responder en pocos minutos.' } } })
  const notices = { ...bot.notices, translations: { es: { queued: 'Un agente te atenderá en breve.' } } }
  await admin.call('PATCH', `/api/v1/bots/${bot.id}`, { notices })

  const c = await newPage(env.browser, env.server.url, { locale: 'es-ES' })
  const { w, bubble } = await openWidget(c.page)
  await bubble.click()
  await w.getByLabel('Tu nombre').fill('Elena')
  await w.getByRole('button', { name: 'Empezar a chatear' }).click()
  await w.getByText('¡Hola! Solemos responder en pocos minutos.').waitFor()
  await w.getByTestId('widget-composer').fill('humano')
  await w.getByTestId('widget-composer').press('Enter')
  await w.getByTestId('widget-notice').filter({ hasText: 'Un agente te atenderá en breve.' }).waitFor()

  // An English visitor keeps the default greeting and notice.
  const e = await newPage(env.browser, env.server.url)
  const en = await openWidget(e.page)
  await en.bubble.click()
  await en.w.getByLabel('Your name').fill('Ed')
  await en.w.getByRole('button', { name: 'Start chatting' }).click()
  await en.w.getByText('Hi! We usually answer within a few minutes.').waitFor()
  await en.w.getByTestId('widget-composer').fill('human')
  await en.w.getByTestId('widget-composer').press('Enter')
  await en.w.getByTestId('widget-notice').filter({ hasText: 'An agent will be with you shortly.' }).waitFor()
  assert.deepEqual(c.errors, [])
  assert.deepEqual(e.errors, [])
  await c.context.close()
  await e.context.close()
})
