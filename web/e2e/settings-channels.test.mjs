// Settings → Channels on the demo server, in a real browser: the admin
// creates a web chat channel (a bad origin is named next to its field; the
// preview follows the title and colour and warns about a pale one), copies
// its snippet, turns identity verification on (the secret is shown once,
// masked after a reload), opens the test page and chats there as a
// customer whose message reaches an agent's queue; an API channel shows its
// inbound URL and a curl example with a new token, and the same request
// made here creates a conversation. A supervisor reads the list without
// secrets or write buttons. axe-core audits the list and the form.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, agentOnline, screenshot, Api, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser()

/** @param {import('playwright-core').Page} page @param {string} label */
async function bothSchemes(page, label) {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `${label} (${colorScheme})`)
    await screenshot(page, `settings-${label}-${colorScheme}`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

/** The browser logs every 4xx answer; 422 is the one the test provokes. */
const expected = (/** @type {string} */ e) => !/status of 422/.test(e)

const CUSTOMER = 'Tess Tester'

test('Channels: a web channel from the form to a customer on its test page; an API channel with a ready request; a supervisor reads', async () => {
  await env.ready
  const base = env.server.url
  const api = await Api.login(base, USERS.admin)
  const admin = await newPage(env.browser, base)
  await admin.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
  const page = admin.page
  await login(page, USERS.admin, '/settings')
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Channels' }).click()
  await page.waitForURL('**/settings/channels')
  const table = page.getByRole('table')
  await table.getByRole('row').filter({ hasText: 'Website chat' }).getByRole('cell', { name: 'Web chat' }).waitFor()
  await bothSchemes(page, 'channels')

  // A web chat channel: a bad origin is named next to the field.
  await page.getByRole('button', { name: 'Add channel' }).click()
  await page.getByRole('dialog', { name: 'Add a channel' }).getByRole('button', { name: /^Web chat/ }).click()
  const form = page.getByRole('dialog', { name: 'New web chat channel' })
  await form.getByLabel('Name', { exact: true }).fill('Shop chat')
  await form.getByLabel('Bot').selectOption({ label: 'Acme Sales' })
  const origins = form.getByLabel('Allowed sites')
  await origins.fill('https://shop.example\nshop.example/path')
  await form.getByLabel('Customer’s name').check()
  await form.getByLabel('Title', { exact: true }).fill('Shop help')
  await form.getByLabel('In English (also for other languages)').fill('Hi! Ask us anything.')
  const color = form.getByLabel('Colour', { exact: true })
  await color.fill('#ffd400')
  const preview = form.getByRole('figure', { name: 'Preview' })
  await preview.getByText(/White text reaches only 1\.\d:1 on this colour/).waitFor()
  await color.fill('#0b6e4f')
  await preview.getByText(/White text reaches only/).waitFor({ state: 'detached' })
  await preview.getByTestId('preview-header').filter({ hasText: 'Shop help' }).waitFor()
  await preview.getByText('Hi! Ask us anything.').waitFor()
  assert.equal(await preview.getByTestId('preview-header').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(11, 110, 79)')
  assert.equal(await preview.getByTestId('preview-launcher').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(11, 110, 79)')
  await form.getByRole('button', { name: 'Create channel' }).click()
  await form.getByText('“shop.example/path” is not an origin').waitFor()
  assert.equal(await origins.getAttribute('aria-invalid'), 'true')
  await bothSchemes(page, 'channel-web-form')
  await origins.fill('https://shop.example')
  await form.getByRole('button', { name: 'Create channel' }).click()

  // Saved: it opens again with its snippet, test page and identity.
  const saved = page.getByRole('dialog', { name: 'Web chat: Shop chat' })
  const snippetField = saved.getByRole('textbox', { name: 'Embed snippet' })
  await snippetField.waitFor()
  const web = (await api.get('/api/v1/channels')).items.find((/** @type {any} */ c) => c.name === 'Shop chat')
  assert.deepEqual(web.config.allowed_origins, ['https://shop.example'])
  assert.equal(web.config.color, '#0b6e4f')
  const snippet = `<script src="${base}/widget.js" data-channel="${web.id}" async></script>`
  assert.equal(await snippetField.inputValue(), snippet)
  await saved.getByRole('button', { name: 'Copy: Embed snippet' }).click()
  await saved.getByText('Copied to the clipboard.').waitFor()
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet)

  await saved.getByRole('button', { name: 'Turn on identity verification' }).click()
  const secret = await saved.getByRole('textbox', { name: 'Identity secret' }).inputValue()
  assert.match(secret, /^rlv_w_/)
  await saved.getByText('it will not be shown again').waitFor()
  assert.equal((await api.get(`/api/v1/channels/${web.id}`)).config.secret, '********', 'the API reads the secret back masked')

  // The test page, in a new tab: the widget chats as a customer and the
  // message reaches an agent of the channel's bot.
  const agent = await agentOnline(env.browser, base, USERS.agent)
  await agent.page.getByTestId('bot-Acme Sales').click()
  await agent.page.getByTestId('tab-handovers').click()
  const [tester] = await Promise.all([admin.context.waitForEvent('page'), saved.getByRole('link', { name: 'Open test page' }).click()])
  const testerErrors = /** @type {string[]} */ ([])
  tester.on('pageerror', (e) => testerErrors.push(e.message))
  tester.on('console', (m) => m.type() === 'error' && testerErrors.push(m.text()))
  await tester.waitForURL(`**/widget/try/${web.id}`)
  await tester.getByRole('heading', { name: 'Test page for Shop chat' }).waitFor()
  const w = tester.frameLocator('[data-testid="relevo-frame"]')
  await tester.getByTestId('relevo-bubble').click()
  await w.getByLabel('Your name').fill(CUSTOMER)
  await w.getByTestId('widget-start').click()
  const composer = w.getByTestId('widget-composer')
  await composer.fill('Hello from the test page')
  await composer.press('Enter')
  await w.locator('[data-testid="widget-msg-contact"]').filter({ hasText: 'Hello from the test page' }).waitFor()
  await agent.page.locator(`[data-testid^="row-"][data-contact="${CUSTOMER}"]`).waitFor()
  await tester.close()

  // After a reload the secret is gone for good: identity verification reads "on".
  await page.reload()
  await table.getByRole('row').filter({ hasText: 'Shop chat' }).getByRole('button', { name: 'Edit Shop chat' }).click()
  const again = page.getByRole('dialog', { name: 'Web chat: Shop chat' })
  await again.getByRole('button', { name: 'Make a new secret' }).waitFor()
  assert.equal(await again.getByRole('textbox', { name: 'Identity secret' }).count(), 0)
  assert.ok(!(await page.content()).includes(secret), 'the secret is shown again')
  await again.getByRole('button', { name: 'Cancel' }).click()

  // An API channel: the inbound URL, and a token inside a ready request.
  await page.getByRole('button', { name: 'Add channel' }).click()
  await page.getByRole('dialog', { name: 'Add a channel' }).getByRole('button', { name: /^API/ }).click()
  const apiForm = page.getByRole('dialog', { name: 'New API channel' })
  await apiForm.getByLabel('Name').fill('CRM feed')
  await apiForm.getByLabel('Bot').selectOption({ label: 'Acme Sales' })
  await apiForm.getByRole('button', { name: 'Create channel' }).click()
  const apiSaved = page.getByRole('dialog', { name: 'API channel: CRM feed' })
  const inboundURL = await apiSaved.getByRole('textbox', { name: 'Inbound URL' }).inputValue()
  const crm = (await api.get('/api/v1/channels')).items.find((/** @type {any} */ c) => c.name === 'CRM feed')
  assert.equal(inboundURL, `${base}/api/v1/channels/${crm.id}/inbound`)
  await apiSaved.getByRole('button', { name: 'Create a token for this bot' }).click()
  const curl = await apiSaved.getByRole('textbox', { name: 'Example request' }).inputValue()
  const token = /Bearer (rlv_t_[\w-]+)/.exec(curl)?.[1]
  const body = /-d '(.*)'$/m.exec(curl)?.[1]
  assert.ok(token && body && curl.includes(`'${inboundURL}'`), curl)
  const res = await fetch(inboundURL, { method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' }, body })
  assert.equal(res.status, 200, await res.clone().text())
  const { conversation_id: convID } = await res.json()
  const conv = await api.get(`/api/v1/conversations/${convID}`)
  assert.equal(conv.channel_id, crm.id)
  await apiSaved.getByRole('button', { name: 'Cancel' }).click()

  // A supervisor reads the list and the forms: no secrets, no write buttons.
  const sup = await newPage(env.browser, base)
  await login(sup.page, USERS.supervisor, '/settings/channels')
  const supTable = sup.page.getByRole('table')
  await supTable.getByRole('row').filter({ hasText: 'Shop chat' }).waitFor()
  assert.equal(await sup.page.getByRole('button', { name: 'Add channel' }).count(), 0)
  await sup.page.getByText('Only admins change channels').waitFor()
  await supTable.getByRole('button', { name: 'View Shop chat' }).click()
  const supForm = sup.page.getByRole('dialog', { name: 'Web chat: Shop chat' })
  await supForm.getByText('On.', { exact: false }).first().waitFor()
  for (const name of ['Save', 'Make a new secret', 'Turn on identity verification']) {
    assert.equal(await supForm.getByRole('button', { name }).count(), 0, `a supervisor has ${name}`)
  }
  assert.ok(await supForm.getByLabel('Title', { exact: true }).isDisabled(), 'a supervisor can edit')
  const supChannels = await (await Api.login(base, USERS.supervisor)).get('/api/v1/channels')
  for (const c of supChannels.items) {
    for (const k of ['access_token', 'app_secret', 'verify_token', 'secret']) {
      if (c.config[k]) assert.equal(c.config[k], '********', `${c.name}: ${k} is read by a supervisor`)
    }
  }
  assert.ok(!(await sup.page.content()).includes(secret))

  assert.deepEqual(admin.errors.filter(expected), [], 'admin console errors')
  assert.deepEqual(testerErrors, [], 'test page errors')
  assert.deepEqual(agent.errors, [], 'agent console errors')
  assert.deepEqual(sup.errors, [], 'supervisor console errors')
})
