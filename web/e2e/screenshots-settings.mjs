// Takes the settings screenshots of docs/admin-guide.md from a demo server:
// `npm run screenshots:settings` (after make build) writes docs/img/*.png.
// The steps are the ones the settings tests take, so a renamed label fails
// here as loudly as there.
import { mkdir } from 'node:fs/promises'
import { createServer } from 'node:http'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer, launchBrowser, newPage, login, USERS } from './harness.mjs'

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'img')
await mkdir(out, { recursive: true })
const shot = (name) => join(out, name + '.png')

// A receiver for the external bot's test event, on this machine only.
const receiver = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json')
    res.end('{"ok":true}')
  })
})
await new Promise((res) => receiver.listen(0, '127.0.0.1', () => res(undefined)))
const receiverURL = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (receiver.address()).port}/relevo`

const browser = await launchBrowser()
const server = await startServer()
try {
  const { page } = await newPage(browser, server.url, { width: 1360, height: 900 })
  await login(page, USERS.admin, '/settings/channels')

  // A web chat channel: the form beside its live preview.
  const table = page.getByRole('table')
  await table.getByRole('row').filter({ hasText: 'Website chat' }).getByRole('button', { name: 'Edit Website chat' }).click()
  const web = page.getByRole('dialog', { name: 'Web chat: Website chat' })
  await web.getByRole('figure', { name: 'Preview' }).waitFor()
  await page.screenshot({ path: shot('settings-channel-web') })
  await web.getByRole('button', { name: 'Cancel' }).click()

  // The WhatsApp channel: what to paste into Meta's dashboard, and a check.
  await table.getByRole('row').filter({ hasText: 'WhatsApp (demo stand-in' }).getByRole('button').first().click()
  const wa = page.getByRole('dialog', { name: /WhatsApp channel/ })
  await wa.getByRole('textbox', { name: 'Callback URL' }).waitFor()
  await wa.getByRole('button', { name: 'Check connection' }).click()
  await wa.getByText(/Connected: /).waitFor()
  await page.screenshot({ path: shot('settings-whatsapp') })
  await page.keyboard.press('Escape')
  await wa.waitFor({ state: 'detached' })

  // The templates and who may send each.
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Templates' }).click()
  await page.getByRole('table').first().waitFor()
  await page.screenshot({ path: shot('settings-templates') })

  // The flow editor with a try in its simulator.
  await page.goto('/settings/bots')
  await page.getByRole('link', { name: 'Flow of Acme Support' }).click()
  const sim = page.getByRole('complementary', { name: 'Try it' })
  await sim.getByLabel('Message as the customer').fill('Hi there')
  await sim.getByRole('button', { name: 'Send' }).click()
  await sim.getByRole('button', { name: 'Opening hours' }).waitFor()
  await page.screenshot({ path: shot('settings-flow') })

  // The external bot's webhook: a test event and the delivery log.
  await page.goto('/settings/bots')
  await page.getByRole('link', { name: 'Webhook of Acme Sales' }).click()
  await page.getByLabel('Webhook URL').fill(receiverURL)
  await page.getByRole('button', { name: 'Save URL' }).click()
  await page.getByRole('button', { name: 'Send test event' }).click()
  await page.getByRole('table').getByText('200').first().waitFor()
  await page.screenshot({ path: shot('settings-webhook') })
} finally {
  await browser.close()
  await server.stop()
  receiver.close()
}
console.log('screenshots written to', out)
