// The desk's tools, in a real browser: a long queue scrolls virtually and
// pages in, search and filters narrow it, rows are marked unread and read;
// in a conversation the agent tags, attaches a file (uploaded with
// progress, shown inline), picks an emoji, writes an internal note, edits
// the contact, and opens the shortcuts help.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, goOnline, screenshot, Api, USERS } from './harness.mjs'

const N = 240
const env = serverAndBrowser({ sales: true })

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAEhgGAWHK0QAAAAABJRU5ErkJggg==', 'base64')

before(async () => {
  await env.ready
  const tokens = [env.sales.customer]
  for (let i = 0; i < 2; i++) {
    tokens.push(new Api(env.server.url, { token: (await env.sales.admin.post('/api/v1/tokens', { name: 'seed ' + i, bot_id: env.sales.bot.id })).token }))
  }
  let next = 0
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (;;) {
        const i = next++
        if (i >= N) return
        await tokens[i % tokens.length].post(`/api/v1/channels/${env.sales.channel.id}/inbound`, {
          contact: { external_id: `seed-${i}`, name: `Customer ${String(i).padStart(4, '0')}`, phone: `5511900${String(i).padStart(6, '0')}` },
          message: { id: `seed-m-${i}`, text: `Question number ${i} about invoice ${7000 + i}` },
        })
      }
    }),
  )
})

test('a long queue renders only what is in view and pages in on scroll; search and filters narrow it', async () => {
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.agent, `/bots/${env.sales.bot.id}`)
  const list = page.getByTestId('queue-list')
  await list.locator('[data-testid^="row-"]').first().waitFor()
  const rendered = await list.locator('[data-testid^="row-"]').count()
  assert.ok(rendered > 5 && rendered < 60, `rendered ${rendered} rows of 100 loaded`)
  assert.match(await page.getByText(/shown/).innerText(), /100 shown\+/)

  // Scrolling to the end loads the next page.
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight))
  await page.getByText('200 shown+', { exact: true }).waitFor()
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight))
  await page.getByText(`${N + 1} shown`, { exact: true }).waitFor() // the demo's own waiting conversation too
  await screenshot(page, 'desk-01-long-queue')

  // Full-text search.
  await page.getByTestId('search').fill('invoice 7042')
  await page.getByText('1 shown', { exact: true }).waitFor()
  assert.match(await list.innerText(), /Customer 0042/)
  await page.getByTestId('search').fill('')
  await page.getByText('100 shown+', { exact: true }).waitFor()

  // The contact filter is exact.
  await page.getByTestId('filters-toggle').click()
  await page.getByTestId('filters').getByLabel('Contact').fill('Customer 0007')
  await page.getByTestId('filters-apply').click()
  await page.getByText('1 shown', { exact: true }).waitFor()
  assert.match(await list.innerText(), /Customer 0007/)

  // Mark unread, then read, from the row's menu.
  const row = list.locator('[data-testid^="row-"]').first()
  await row.getByTestId('row-menu').click()
  const item = page.getByTestId('mark-read').or(page.getByTestId('mark-unread'))
  const wasUnread = (await item.getAttribute('data-testid')) === 'mark-read'
  await item.click()
  await row.getByTestId('row-menu').click()
  await page.getByTestId(wasUnread ? 'mark-unread' : 'mark-read').click()
  await row.getByTestId('row-menu').click()
  await page.getByTestId(wasUnread ? 'mark-read' : 'mark-unread').waitFor()
  await page.keyboard.press('Escape')
  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})

test('in a conversation: tags, an attachment with progress, emoji, an internal note, the contact, shortcuts', async () => {
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.agent, `/bots/${env.sales.bot.id}`)
  await goOnline(page)
  await page.getByTestId('filters-toggle').click()
  await page.getByTestId('filters').getByLabel('Contact').fill('Customer 0003')
  await page.getByTestId('filters-apply').click()
  await page.getByText('1 shown', { exact: true }).waitFor()
  await page.locator('[data-testid^="row-"]').first().locator('button.main').click()
  await page.getByText('Question number 3 about invoice 7003').waitFor()

  // The shortcuts help opens with "?" and closes with Escape.
  await page.getByTestId('timeline').click()
  await page.keyboard.press('?')
  await page.getByTestId('shortcuts').waitFor()
  await page.keyboard.press('Escape')
  await page.getByTestId('shortcuts').waitFor({ state: 'detached' })

  // "a" assigns.
  await page.keyboard.press('a')
  await page.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  await page.getByTestId('resolve').and(page.locator(':enabled')).waitFor()

  // Tag it.
  await page.getByTestId('tag-add').click()
  await page.getByTestId('tag-select').selectOption({ label: 'VIP' })
  await page.getByTestId('tags').getByText('VIP').waitFor()
  await page.locator('[data-testid="event-tag_added"]').waitFor()

  // Attach a file: uploaded at once, then sent with the text, shown inline.
  await page.getByTestId('file-input').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG })
  await page.getByTestId('upload').filter({ hasText: 'receipt.png' }).waitFor()
  await page.getByTestId('send').and(page.locator(':enabled')).waitFor()
  // An emoji from the picker lands in the text.
  await page.getByTestId('composer').fill('Here is your receipt ')
  await page.getByTestId('emoji').click()
  await page.getByTestId('emoji-picker').getByRole('button', { name: '👍' }).click()
  assert.equal(await page.getByTestId('composer').inputValue(), 'Here is your receipt 👍')
  await page.getByTestId('composer').press('Enter')
  const sent = page.locator('[data-testid="msg-agent"]').filter({ hasText: 'Here is your receipt 👍' })
  await sent.waitFor()
  await sent.locator('img[alt="receipt.png"]').waitFor()
  assert.ok(await sent.locator('img').evaluate((img) => img.complete && img.naturalWidth === 1), 'the image loads')

  // Ctrl+Enter breaks the line instead of sending.
  await page.getByTestId('composer').fill('line one')
  await page.getByTestId('composer').press('Control+Enter')
  await page.getByTestId('composer').type('line two')
  assert.equal(await page.getByTestId('composer').inputValue(), 'line one\nline two')

  // The draft survives a reload.
  await page.reload()
  await page.getByText('Question number 3 about invoice 7003').waitFor()
  assert.equal(await page.getByTestId('composer').inputValue(), 'line one\nline two')
  await page.getByTestId('composer').fill('')

  // An internal note is labelled and set apart.
  await page.getByTestId('mode-note').click()
  await page.getByTestId('composer').fill('Customer prefers WhatsApp follow-ups')
  await page.getByTestId('composer').press('Enter')
  const note = page.getByTestId('note').filter({ hasText: 'Customer prefers WhatsApp follow-ups' })
  await note.waitFor()
  assert.match(await note.innerText(), /INTERNAL NOTE|Internal note/i)

  // Edit the contact: an attribute saved for everyone.
  const panel = page.getByTestId('contact-panel')
  await panel.getByTestId('contact-edit').click()
  await panel.getByTestId('attr-add').click()
  await panel.getByTestId('attr-key').last().fill('plan')
  await panel.getByTestId('attr-value').last().fill('Gold')
  await panel.getByTestId('contact-save').click()
  await panel.getByTestId('contact-attr').filter({ hasText: 'Gold' }).waitFor()
  const contactID = await page.evaluate(() => location.pathname.split('/').pop())
  const conv = await env.sales.customer.get(`/api/v1/conversations/${contactID}`)
  const contact = await env.sales.customer.get(`/api/v1/contacts/${conv.contact.id}`)
  assert.equal(contact.attributes.plan, 'Gold')
  await screenshot(page, 'desk-02-conversation-tools')

  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})
