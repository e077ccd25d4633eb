// Browser-test harness: runs the real server binary (built beforehand by
// `make e2e`; this builds nothing), drives Debian's Chromium through
// playwright-core, and talks to the API the way an integration would.
import { spawn } from 'node:child_process'
import { mkdtemp, mkdir, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { before, after } from 'node:test'
import { fakeGraph } from './whatsapp.mjs'

const here = dirname(fileURLToPath(import.meta.url))
export const BINARY = process.env.RELEVO_BIN ?? join(here, '..', '..', 'bin', 'relevo')
export const ARTIFACTS = join(here, 'artifacts')
export const PASSWORD = 'relevo-demo'
export const USERS = {
  admin: 'admin@demo.relevo',
  supervisor: 'supervisor@demo.relevo',
  agent: 'agent@demo.relevo',
  agent2: 'agent2@demo.relevo',
  auditor: 'auditor@demo.relevo',
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.unref()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address())
      s.close(() => resolve(port))
    })
  })
}

/**
 * startServer runs `relevo serve --demo` on a free port with a fresh data
 * folder and waits for /readyz; with empty, a first start instead: no demo
 * and no RELEVO_ADMIN_EMAIL/PASSWORD, so the console shows its setup page. restart() stops and starts it again on the
 * same port and data (clients see their sockets drop); stop() ends it and
 * removes the folder.
 */
export async function startServer({ empty = false, extraArgs = /** @type {string[]} */ ([]) } = {}) {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run make build (make e2e builds first)`)
  const port = await freePort()
  const data = await mkdtemp(join(tmpdir(), 'relevo-e2e-'))
  const url = `http://127.0.0.1:${port}`
  const env = { ...process.env }
  delete env.RELEVO_DATABASE_URL // the browser tests use the embedded default
  if (empty) {
    delete env.RELEVO_ADMIN_EMAIL
    delete env.RELEVO_ADMIN_PASSWORD
    delete env.RELEVO_DEMO
  }
  const args = ['serve', ...(empty ? [] : ['--demo']), '--addr', `127.0.0.1:${port}`, '--data', data, ...extraArgs]
  let log = ''
  let proc, exited

  async function run() {
    proc = spawn(BINARY, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    proc.stdout.on('data', (d) => (log += d))
    proc.stderr.on('data', (d) => (log += d))
    exited = new Promise((resolve) => proc.on('exit', resolve))
    const deadline = Date.now() + 30_000
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`relevo exited with ${proc.exitCode}:\n${log}`)
      try {
        const r = await fetch(url + '/readyz')
        if (r.ok) return
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        proc.kill('SIGKILL')
        throw new Error(`relevo did not become ready in 30 s:\n${log}`)
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  async function halt() {
    proc.kill('SIGTERM')
    const t = setTimeout(() => proc.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(t)
  }

  await run()
  return {
    url,
    log: () => log,
    async restart() {
      await halt()
      await run()
    },
    async stop() {
      await halt()
      await rm(data, { recursive: true, force: true })
    },
  }
}

/**
 * launchBrowser starts headless Chromium (a fresh profile every time).
 * fakeMedia gives it a fake microphone and camera that are granted without
 * asking (Chromium's test devices: a beeping tone), for voice recording.
 */
export function launchBrowser({ fakeMedia = false } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(fakeMedia ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] : []),
    ],
  })
}

/**
 * newPage opens a browser context (its own cookies: one person) and
 * collects console errors and uncaught exceptions, which fail the test.
 * timezoneId (an IANA zone) sets the browser's time zone.
 */
export async function newPage(browser, baseURL, { locale = 'en-US', width = 1440, height = 900, timezoneId = undefined } = {}) {
  const context = await browser.newContext({ baseURL, locale, timezoneId, viewport: { width, height } })
  const page = await context.newPage()
  const errors = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`))
  page.setDefaultTimeout(15_000)
  return { context, page, errors }
}

/** login signs in through the form and waits to leave the login page. */
export async function login(page, email, next) {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login')
  await page.locator('input[name=email]').fill(email)
  await page.locator('input[name=password]').fill(PASSWORD)
  await page.locator('button[type=submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

/** goOnline uses the status switch. */
export async function goOnline(page) {
  await page.getByTestId('status-switch').click()
  await page.getByTestId('status-online').click()
  await page.getByTestId('status-switch').filter({ hasText: /online/i }).waitFor()
}

export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: join(ARTIFACTS, name + '.png') })
}

/** Api is a small JSON client: a cookie session (login) or a bearer token. */
export class Api {
  /** @param {string} base @param {{ token?: string, cookie?: string }} [auth] */
  constructor(base, { token, cookie } = {}) {
    this.base = base
    this.token = token
    this.cookie = cookie
  }

  static async login(base, email) {
    const r = await fetch(base + '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    })
    if (!r.ok) throw new Error(`login ${email}: ${r.status} ${await r.text()}`)
    const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    return new Api(base, { cookie })
  }

  async call(method, path, body, { retries = 20 } = {}) {
    /** @type {Record<string, string>} */
    const headers = {}
    if (this.token) headers.Authorization = 'Bearer ' + this.token
    if (this.cookie) headers.Cookie = this.cookie
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    for (let i = 0; ; i++) {
      const r = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
      if (r.status === 429 && i < retries) {
        await new Promise((res) => setTimeout(res, 1000 * (Number(r.headers.get('Retry-After')) || 1)))
        continue
      }
      const text = await r.text()
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`)
      return text ? JSON.parse(text) : undefined
    }
  }

  get(path) {
    return this.call('GET', path)
  }
  post(path, body) {
    return this.call('POST', path, body ?? {})
  }
}

/**
 * salesSetup finds the demo's "Acme Sales" bot (no flow: new conversations
 * go straight to the queue) and its API channel, and makes a bot token.
 */
export function salesSetup(base) {
  return botSetup(base, 'Acme Sales')
}

/**
 * botSetup finds a demo bot by name and its API channel, and makes a bot
 * token: the admin's Api, the bot, the channel and the customer (an Api
 * with the token, for inbound).
 * @param {string} base @param {string} name
 */
export async function botSetup(base, name) {
  const admin = await Api.login(base, USERS.admin)
  const { bot, channel } = await demoBot(admin, name, 'api')
  const tok = await admin.post('/api/v1/tokens', { name: 'e2e customer', bot_id: bot.id })
  return { admin, bot, channel, customer: new Api(base, { token: tok.token }) }
}

/** inbound sends a customer message through the API channel. */
export function inbound(customer, channelID, externalID, name, messageID, text) {
  return customer.post(`/api/v1/channels/${channelID}/inbound`, {
    contact: { external_id: externalID, name },
    message: { id: messageID, text },
  })
}

/**
 * demoBot finds one of the demo's bots by name and its channel of a type
 * (web, api, whatsapp), as api (an admin's, say) sees them.
 * @param {Api} api @param {string} name @param {string} type
 */
export async function demoBot(api, name, type) {
  const bot = (await api.get('/api/v1/bots')).items.find((b) => b.name === name)
  const channel = (await api.get('/api/v1/channels')).items.find((c) => c.bot_id === bot.id && c.type === type)
  return { bot, channel }
}

/**
 * openWidget goes to the demo shop page and waits for the widget's panel
 * to have loaded (still closed); w is its frame, bubble the button that
 * opens and closes it.
 * @param {import('playwright-core').Page} page
 */
export async function openWidget(page) {
  await page.goto('/demo')
  const w = page.frameLocator('[data-testid="relevo-frame"]')
  await w.getByTestId('widget-prechat').waitFor({ state: 'attached' })
  return { w, bubble: page.getByTestId('relevo-bubble') }
}

/**
 * widgetAsksForPerson is a customer on a page of their own: the widget
 * opened, the pre-chat form filled with name, and "human" (a handover
 * keyword) sent. The caller waits for the notice it expects.
 * @param {import('playwright-core').Browser} browser @param {string} baseURL @param {string} name
 */
export async function widgetAsksForPerson(browser, baseURL, name) {
  const c = await newPage(browser, baseURL)
  const { w, bubble } = await openWidget(c.page)
  await bubble.click()
  await w.getByLabel('Your name').fill(name)
  await w.getByTestId('widget-start').click()
  const composer = w.getByTestId('widget-composer')
  await composer.fill('human')
  await composer.press('Enter')
  return { ...c, w, composer }
}

/**
 * agentOnline opens a page for the agent with that email, logs in and goes
 * online: a person at the desk.
 */
export async function agentOnline(browser, baseURL, email) {
  const p = await newPage(browser, baseURL)
  await login(p.page, email)
  await goOnline(p.page)
  return p
}

/** waitFor polls until fn returns (or resolves to) something truthy. */
export async function waitFor(fn, what, timeout = 20_000) {
  const deadline = Date.now() + timeout
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * serverAndBrowser registers the usual before/after pair of a test file: a
 * fresh demo server and a headless Chromium, both stopped afterwards.
 * fakeMedia gives Chromium its fake microphone; graph starts a fake
 * WhatsApp Graph API first (env.graph, for a channel's graph_url); sales
 * runs salesSetup (env.sales); empty starts the server with nothing in it
 * (startServer's empty); extraArgs go to `relevo serve` after the usual
 * ones (a TURN relay, say). The returned object is filled in once
 * `before` has run; a file's own `before`, registered after this call,
 * runs after it.
 * @param {{ fakeMedia?: boolean, graph?: boolean, sales?: boolean, empty?: boolean, extraArgs?: string[] }} [opts]
 */
export function serverAndBrowser({ fakeMedia = false, graph = false, sales = false, empty = false, extraArgs = [] } = {}) {
  /** @type {{ server: Awaited<ReturnType<typeof startServer>>, browser: import('playwright-core').Browser, graph: import('./whatsapp.mjs').FakeGraph, sales: Awaited<ReturnType<typeof salesSetup>>, ready: Promise<void> }} */
  const env = /** @type {any} */ ({})
  // Node 20 runs a file's top-level before hooks concurrently, so a file's
  // own setup hook must `await env.ready` before it uses the server.
  let ready, failed
  env.ready = new Promise((res, rej) => ((ready = res), (failed = rej)))
  env.ready.catch(() => undefined) // the hook below reports the error
  before(async () => {
    try {
      if (graph) env.graph = await fakeGraph()
      env.server = await startServer({ empty, extraArgs })
      env.browser = await launchBrowser({ fakeMedia })
      if (sales) env.sales = await salesSetup(env.server.url)
      ready()
    } catch (e) {
      failed(e)
      throw e
    }
  })
  after(async () => {
    await env.browser?.close()
    await env.server?.stop()
    await env.graph?.close()
  })
  return env
}

/**
 * recordAlerts grants notifications to the context and records, in the
 * page's `window.notes` and `window.tones`, each notification and chime tone
 * the page makes, still making them (the real Notification and oscillator
 * run underneath).
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} origin
 */
export async function recordAlerts(context, origin) {
  await context.grantPermissions(['notifications'], { origin })
  await context.addInitScript(() => {
    const w = /** @type {any} */ (window)
    const Real = window.Notification
    w.notes = []
    class Recorded extends Real {
      constructor(title, options) {
        super(title, options)
        w.notes.push({ title, body: options?.body, tag: options?.tag })
      }
      static get permission() {
        return Real.permission
      }
      static requestPermission() {
        return Real.requestPermission()
      }
    }
    window.Notification = Recorded
    w.tones = 0
    const start = OscillatorNode.prototype.start
    OscillatorNode.prototype.start = function (...args) {
      w.tones++
      return start.apply(this, args)
    }
  })
}

/**
 * toBackground puts page behind another tab of its context, as a person
 * switching tabs does (headless Chromium otherwise says every page has
 * focus), and returns that other tab.
 * @param {import('playwright-core').BrowserContext} context
 * @param {import('playwright-core').Page} page
 */
export async function toBackground(context, page) {
  const cdp = await context.newCDPSession(page)
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false })
  const other = await context.newPage()
  await other.bringToFront()
  await page.waitForFunction(() => !document.hasFocus())
  return other
}
