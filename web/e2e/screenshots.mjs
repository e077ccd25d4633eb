// Takes the screenshots of the README and docs/agent-guide.md from a demo
// server with a realistic morning on it: `npm run screenshots` (after make
// build) writes docs/img/*.png.
import { mkdir } from 'node:fs/promises'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer, launchBrowser, newPage, login, salesSetup, inbound, Api, USERS } from './harness.mjs'

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'img')
await mkdir(out, { recursive: true })
const shot = (name) => join(out, name + '.png')

const server = await startServer()
const browser = await launchBrowser()
try {
  const { admin, bot, channel, customer } = await salesSetup(server.url)
  const alice = await Api.login(server.url, USERS.agent)
  await alice.call('PUT', '/api/v1/me/status', { status: 'online' })
  const bruno = await Api.login(server.url, USERS.agent2)
  await bruno.call('PUT', '/api/v1/me/status', { status: 'online' })

  // The open conversation: a damaged order, handled by Alice.
  const r = await inbound(customer, channel.id, 'rafael', 'Rafael Costa', 'r1', 'Hello, my order #4411 arrived damaged: the box was crushed and the lamp is broken.')
  const conv = r.conversation_id
  await customer.call('PATCH', `/api/v1/contacts/${(await customer.get(`/api/v1/conversations/${conv}`)).contact.id}`, {
    phone: '5551998761234',
    email: 'rafael.costa@example.com',
    attributes: { plan: 'Business', city: 'Porto Alegre', order: '#4411' },
  })
  await alice.post(`/api/v1/conversations/${conv}/assign`)
  await new Promise((res) => setTimeout(res, 300))
  await alice.post(`/api/v1/conversations/${conv}/messages`, { text: "Hi Rafael, I'm sorry to hear that. Could you send me a photo of the lamp?", client_id: 's1' })

  // A photo from the customer, drawn in the browser.
  const painter = await newPage(browser, server.url, { width: 480, height: 360 })
  await painter.page.setContent(`<body style="margin:0"><div id="p" style="width:480px;height:360px;background:linear-gradient(160deg,#e9e4dc,#cfc6b8);position:relative;font-family:sans-serif">
    <div style="position:absolute;left:120px;top:150px;width:240px;height:150px;background:#b08a5a;transform:skew(-6deg) rotate(-4deg);border-radius:6px;box-shadow:0 12px 24px rgba(0,0,0,.25)"></div>
    <div style="position:absolute;left:200px;top:60px;width:90px;height:110px;background:#f3efe7;border-radius:50% 50% 12px 12px;transform:rotate(18deg);box-shadow:0 6px 14px rgba(0,0,0,.2)"></div>
    <div style="position:absolute;left:236px;top:160px;width:12px;height:70px;background:#6b6259;transform:rotate(18deg)"></div></div></body>`)
  const photo = await painter.page.locator('#p').screenshot()
  await painter.context.close()
  const form = new FormData()
  form.append('file', new Blob([photo], { type: 'image/png' }), 'lamp.png')
  const up = await (await fetch(server.url + '/api/v1/uploads', { method: 'POST', headers: { Authorization: 'Bearer ' + customer.token }, body: form })).json()
  await customer.post(`/api/v1/channels/${channel.id}/inbound`, { message: { id: 'r2', text: 'Sure, here it is.', attachments: [up.id] }, contact: { external_id: 'rafael', name: 'Rafael Costa' } })
  await alice.post(`/api/v1/conversations/${conv}/notes`, { text: 'Courier damage: second case this week with this carrier. Replacement approved.' })
  await alice.post(`/api/v1/conversations/${conv}/messages`, { text: "Thank you. I've sent a replacement: it ships tomorrow with tracking code BR-5521, and you'll get an email shortly.", client_id: 's2' })
  await inbound(customer, channel.id, 'rafael', 'Rafael Costa', 'r3', "That's great, thank you so much!")
  const tags = (await alice.get('/api/v1/tags')).items
  await alice.call('PUT', `/api/v1/conversations/${conv}/tags/${tags.find((t) => t.name === 'Follow-up').id}`)
  await alice.post(`/api/v1/contacts/${(await alice.get(`/api/v1/conversations/${conv}`)).contact.id}/notes`, { text: 'Prefers WhatsApp over email.' })

  // The queue: customers waiting.
  const waiting = [
    ['sofia', 'Sofia Martins', 'Hi! Can I upgrade my plan in the middle of the month?'],
    ['daniel', 'Daniel Okafor', "The invoice PDF won't open on my phone"],
    ['emma', 'Emma Schneider', 'Do you offer a discount for non-profits?'],
    ['hannah', 'Hannah Kim', "I'd like to change the delivery address for order 5120"],
    ['mateo', 'Mateo García', '¿Pueden llamarme mañana por la mañana?'],
    ['amara', 'Amara Nwosu', 'Is the warranty valid outside the EU?'],
  ]
  const ids = {}
  for (const [ext, name, text] of waiting) {
    ids[ext] = (await inbound(customer, channel.id, ext, name, ext + '-1', text)).conversation_id
    await new Promise((res) => setTimeout(res, 150))
  }

  // Alice's console.
  const a = await newPage(browser, server.url)
  await login(a.page, USERS.agent)
  await a.page.screenshot({ path: shot('dashboard') })
  await a.page.goto(`/bots/${bot.id}/${conv}`)
  await a.page.getByText("That's great, thank you so much!").waitFor()
  await a.page.locator('img[alt="lamp.png"]').waitFor()
  await a.page.waitForTimeout(400)
  await a.page.mouse.move(700, 500)
  await a.page.screenshot({ path: shot('console') })

  // Status menu with the pause reasons.
  await a.page.getByTestId('status-switch').click()
  await a.page.getByTestId('status-paused').click()
  await a.page.getByTestId('pause-reason').waitFor()
  await a.page.screenshot({ path: shot('status'), clip: { x: 840, y: 0, width: 600, height: 300 } })
  await a.page.keyboard.press('Escape')
  await a.page.getByTestId('status-switch').click()

  // Queue with filters open.
  await a.page.getByTestId('filters-toggle').click()
  await a.page.getByTestId('filters').waitFor()
  await a.page.screenshot({ path: shot('queue'), clip: { x: 0, y: 0, width: 350, height: 900 } })
  await a.page.getByTestId('filters-toggle').click()

  // Composer with an emoji picker and an uploaded file.
  await a.page.getByTestId('file-input').setInputFiles({ name: 'replacement-label.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%relevo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') })
  await a.page.getByTestId('upload').filter({ hasText: 'replacement-label.pdf' }).waitFor()
  await a.page.getByTestId('composer').fill("Here is the return label for the broken lamp ")
  await a.page.getByTestId('emoji').click()
  await a.page.getByTestId('emoji-picker').waitFor()
  await a.page.screenshot({ path: shot('composer'), clip: { x: 350, y: 480, width: 790, height: 420 } })
  await a.page.keyboard.press('Escape')
  await a.page.getByTestId('composer').fill('')
  for (const b of await a.page.locator('[data-testid=upload] button').all()) await b.click()

  // Contact panel, editing.
  await a.page.getByTestId('contact-edit').click()
  await a.page.getByTestId('contact-panel').screenshot({ path: shot('contact') })
  await a.page.getByTestId('contact-panel').getByRole('button', { name: 'Cancel' }).click()

  // Transfer dialog.
  await a.page.getByTestId('transfer').click()
  await a.page.getByTestId('transfer-agent').locator('option', { hasText: 'Bruno Agent' }).waitFor({ state: 'attached' })
  await a.page.getByTestId('transfer-agent').selectOption({ label: 'Bruno Agent' })
  await a.page.getByTestId('transfer-reason').selectOption({ label: 'Sales inquiry' })
  await a.page.getByTestId('transfer-note').fill('Wants to upgrade to the Business Plus plan after the replacement arrives.')
  await a.page.locator('dialog').screenshot({ path: shot('transfer') })
  await a.page.keyboard.press('Escape')

  // A waiting conversation: Assign to me.
  await a.page.goto(`/bots/${bot.id}/${ids.sofia}`)
  await a.page.getByTestId('assign').waitFor()
  await a.page.waitForTimeout(300)
  await a.page.screenshot({ path: shot('assign') })

  // Shortcuts help.
  await a.page.getByTestId('timeline').click()
  await a.page.keyboard.press('?')
  await a.page.locator('dialog').screenshot({ path: shot('shortcuts') })
  await a.page.keyboard.press('Escape')

  // Resolve a conversation.
  await a.page.getByTestId('assign').click()
  await a.page.getByTestId('resolve').and(a.page.locator(':enabled')).waitFor()
  await a.page.getByTestId('composer').fill('Yes: the upgrade applies at once and the difference is prorated on your next invoice.')
  await a.page.getByTestId('composer').press('Enter')
  await inbound(customer, channel.id, 'sofia', 'Sofia Martins', 'sofia-2', 'Perfect, thanks!')
  await a.page.getByText('Perfect, thanks!').waitFor()
  await a.page.getByTestId('resolve').click()
  await a.page.locator('[data-testid="event-resolved"]').waitFor()
  await a.page.waitForTimeout(300)
  await a.page.getByTestId('conversation').screenshot({ path: shot('resolve') })

  // The processing lock, made visible: a bot whose webhook does not answer
  // keeps the hand-over from completing, so the lock runs its course.
  await admin.call('PATCH', `/api/v1/bots/${bot.id}`, { webhook_url: 'http://127.0.0.1:9/unreachable' })
  await a.page.goto(`/bots/${bot.id}/${ids.daniel}`)
  await a.page.getByTestId('assign').click()
  await a.page.getByTestId('lock').waitFor()
  await a.page.waitForTimeout(1200)
  await a.page.getByTestId('conversation').screenshot({ path: shot('lock') })
  await admin.call('PATCH', `/api/v1/bots/${bot.id}`, { webhook_url: '' })
  await a.context.close()

  // The auditor, on a conversation the bot is handling.
  const o = await newPage(browser, server.url)
  await login(o.page, USERS.auditor)
  await o.page.getByTestId('bot-Acme Support').click()
  await o.page.getByTestId('tab-bot').click()
  await o.page.locator('[data-testid^="row-"][data-contact="Aiko Tanaka"] button.main').click()
  await o.page.getByTestId('take-over').waitFor()
  await o.page.waitForTimeout(300)
  await o.page.screenshot({ path: shot('takeover') })
  await o.context.close()
  console.log('screenshots written to', out)
} finally {
  await browser.close()
  await server.stop()
}
