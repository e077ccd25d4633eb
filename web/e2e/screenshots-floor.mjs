// Takes the screenshots of docs/supervisor-guide.md, docs/admin-guide.md
// and the README's monitor from demo servers with a busy floor on them:
// `npm run screenshots:floor` (after make build) writes docs/img/*.png.
import { mkdir } from 'node:fs/promises'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer, launchBrowser, newPage, login, salesSetup, inbound, Api, USERS, PASSWORD } from './harness.mjs'

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'img')
await mkdir(out, { recursive: true })
const shot = (name) => join(out, name + '.png')
const pause = (ms) => new Promise((res) => setTimeout(res, ms))

const browser = await launchBrowser()
const server = await startServer()
try {
  const { admin, bot, channel, customer } = await salesSetup(server.url)
  const alice = await Api.login(server.url, USERS.agent)
  const bruno = await Api.login(server.url, USERS.agent2)
  for (const a of [alice, bruno]) await a.call('PUT', '/api/v1/me/status', { status: 'online' })
  const reasons = (await admin.get('/api/v1/reasons')).items
  const brunoID = (await bruno.get('/api/v1/me')).id

  const people = [
    ['rafael', 'Rafael Costa', 'My order #4411 arrived damaged'],
    ['sofia', 'Sofia Martins', 'Can I upgrade my plan in the middle of the month?'],
    ['daniel', 'Daniel Okafor', "The invoice PDF won't open on my phone"],
    ['emma', 'Emma Schneider', 'Do you offer a discount for non-profits?'],
    ['hannah', 'Hannah Kim', "I'd like to change the delivery address for order 5120"],
    ['mateo', 'Mateo García', '¿Pueden llamarme mañana por la mañana?'],
    ['amara', 'Amara Nwosu', 'Is the warranty valid outside the EU?'],
    ['lucas', 'Lucas Ferreira', 'Quero cancelar a assinatura'],
    ['yuki', 'Yuki Sato', 'Where is my refund?'],
    ['olivia', 'Olivia Brown', 'The app logs me out every hour'],
  ]
  const ids = {}
  for (const [ext, name, text] of people) {
    ids[ext] = (await inbound(customer, channel.id, ext, name, ext + '-1', text)).conversation_id
    await pause(200)
  }
  const retry = async (fn) => {
    for (let i = 0; ; i++) {
      try {
        return await fn()
      } catch (e) {
        if (i > 20 || !String(e).includes('423')) throw e
        await pause(300)
      }
    }
  }
  // Alice holds three, Bruno two; one went from Alice to Bruno with a reason; one is resolved.
  for (const k of ['rafael', 'sofia', 'daniel', 'yuki']) await retry(() => alice.post(`/api/v1/conversations/${ids[k]}/assign`))
  for (const k of ['emma', 'hannah']) await retry(() => bruno.post(`/api/v1/conversations/${ids[k]}/assign`))
  await retry(() => alice.post(`/api/v1/conversations/${ids.daniel}/messages`, { text: 'Let me check the invoice for you.', client_id: 'd1' }))
  await retry(() => alice.post(`/api/v1/conversations/${ids.yuki}/transfer`, { agent_id: brunoID, reason_id: reasons[0].id, note: 'Refunds are Bruno’s' }))
  await retry(() => alice.post(`/api/v1/conversations/${ids.sofia}/messages`, { text: 'Yes: the difference is prorated.', client_id: 's1' }))
  await retry(() => alice.post(`/api/v1/conversations/${ids.sofia}/resolve`))
  await inbound(customer, channel.id, 'rafael', 'Rafael Costa', 'rafael-2', 'Here is a photo of the box')

  const s = await newPage(browser, server.url)
  await login(s.page, USERS.supervisor)
  await s.page.goto(`/monitor?bot=${bot.id}&tab=phases`)
  await s.page.getByRole('region', { name: /^Waiting/ }).getByRole('link', { name: /Olivia Brown/ }).waitFor()
  await pause(500)
  await s.page.screenshot({ path: shot('monitor') })

  await s.page.getByRole('tab', { name: 'Agents' }).click()
  await s.page.getByRole('list', { name: 'Sessions of Alice Agent' }).waitFor()
  await pause(300)
  await s.page.screenshot({ path: shot('monitor-agents') })

  await s.page.goto(`/monitor/follow/${ids.rafael}?bot=${bot.id}`)
  await s.page.getByText('Here is a photo of the box').waitFor()
  await pause(300)
  await s.page.screenshot({ path: shot('follow') })

  await s.page.goto(`/queues?bot=${bot.id}`)
  await s.page.getByText('Olivia Brown').first().waitFor()
  await pause(300)
  await s.page.screenshot({ path: shot('queues') })

  await s.page.goto(`/reports?bot=${bot.id}&tab=agents`)
  await s.page.getByRole('heading', { name: 'Reports' }).waitFor()
  await s.page.getByRole('table').first().getByText('Alice Agent').waitFor()
  await pause(800)
  await s.page.screenshot({ path: shot('reports') })
  await s.context.close()

  // The admin's settings.
  const a = await newPage(browser, server.url)
  await login(a.page, USERS.admin)
  await a.page.goto('/settings')
  await a.page.getByText('Alice Agent').first().waitFor()
  await pause(300)
  await a.page.screenshot({ path: shot('settings-users') })
  await a.context.close()
} finally {
  await server.stop()
}

// First start: the setup page of an empty server.
const empty = await startServer({ empty: true })
try {
  const p = await newPage(browser, empty.url)
  await p.page.goto('/')
  await p.page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD + '-and-more')
  await p.page.getByRole('textbox', { name: 'Name' }).fill('Ana Admin')
  await pause(300)
  await p.page.screenshot({ path: shot('setup') })
  await p.context.close()
  console.log('screenshots written to', out)
} finally {
  await browser.close()
  await empty.stop()
}
