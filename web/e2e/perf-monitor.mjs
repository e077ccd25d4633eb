// Measures the supervisor's monitor on a busy floor: PERF_AGENTS agents
// online (default 200) and PERF_CONVERSATIONS open conversations (default
// 5,000: a fifth of them with an agent, the rest waiting), seeded through
// the API. Then, PERF_RUNS times in a fresh browser context, a logged-in
// supervisor opens /monitor and the time until the counters show the floor
// and the lists have rows is taken. Last, for PERF_SECONDS (default 20 s),
// PERF_RATE changes a second (default 50: half new customers, half
// assignments) arrive while the page records its long tasks (a task over
// 50 ms is one that held up a frame) and the gaps between animation
// frames, and how long each new customer took to be counted on screen.
// PERF_PROFILE=1 also profiles the page's JavaScript during the live part
// and prints the functions that took the most time (self time).
// A measurement, not a test: `make build && cd web && npm run perf:monitor`
// writes e2e/artifacts/perf-monitor.json; record it in docs/PERFORMANCE.md.
import { writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { startServer, launchBrowser, newPage, login, salesSetup, Api, USERS, PASSWORD, ARTIFACTS } from './harness.mjs'

const AGENTS = Number(process.env.PERF_AGENTS ?? 200)
const N = Number(process.env.PERF_CONVERSATIONS ?? 5000)
const RUNS = Number(process.env.PERF_RUNS ?? 3)
const RATE = Number(process.env.PERF_RATE ?? 50)
const SECONDS = Number(process.env.PERF_SECONDS ?? 20)
const PER_AGENT = Math.ceil(N / 5 / AGENTS)

/** pool runs fn(i) for i in [0, n) on `workers` concurrent loops. */
async function pool(n, workers, fn) {
  let next = 0
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (;;) {
        const i = next++
        if (i >= n) return
        await fn(i)
      }
    }),
  )
}

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] : null
}

/** topFunctions sums a CPU profile's samples per function (self time), top 15. */
function topFunctions(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map()
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)
    const f = n.callFrame
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  })
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${Math.round(v)} ${k}`)
}

const server = await startServer()
const browser = await launchBrowser()
try {
  const t0 = Date.now()
  const { admin, bot, channel } = await salesSetup(server.url)
  // Each token is allowed 100 requests a second: spread the seeding.
  const tokens = []
  for (let i = 0; i < 10; i++) tokens.push(new Api(server.url, { token: (await admin.post('/api/v1/tokens', { name: 'perf ' + i, bot_id: bot.id })).token }))
  const customer = (i) => tokens[i % tokens.length]
  const arrive = (i, text) =>
    customer(i).post(`/api/v1/channels/${channel.id}/inbound`, {
      contact: { external_id: `perf-${i}`, name: `Customer ${String(i).padStart(5, '0')}`, phone: `5511${String(i).padStart(9, '0')}` },
      message: { id: `perf-m-${i}-${Date.now()}`, text },
    })

  const agents = []
  await pool(AGENTS, 4, async (i) => {
    const email = `perf-agent-${i}@perf.relevo`
    await admin.post('/api/v1/users', { name: `Agent ${String(i).padStart(3, '0')}`, email, role: 'agent', bot_ids: [bot.id], max_chats: PER_AGENT + 10, password: PASSWORD })
    const a = await Api.login(server.url, email)
    await a.call('PUT', '/api/v1/me/status', { status: 'online' })
    agents[i] = a
  })
  const ids = []
  await pool(N, 12, async (i) => {
    ids[i] = (await arrive(i, `Hello, this is customer ${i}: I need help with order ${10000 + i}`)).conversation_id
  })
  // A fifth of the floor is with a human: each agent takes its share.
  await pool(AGENTS, 8, async (a) => {
    for (let k = 0; k < PER_AGENT; k++) {
      const i = a * PER_AGENT + k
      if (i < N / 5) await agents[a].post(`/api/v1/conversations/${ids[i]}/assign`)
    }
  })
  const floor = (await admin.get(`/api/v1/monitor`)).counters
  console.log(`seeded ${AGENTS} agents and ${N} conversations in ${Date.now() - t0} ms; floor ${JSON.stringify(floor)}`)
  // Let the outbox send the customers' notices first: the figure is the
  // console's, not a server still busy seeding.
  await new Promise((r) => setTimeout(r, 10_000))

  const loads = []
  let page, context, errors
  for (let r = 0; r < RUNS; r++) {
    if (context) await context.close()
    ;({ page, context, errors } = await newPage(browser, server.url))
    await login(page, USERS.supervisor)
    const start = Date.now()
    await page.goto(`/monitor?tab=phases&bot=${bot.id}`)
    // Usable: the total counts the whole floor of the bot and the lists have rows.
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="counter-total"] dd')?.textContent) >= n,
      N,
      { timeout: 60_000, polling: 'raf' },
    )
    await page.locator('[data-testid="phase-list-waiting"] [role=listitem]').first().waitFor({ timeout: 60_000 })
    loads.push(Date.now() - start)
    if (errors.length) throw new Error(errors.join('\n'))
  }

  // Live: record long tasks, frame gaps and when the total changes.
  await page.evaluate(() => {
    const w = /** @type {any} */ (window)
    w.__perf = { long: [], gaps: [], totals: [] }
    new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__perf.long.push(e.duration))).observe({ type: 'longtask' })
    let last = performance.now()
    const tick = (t) => {
      w.__perf.gaps.push(t - last)
      last = t
      if (!w.__perf.stop) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
    const dd = document.querySelector('[data-testid="counter-total"] dd')
    new MutationObserver(() => w.__perf.totals.push([Date.now(), Number(dd?.textContent)])).observe(/** @type {Node} */ (dd), {
      childList: true,
      characterData: true,
      subtree: true,
    })
  })
  const cdp = process.env.PERF_PROFILE ? await context.newCDPSession(page) : null
  if (cdp) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.start')
  }
  const acks = [] // [ack time, total the floor reaches with it]
  let total = Number(await page.getByTestId('counter-total').locator('dd').textContent())
  let nextNew = N
  let nextAssign = Math.ceil(N / 5)
  const liveStart = Date.now()
  const changes = Math.round(RATE * SECONDS)
  await pool(changes, 16, async (k) => {
    const due = liveStart + (k * 1000) / RATE
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()))
    if (k % 2 === 0) {
      const i = nextNew++
      await arrive(i, `A new question from customer ${i}`)
      acks.push([Date.now(), ++total])
    } else {
      const i = nextAssign++
      await agents[i % AGENTS].post(`/api/v1/conversations/${ids[i]}/assign`)
    }
  })
  const liveSeconds = (Date.now() - liveStart) / 1000
  if (cdp) console.log('top self time (ms):', topFunctions((await cdp.send('Profiler.stop')).profile))
  await new Promise((r) => setTimeout(r, 2000))
  const perf = await page.evaluate(() => {
    const w = /** @type {any} */ (window)
    w.__perf.stop = true
    return w.__perf
  })
  // A new customer is counted when the total first shows its number.
  const seen = acks.map(([at, want]) => {
    const hit = perf.totals.find(([, v]) => v >= want)
    return hit ? hit[0] - at : null
  })
  const missed = seen.filter((x) => x === null).length
  const lat = seen.filter((x) => x !== null)
  if (errors.length) throw new Error(errors.join('\n'))
  const summary = {
    agents: AGENTS,
    conversations: N,
    floor,
    open_ms: { runs: loads, median: q(loads, 0.5) },
    live: {
      changes,
      seconds: liveSeconds,
      rate: Math.round(changes / liveSeconds),
      long_tasks: perf.long.length,
      long_task_max_ms: Math.round(Math.max(0, ...perf.long)),
      frame_gap_p99_ms: Math.round(q(perf.gaps, 0.99)),
      frame_gap_max_ms: Math.round(Math.max(...perf.gaps)),
      frames_over_50ms: perf.gaps.filter((g) => g > 50).length,
      counted_ms: { p50: q(lat, 0.5), p99: q(lat, 0.99), max: Math.max(...lat), missed },
    },
  }
  console.log(JSON.stringify(summary, null, 2))
  await mkdir(ARTIFACTS, { recursive: true })
  await writeFile(join(ARTIFACTS, 'perf-monitor.json'), JSON.stringify(summary, null, 2))
} finally {
  await browser.close()
  await server.stop()
}
