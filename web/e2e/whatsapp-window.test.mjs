// A WhatsApp conversation whose 24-hour window has closed, against a fake
// Graph API: the auditor takes it, sees the window-closed banner and a
// template picker offering only the auditor's templates, fills the
// parameter, checks the preview and sends; the fake Graph gets a template
// message in Meta's format and the timeline shows it sent. Then the
// customer writes again, the window opens live, and free text goes out.
// (The auditor taking over a bot-phase conversation is auditor.test.mjs.)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, screenshot, Api, USERS, waitFor } from './harness.mjs'
import { whatsappText } from './whatsapp.mjs'

const PHONE_NUMBER_ID = '106540352242922'
const WABA_ID = '102290129340398'
const APP_SECRET = 'e2e-app-secret-0123456789abcdef'
const CUSTOMER_WA_ID = '16505551234'
const CUSTOMER_NAME = 'Sheena Nelson'

const env = serverAndBrowser({ graph: true })

/** webhook posts a customer text in Meta's format, signed with the app secret. */
async function webhook(base, channelID, wamid, text, at) {
  const r = await whatsappText(base, channelID, {
    appSecret: APP_SECRET, wabaID: WABA_ID, phoneNumberID: PHONE_NUMBER_ID, displayPhone: '15550783881',
    waID: CUSTOMER_WA_ID, name: CUSTOMER_NAME, wamid, text, at,
  })
  assert.equal(r.status, 200, `webhook: ${r.status} ${await r.text()}`)
}

test('WhatsApp past 24 h: the auditor sends one of its templates, then free text once the customer writes', async () => {
  // The admin sets up a desk without a flow, its WhatsApp number and two
  // templates: one for auditors, one for agents.
  const admin = await Api.login(env.server.url, USERS.admin)
  const users = (await admin.get('/api/v1/users')).items
  const auditor = users.find((u) => u.email === USERS.auditor)
  const agent = users.find((u) => u.email === USERS.agent)
  assert.ok(auditor && agent, 'the demo auditor and agent exist')
  const bot = await admin.post('/api/v1/bots', { name: 'WhatsApp desk', member_ids: [auditor.id, agent.id] })
  const channel = await admin.post('/api/v1/channels', {
    bot_id: bot.id,
    type: 'whatsapp',
    name: 'WhatsApp +1 555 078 3881',
    config: {
      phone_number_id: PHONE_NUMBER_ID,
      waba_id: WABA_ID,
      access_token: 'EAAG-e2e-token',
      app_secret: APP_SECRET,
      verify_token: 'e2e-verify',
      graph_url: env.graph.url,
    },
  })
  await admin.post('/api/v1/templates', {
    channel_id: channel.id, name: 'audit_follow_up', language: 'en_US', category: 'UTILITY',
    body: 'Hello {{1}}, this is the quality team following up on your request.', roles: ['auditor'],
  })
  await admin.post('/api/v1/templates', {
    channel_id: channel.id, name: 'agent_reminder', language: 'en_US', category: 'UTILITY',
    body: 'Hi {{1}}, your agent is waiting for your answer.', roles: ['agent'],
  })

  // Both exist and are offered by role (so the picker's filtering below is
  // the role's, not a template that failed to be created).
  const agentApi = await Api.login(env.server.url, USERS.agent)
  const forAgent = (await agentApi.get(`/api/v1/templates?channel_id=${channel.id}`)).items.map((x) => x.name)
  assert.deepEqual(forAgent, ['agent_reminder'])

  // The customer wrote 25 hours ago (a late delivery): the window is closed.
  await webhook(env.server.url, channel.id, 'wamid.E2E-OLD-1', 'Is my order on its way?', Date.now() - 25 * 3600_000)

  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.auditor)
  await page.getByTestId('bot-WhatsApp desk').click()
  await page.getByTestId('tab-handovers').click()
  const row = page.locator(`[data-testid^="row-"][data-contact="${CUSTOMER_NAME}"]`)
  await row.waitFor()
  await row.locator('button.main').click()
  await page.getByText('Is my order on its way?').waitFor()

  // Take it.
  await page.getByTestId('assign').click()
  await page.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  await page.locator('[data-testid="event-assigned"]').waitFor()

  // The banner explains the closed window; free text is not offered.
  const banner = page.getByTestId('window-closed')
  await banner.waitFor()
  assert.match(await banner.innerText(), /24/)
  assert.equal(await page.getByTestId('mode-reply').isDisabled(), true, 'free text is not offered while the window is closed')
  await screenshot(page, 'whatsapp-01-window-closed')

  // Only the auditor's template is offered.
  const select = page.getByTestId('template-select')
  await select.and(page.locator(':enabled')).waitFor()
  const options = (await select.locator('option').allInnerTexts()).map((s) => s.trim())
  assert.equal(options.filter((o) => /audit_follow_up/.test(o)).length, 1, `the auditor's template is offered: ${options}`)
  assert.ok(!options.some((o) => /agent_reminder/.test(o)), `the agent's template is not offered: ${options}`)
  assert.equal(options.length, 2, `a placeholder and one template: ${options}`)

  await select.selectOption({ label: 'audit_follow_up · en_US' })
  const param = page.getByTestId('template-param-1')
  await param.fill('Sheena')
  assert.equal(
    (await page.getByTestId('template-preview').innerText()).trim(),
    'Hello Sheena, this is the quality team following up on your request.',
  )
  await screenshot(page, 'whatsapp-02-template-picker')
  await page.getByTestId('template-send').and(page.locator(':enabled')).click()

  // The fake Graph receives the template in Meta's format.
  const sent = await waitFor(() => env.graph.messages.find((m) => m.body.type === 'template'), 'the template send')
  assert.equal(sent.auth, 'Bearer EAAG-e2e-token')
  assert.equal(sent.body.messaging_product, 'whatsapp')
  assert.equal(sent.body.to, CUSTOMER_WA_ID)
  assert.equal(sent.body.template.name, 'audit_follow_up')
  assert.equal(sent.body.template.language.code, 'en_US')
  assert.deepEqual(sent.body.template.components, [{ type: 'body', parameters: [{ type: 'text', text: 'Sheena' }] }])

  // The timeline shows it, marked as a template, with a sent tick.
  const tplMsg = page.locator('[data-testid="msg-agent"]').filter({ hasText: 'this is the quality team' })
  await tplMsg.waitFor()
  assert.match(await tplMsg.innerText(), /Template/)
  await tplMsg.locator('.ticks[data-status="sent"]').waitFor()
  assert.equal(await tplMsg.getAttribute('data-status'), 'sent')
  // A template does not reopen the window.
  await banner.waitFor()
  await screenshot(page, 'whatsapp-03-template-sent')

  // The customer answers now: the window opens without a reload.
  await webhook(env.server.url, channel.id, 'wamid.E2E-NEW-1', 'Yes, still waiting for it.', Date.now())
  await page.getByText('Yes, still waiting for it.').waitFor()
  await banner.waitFor({ state: 'detached' })
  await page.getByTestId('mode-reply').and(page.locator(':enabled')).waitFor()

  const composer = page.getByTestId('composer')
  await composer.fill('Thanks Sheena, it ships today.')
  await page.getByTestId('send').and(page.locator(':enabled')).click()
  const text = await waitFor(() => env.graph.messages.find((m) => m.body.type === 'text' && /ships today/.test(m.body.text?.body ?? '')), 'the text send')
  assert.equal(text.body.to, CUSTOMER_WA_ID)
  assert.equal(text.body.text.body, 'Thanks Sheena, it ships today.')
  const textMsg = page.locator('[data-testid="msg-agent"]').filter({ hasText: 'it ships today' })
  await textMsg.locator('.ticks[data-status="sent"]').waitFor()
  await screenshot(page, 'whatsapp-04-window-open')

  assert.deepEqual(env.graph.others, [], 'the fake Graph got only message sends')
  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})
