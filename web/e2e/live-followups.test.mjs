// A tag deleted by an admin used to stay on an agent's open conversation
// and in the queue's tag filter until a reload: it leaves them live.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, goOnline, inbound, USERS } from './harness.mjs'

const env = serverAndBrowser({ sales: true })

test('a deleted tag leaves the desks that show it, without a reload', async () => {
  await env.ready
  const { admin, bot, channel, customer } = env.sales
  const { conversation_id: id } = await inbound(customer, channel.id, 'tagged-1', 'Tina Tagged', 'tagged-m1', 'Tag me, please')
  const tag = await admin.post('/api/v1/tags', { name: 'Short-lived', color: '#2b6cb0' })
  await admin.call('PUT', `/api/v1/conversations/${id}/tags/${tag.id}`)

  const agent = await newPage(env.browser, env.server.url)
  const page = agent.page
  await login(page, USERS.agent, `/bots/${bot.id}/${id}`)
  await goOnline(page)
  await page.getByText('Tag me, please').waitFor()
  const tags = page.getByRole('group', { name: 'Tags' })
  await tags.getByText('Short-lived').waitFor()
  await page.getByRole('button', { name: 'Filters' }).click()
  const filter = page.getByRole('combobox', { name: 'Tag', exact: true }).getByRole('option', { name: 'Short-lived', includeHidden: true })
  await filter.waitFor({ state: 'attached' }) // the queue's filter offers it

  await admin.call('DELETE', `/api/v1/tags/${tag.id}`)
  await tags.getByText('Short-lived').waitFor({ state: 'detached' })
  await filter.waitFor({ state: 'detached' })
  assert.equal(await tags.getByText(tag.id).count(), 0, 'no chip left showing the tag by its id')
  assert.deepEqual(agent.errors, [], 'agent console errors')
})
