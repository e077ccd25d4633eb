// What the console does with the browser's media and attention: an image
// pasted and a file dropped into the composer (real ClipboardEvent and
// DragEvent carrying a DataTransfer built in the page); dictation, hidden
// where the browser has no speech recognition and typing what a stand-in
// recogniser hears where it has one (the real service is online); a
// handover raising a browser notification and the chime while the console
// is in the background, and no chime once the sound is turned off.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, goOnline, screenshot, inbound, USERS, recordAlerts, toBackground } from './harness.mjs'

const env = serverAndBrowser({ fakeMedia: true, sales: true })

/**
 * takeNew has a customer write to the Sales desk and the agent on page
 * assign it; it returns the conversation's console path.
 */
async function takeNew(page, name, text) {
  await inbound(env.sales.customer, env.sales.channel.id, 'ext-' + name.replace(/\W/g, ''), name, 'in-' + Date.now(), text)
  const row = page.locator(`[data-testid^="row-"][data-contact="${name}"]`)
  const id = (await row.getAttribute('data-testid')).slice('row-'.length)
  await row.locator('button.main').click()
  await page.getByText(text).waitFor()
  await page.getByTestId('assign').click()
  await page.getByTestId('transfer').and(page.locator(':enabled')).waitFor()
  return `/bots/${env.sales.bot.id}/${id}`
}

test('an image pasted and a file dropped into the composer are uploaded and sent', async () => {
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.agent, `/bots/${env.sales.bot.id}`)
  await goOnline(page)
  await takeNew(page, 'Pam Paste', 'My screen shows an error')

  // A screenshot pasted into the text box.
  await page.getByRole('textbox', { name: 'Write to the customer…' }).evaluate(async (box) => {
    const canvas = document.createElement('canvas')
    canvas.width = canvas.height = 4
    canvas.getContext('2d').fillRect(0, 0, 4, 4)
    const png = await new Promise((ok) => canvas.toBlob(ok, 'image/png'))
    const dt = new DataTransfer()
    dt.items.add(new File([png], 'screenshot.png', { type: 'image/png' }))
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
  })
  const files = page.getByRole('list', { name: 'Attachments' })
  await files.getByText('screenshot.png').waitFor()

  // A file dragged over the conversation shows where to drop it; dropped,
  // it joins the screenshot.
  const pane = page.getByTestId('conversation')
  const drag = await page.evaluateHandle(() => {
    const dt = new DataTransfer()
    dt.items.add(new File(['order 4411, charged twice'], 'order-4411.txt', { type: 'text/plain' }))
    return dt
  })
  await pane.dispatchEvent('dragover', { dataTransfer: drag })
  await page.getByText('Drop files to attach them').waitFor()
  await pane.dispatchEvent('drop', { dataTransfer: drag })
  await page.getByText('Drop files to attach them').waitFor({ state: 'detached' })
  await files.getByText('order-4411.txt').waitFor()
  await page.getByRole('progressbar').waitFor({ state: 'detached' })
  await screenshot(page, 'media-01-pasted-and-dropped')

  await page.getByRole('textbox', { name: 'Write to the customer…' }).fill('Both files attached')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  const sent = page.locator('[data-testid="msg-agent"]').filter({ hasText: 'Both files attached' })
  await sent.getByRole('img', { name: 'screenshot.png' }).waitFor()
  await sent.getByRole('link', { name: /order-4411\.txt/ }).waitFor()
  assert.ok(await sent.getByRole('img', { name: 'screenshot.png' }).evaluate((img) => img.complete && img.naturalWidth === 4), 'the pasted image loads')
  assert.deepEqual(errors, [])
  await context.close()
})

test('dictation: hidden without speech recognition; with it, what is heard lands in the composer', async () => {
  const agent = await newPage(env.browser, env.server.url)
  await login(agent.page, USERS.agent, `/bots/${env.sales.bot.id}`)
  await goOnline(agent.page)
  const path = await takeNew(agent.page, 'Dora Dictation', 'Can I get a refund?')
  await agent.context.close()

  // A browser without speech recognition: no dictation button.
  const none = await newPage(env.browser, env.server.url)
  await none.context.addInitScript(() => {
    const w = /** @type {any} */ (window)
    delete w.SpeechRecognition
    delete w.webkitSpeechRecognition
  })
  await login(none.page, USERS.agent, path)
  await none.page.getByRole('button', { name: 'Record a voice message' }).waitFor()
  assert.equal(await none.page.getByRole('button', { name: 'Dictate' }).count(), 0, 'no dictation without recognition')
  assert.deepEqual(none.errors, [])
  await none.context.close()

  // A browser with it: a stand-in recogniser the test speaks through.
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await context.addInitScript(() => {
    const w = /** @type {any} */ (window)
    const started = []
    w.SpeechRecognition = undefined
    w.webkitSpeechRecognition = class {
      /** @type {null | (() => void)} */
      onend = null
      /** @type {null | ((e: object) => void)} */
      onresult = null
      start() {
        started.push(this)
      }
      stop() {
        this.onend?.()
      }
    }
    w.say = (text) => {
      const r = started.at(-1)
      const result = Object.assign([{ transcript: text }], { isFinal: true })
      r.onresult?.({ resultIndex: 0, results: [result] })
      return { lang: r.lang, continuous: r.continuous }
    }
  })
  await login(page, USERS.agent, path)
  const box = page.getByRole('textbox', { name: 'Write to the customer…' })
  await box.fill('Hello.')
  await page.getByRole('button', { name: 'Dictate' }).click()
  await page.getByRole('button', { name: 'Stop dictation', pressed: true }).waitFor()
  const rec = await page.evaluate('window.say(" I can refund that today ")')
  assert.deepEqual(rec, { lang: 'en', continuous: true })
  assert.equal(await box.inputValue(), 'Hello. I can refund that today')
  await page.getByRole('button', { name: 'Stop dictation' }).click()
  await page.getByRole('button', { name: 'Dictate', pressed: false }).waitFor()
  assert.deepEqual(errors, [])
  await context.close()
})

test('a handover in the background raises a notification and the chime; sound off, no chime', async () => {
  const { page, errors, context } = await newPage(env.browser, env.server.url)
  await recordAlerts(context, env.server.url)
  await login(page, USERS.agent, `/bots/${env.sales.bot.id}`)
  await goOnline(page) // a click: the page may now play sound
  assert.equal(await page.getByRole('button', { name: 'Enable notifications' }).count(), 0, 'permission is already given')
  await page.getByRole('button', { name: 'Turn sound off' }).waitFor()

  // The agent switches to another tab: the console is in the background.
  const other = await toBackground(context, page)

  await inbound(env.sales.customer, env.sales.channel.id, 'ext-nora', 'Nora Notify', 'in-nora-1', 'Is anyone there?')
  // A function, not a string: the console's CSP forbids eval, which a
  // string predicate needs once Playwright polls it in the page.
  await page.waitForFunction(() => /** @type {any} */ (window).notes.length === 1)
  const note = await page.evaluate('window.notes[0]')
  assert.equal(note.title, 'Nora Notify', 'the customer')
  assert.equal(note.body, 'Acme Sales', 'the desk')
  assert.match(note.tag, /^handover-/)
  await page.waitForFunction(() => /** @type {any} */ (window).tones >= 2)
  assert.equal(await page.title(), '(1) Relevo')

  // Back in front, the sound goes off; the next handover notifies in silence.
  await page.bringToFront()
  await page.waitForFunction(() => document.hasFocus())
  await page.getByRole('button', { name: 'Turn sound off' }).click()
  await page.getByRole('button', { name: 'Turn sound on', pressed: false }).waitFor()
  const tones = await page.evaluate('window.tones')
  await other.bringToFront()
  await page.waitForFunction(() => !document.hasFocus())
  await inbound(env.sales.customer, env.sales.channel.id, 'ext-otto', 'Otto Quiet', 'in-otto-1', 'Hello?')
  await page.waitForFunction(() => /** @type {any} */ (window).notes.length === 2)
  assert.equal((await page.evaluate('window.notes[1]')).title, 'Otto Quiet')
  assert.equal(await page.evaluate('window.tones'), tones, 'no chime with the sound off')
  assert.deepEqual(errors, [])
  await context.close()
})
