// Measures the console's first load with a full queue: 1,000 waiting
// conversations are seeded through the API channel, then a fresh browser
// goes from the login page to a usable queue (rows on screen), five times.
// A measurement, not a test: run `npm run perf` (after make build) and
// record the figures in docs/PERFORMANCE.md.
import { writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { startServer, launchBrowser, newPage, salesSetup, Api, USERS, PASSWORD, ARTIFACTS } from './harness.mjs'

const N = Number(process.env.PERF_CONVERSATIONS ?? 1000)
const RUNS = Number(process.env.PERF_RUNS ?? 5)

const server = await startServer()
const browser = await launchBrowser()
try {
  const { admin, bot, channel } = await salesSetup(server.url)
  // Each token has its own rate limit (100/s, burst 200): spread the load.
  const tokens = []
  for (let i = 0; i < 6; i++) tokens.push(new Api(server.url, { token: (await admin.post('/api/v1/tokens', { name: 'perf ' + i, bot_id: bot.id })).token }))
  const seedStart = Date.now()
  let next = 0
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (;;) {
        const i = next++
        if (i >= N) return
        await tokens[i % tokens.length].post(`/api/v1/channels/${channel.id}/inbound`, {
          contact: { external_id: `perf-${i}`, name: `Customer ${String(i).padStart(4, '0')}`, phone: `55119${String(i).padStart(8, '0')}` },
          message: { id: `perf-m-${i}`, text: `Hello, this is customer ${i} and I need help with order ${10000 + i}` },
        })
      }
    }),
  )
  const seeded = Date.now() - seedStart
  const waiting = (await admin.get('/api/v1/bots')).items.find((b) => b.id === bot.id).waiting
  console.log(`seeded ${N} conversations in ${seeded} ms; Acme Sales has ${waiting} waiting`)
  // Let the outbox send the 1,000 "an agent will be with you" notices
  // first: the figure is the console's, not a server still busy seeding.
  await new Promise((r) => setTimeout(r, 10_000))

  const results = []
  for (let r = 0; r < RUNS; r++) {
    const { page, context, errors } = await newPage(browser, server.url)
    const t0 = Date.now()
    await page.goto(`/login?next=${encodeURIComponent('/bots/' + bot.id)}`)
    await page.locator('input[name=email]').waitFor()
    const tLogin = Date.now()
    await page.locator('input[name=email]').fill(USERS.agent)
    await page.locator('input[name=password]').fill(PASSWORD)
    const tSubmit = Date.now()
    const loginAnswer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')).then(() => Date.now())
    await page.locator('button[type=submit]').click()
    await page.locator('[data-testid="queue-list"] [data-testid^="row-"]').first().waitFor()
    await page.getByTestId('waiting-count').filter({ hasText: String(waiting) }).waitFor()
    const tReady = Date.now()
    const tAnswered = await loginAnswer
    const rows = await page.locator('[data-testid="queue-list"] [data-testid^="row-"]').count()
    results.push({
      total: tReady - t0,
      loginPage: tLogin - t0,
      loginRequest: tAnswered - tSubmit,
      loggedInToQueue: tReady - tAnswered,
      consoleOnly: tReady - t0 - (tAnswered - tSubmit),
      renderedRows: rows,
    })
    if (errors.length) throw new Error(errors.join('\n'))
    await context.close()
  }
  const med = (k) => results.map((x) => x[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)]
  const summary = {
    conversations: N,
    runs: results,
    median_ms: {
      total: med('total'),
      loginPage: med('loginPage'),
      loginRequest: med('loginRequest'),
      loggedInToQueue: med('loggedInToQueue'),
      consoleOnly: med('consoleOnly'),
    },
  }
  console.log(JSON.stringify(summary, null, 2))
  await mkdir(ARTIFACTS, { recursive: true })
  await writeFile(join(ARTIFACTS, 'perf-first-load.json'), JSON.stringify(summary, null, 2))
} finally {
  await browser.close()
  await server.stop()
}
