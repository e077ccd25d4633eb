// Reports (/reports), as a supervisor uses them: conversations made through
// the API (some transferred with reasons, some resolved) show up; the CSV
// downloaded with the button holds the JSON report's rows, row by row; the
// Agents tab's transfers by reason add up to the transfers made; a finished
// session is found by its protocol; a chart is drawn with its data table;
// an agent gets no link and is sent away; axe-core in light and dark.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { serverAndBrowser, newPage, login, screenshot, inbound, Api, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser({ sales: true })
/** @type {{ resolvedProtocol: string, made: Map<string, number>, before: Map<string, number>, reasons: any[], ids: string[], agents: string[] }} */
const world = /** @type {any} */ ({})

/** retry repeats an action while the hand-over lock holds (423). */
async function retry(fn) {
  for (let i = 0; ; i++) {
    try {
      return await fn()
    } catch (e) {
      if (!/: 423 /.test(String(e)) || i > 40) throw e
      await new Promise((r) => setTimeout(r, 500))
    }
  }
}

/** byReason adds an agents report's transfers up per reason name. */
function byReason(items) {
  const m = new Map()
  for (const a of items) for (const r of a.transfers_out) m.set(r.name, (m.get(r.name) ?? 0) + r.count)
  return m
}

before(async () => {
  await env.ready
  const { bot, channel, customer } = env.sales
  const alice = await Api.login(env.server.url, USERS.agent)
  const bob = await Api.login(env.server.url, USERS.agent2)
  const sup = await Api.login(env.server.url, USERS.supervisor)
  for (const a of [alice, bob]) await a.call('PUT', '/api/v1/me/status', { status: 'online' })
  const bobID = (await bob.get('/api/v1/me')).id
  const aliceID = (await alice.get('/api/v1/me')).id
  const reasons = (await sup.get('/api/v1/reasons')).items.filter((r) => !r.bot_id || r.bot_id === bot.id)
  assert.ok(reasons.length >= 2, 'the demo has at least two transfer reasons')
  world.reasons = reasons
  world.before = byReason((await sup.get(`/api/v1/reports/agents?bot=${bot.id}`)).items)

  // Four customers reach Acme Sales (no flow: straight to the queue); Alice
  // takes them all, transfers three to Bob with reasons and resolves one;
  // Bob transfers one back.
  const ids = []
  for (let i = 1; i <= 4; i++) {
    const r = await inbound(customer, channel.id, `rep-${i}`, `Rita Report ${i}`, `rep-m${i}`, 'I need a person')
    ids.push(r.conversation_id)
    await retry(() => alice.post(`/api/v1/conversations/${r.conversation_id}/assign`, {}))
  }
  world.ids = ids
  world.agents = [aliceID, bobID]
  const plan = [reasons[0], reasons[1], reasons[0]]
  world.made = new Map()
  for (const [i, reason] of plan.entries()) {
    await retry(() => alice.post(`/api/v1/conversations/${ids[i]}/transfer`, { agent_id: bobID, reason_id: reason.id, note: 'report test' }))
    world.made.set(reason.name, (world.made.get(reason.name) ?? 0) + 1)
  }
  // Bob sends the first one back: transfers of two agents add up per reason.
  await retry(() => bob.post(`/api/v1/conversations/${ids[0]}/transfer`, { agent_id: aliceID, reason_id: reasons[0].id }))
  world.made.set(reasons[0].name, (world.made.get(reasons[0].name) ?? 0) + 1)
  const done = await retry(() => alice.post(`/api/v1/conversations/${ids[3]}/resolve`))
  world.resolvedProtocol = done.protocol
  assert.ok(world.resolvedProtocol, 'a human session has a protocol')
})

/** parseCSV reads RFC 4180 text (quoted fields, doubled quotes, CRLF or LF). */
function parseCSV(text) {
  const rows = []
  let row = [], field = '', quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') row.push(field), (field = '')
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field), rows.push(row), (row = []), (field = '')
    } else field += c
  }
  if (field || row.length) row.push(field), rows.push(row)
  return rows
}

/** seconds is an instant to the second (the CSV's precision); '' stays ''. */
const seconds = (v) => (v ? String(Math.floor(Date.parse(v) / 1000)) : '')

async function openReports(page) {
  await login(page, USERS.supervisor)
  await page.getByRole('link', { name: 'Reports' }).click()
  await page.waitForURL((u) => u.pathname === '/reports')
  await page.getByRole('heading', { name: 'Reports' }).waitFor()
}

async function auditBoth(page, label) {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `${label} (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

test('the CSV download equals the JSON rows, and a finished session is found by its protocol', async () => {
  const { page, context } = await newPage(env.browser, env.server.url)
  await openReports(page)
  await page.getByTestId('report-tz').filter({ hasText: /Days in \S+/ }).waitFor()
  await page.getByLabel('Bot').selectOption({ label: 'Acme Sales' })
  await page.waitForURL((u) => u.searchParams.get('bot') === env.sales.bot.id)
  await page.getByRole('cell', { name: 'Rita Report 4' }).waitFor()
  await auditBoth(page, 'reports: conversations')
  await screenshot(page, 'reports-01-conversations')

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()])
  const csv = parseCSV(await readFile(/** @type {string} */ (await download.path()), 'utf8'))
  const [head, ...rows] = csv

  // The JSON report with the very query the link carries, every page.
  const href = /** @type {string} */ (await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href'))
  const q = new URL(href, env.server.url).searchParams
  q.delete('format')
  const sup = await Api.login(env.server.url, USERS.supervisor)
  const json = []
  for (let cursor = ''; ; ) {
    const p = await sup.get(`/api/v1/reports/conversations?${q}&limit=100${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`)
    json.push(...p.items)
    if (!p.next_cursor) break
    cursor = p.next_cursor
  }
  assert.ok(json.length >= 4, 'the report holds the conversations made')
  for (const id of world.ids) assert.ok(json.some((c) => c.id === id), `conversation ${id} is in the report`)
  assert.equal(rows.length, json.length, 'one CSV row per JSON row')
  // The table on screen shows the first of those rows: the link carries its filters.
  const shownProtocols = await page.getByTestId('report-row').locator('td:first-child').allInnerTexts()
  assert.deepEqual(shownProtocols, json.slice(0, shownProtocols.length).map((c) => c.protocol ?? ''))
  const col = (row, name) => row[head.indexOf(name)]
  json.forEach((c, i) => {
    const r = rows[i]
    const want = {
      id: c.id, protocol: c.protocol ?? '', bot_id: c.bot_id, channel_type: c.channel_type,
      contact_name: c.contact.name, contact_phone: c.contact.phone ?? '', phase: c.phase,
      assignee_id: c.assignee_id ?? '', team_id: c.team_id ?? '', tags: c.tags.join(';'),
      closed_reason: c.closed_reason ?? '',
      agents: c.agents.map((a) => a.name).join(';'), transfer_reasons: c.transfer_reasons.join(';'),
    }
    for (const [k, v] of Object.entries(want)) assert.equal(col(r, k), v, `row ${i} ${k}`)
    for (const k of ['created_at', 'waiting_since', 'last_message_at', 'closed_at', 'first_response_at', 'resolved_at']) assert.equal(seconds(col(r, k)), seconds(c[k]), `row ${i} ${k}`)
  })

  // A row names everyone who held it and why it moved: the first went
  // Alice → Bob → Alice, the fourth was resolved.
  const first = json.find((c) => c.id === world.ids[0])
  assert.deepEqual(first.agents.map((a) => a.id), world.agents, 'Alice then Bob held the first conversation, once each')
  assert.equal(first.transfer_reasons.length, 2, 'the first conversation was transferred twice')
  assert.ok(json.find((c) => c.id === world.ids[3]).resolved_at, 'the resolved one has its resolve time')
  // Seed 002: a finished session's protocol is looked up here.
  await page.getByLabel('Protocol').fill(world.resolvedProtocol)
  await page.getByRole('button', { name: 'Find' }).click()
  await page.waitForURL((u) => u.searchParams.get('protocol') === world.resolvedProtocol)
  const found = page.getByTestId('report-row')
  await found.filter({ hasText: world.resolvedProtocol }).waitFor()
  // The rows of the previous query stay on screen until the search answers.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="report-row"]').length === 1)
  assert.equal(await found.count(), 1)
  await found.getByRole('cell', { name: 'Resolved' }).waitFor()
  await found.getByRole('cell', { name: 'Rita Report 4' }).waitFor()
  await context.close()
})

test('transfers by reason on the Agents tab add up to the transfers made; a chart is drawn with its data table', async () => {
  const { page, context } = await newPage(env.browser, env.server.url)
  await openReports(page)
  await page.getByLabel('Bot').selectOption({ label: 'Acme Sales' })
  await page.getByRole('tab', { name: 'Agents' }).click()
  await page.waitForURL((u) => u.searchParams.get('tab') === 'agents')
  const chart = page.getByRole('group', { name: 'Transfers by reason' })
  await chart.locator('canvas').first().waitFor()
  await chart.getByText('Data as a table').click()
  const table = chart.getByRole('table', { name: 'Transfers by reason' })
  await table.waitFor()
  const shown = new Map()
  for (const row of await table.locator('tbody tr').all()) {
    shown.set(await row.locator('th').innerText(), Number(await row.locator('td').innerText()))
  }
  const want = new Map(world.before)
  for (const [name, n] of world.made) want.set(name, (want.get(name) ?? 0) + n)
  assert.deepEqual(Object.fromEntries([...shown].sort()), Object.fromEntries([...want].sort()))
  await auditBoth(page, 'reports: agents')
  await screenshot(page, 'reports-02-agents')

  await page.getByRole('tab', { name: 'Queues' }).click()
  const perHour = page.getByRole('group', { name: 'Conversations queued per hour' })
  await perHour.locator('canvas').first().waitFor()
  await perHour.getByText('Data as a table').click()
  const rows = perHour.getByRole('table').locator('tbody tr')
  await rows.first().waitFor()
  let queued = 0
  for (const r of await rows.all()) queued += Number(await r.locator('td').first().innerText())
  assert.ok(queued >= 4, `the four hand-overs are queued (${queued})`)
  await auditBoth(page, 'reports: queues')
  await screenshot(page, 'reports-03-queues')

  await page.getByRole('tab', { name: 'Bots' }).click()
  await page.getByRole('row', { name: /Acme Sales/ }).waitFor()
  await context.close()
})

test('days are read in the browser\'s time zone, named on screen and sent as instants with tz', async () => {
  const { page, errors, context } = await newPage(env.browser, env.server.url, { timezoneId: 'America/Sao_Paulo' })
  // A bookmarked view: the range and the tab come from the address.
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/reports/queues'))
  await login(page, USERS.supervisor, '/reports?from=2026-12-01&to=2026-12-06&tab=queues')
  await page.getByText('Days in America/Sao_Paulo').waitFor()
  await page.getByText('Hours in America/Sao_Paulo').waitFor()
  assert.equal(await page.getByLabel('From').inputValue(), '2026-12-01')
  const queues = await answered
  const q = new URL(queues.url()).searchParams
  // São Paulo is UTC-3 in December: its days start at 03:00 UTC; `to` is the start of the day after.
  assert.deepEqual([q.get('from'), q.get('to'), q.get('tz')], ['2026-12-01T03:00:00.000Z', '2026-12-07T03:00:00.000Z', 'America/Sao_Paulo'])
  assert.equal((await queues.json()).tz, 'America/Sao_Paulo')
  await page.getByRole('tab', { name: 'Conversations' }).click()
  const href = new URL(/** @type {string} */ (await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')), env.server.url)
  assert.equal(href.searchParams.get('from'), '2026-12-01T03:00:00.000Z')
  assert.deepEqual(errors, [])
  await context.close()
})

test('an agent has no Reports link and is sent away from /reports', async () => {
  const { page, context } = await newPage(env.browser, env.server.url)
  await login(page, USERS.agent)
  await page.getByTestId('status-switch').waitFor()
  assert.equal(await page.getByRole('link', { name: 'Reports' }).count(), 0)
  await page.goto('/reports')
  await page.waitForURL((u) => u.pathname === '/')
  assert.equal(await page.getByRole('heading', { name: 'Reports' }).count(), 0)
  await context.close()
})
