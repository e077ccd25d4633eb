// Settings → Templates on the demo: the demo's WhatsApp channel lists its
// templates with category and status in words; the admin takes "Agent" off
// order_update and saves the row; the choice survives a reload, and the
// demo agent's template picker in the desk no longer offers it. A
// supervisor reads the same list without write controls. axe-core audits
// the section in light and dark.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, agentOnline, screenshot, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser()

test('an admin chooses who is offered a template, and the desk follows', async () => {
  await env.ready
  const base = env.server.url
  const { page, errors, context } = await newPage(env.browser, base)
  await login(page, USERS.admin, '/settings/templates')
  await page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor()
  const channel = page.getByRole('region', { name: /WhatsApp \(demo stand-in/ })
  const row = channel.getByRole('row').filter({ hasText: 'order_update' })
  await row.getByText('Utility').waitFor()
  await row.getByText('Approved').waitFor()
  await channel.getByRole('row').filter({ hasText: 'satisfaction_follow_up' }).getByText('Marketing').waitFor()
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `templates settings (${colorScheme})`)
    await screenshot(page, `settings-templates-${colorScheme}`)
  }
  await page.emulateMedia({ colorScheme: 'light' })

  const agentBox = page.getByRole('checkbox', { name: 'Agent may send order_update (en)' })
  assert.equal(await agentBox.isChecked(), true, 'the demo offers order_update to agents')
  await agentBox.uncheck()
  await page.getByRole('button', { name: 'Save roles of order_update (en)' }).click()
  await page.getByText('Saved who is offered order_update.').waitFor()
  await page.reload()
  await page.getByRole('checkbox', { name: 'Supervisor may send order_update (en)' }).waitFor()
  assert.equal(await page.getByRole('checkbox', { name: 'Agent may send order_update (en)' }).isChecked(), false, 'the choice survives a reload')
  assert.deepEqual(errors, [], 'admin console errors')
  await context.close()

  // The demo agent takes the WhatsApp customer past the window: the picker
  // offers the other agents' template, not order_update.
  const agent = await agentOnline(env.browser, base, USERS.agent)
  await agent.page.getByTestId('bot-Acme Support').click()
  await agent.page.getByTestId('tab-handovers').click()
  await agent.page.locator('[data-testid^="row-"][data-contact="Rafael Costa"] button.main').click()
  await agent.page.getByTestId('assign').click()
  const select = agent.page.getByTestId('template-select')
  await select.and(agent.page.locator(':enabled')).waitFor()
  await select.locator('option', { hasText: 'reopen_conversation' }).waitFor({ state: 'attached' })
  const options = (await select.locator('option').allInnerTexts()).map((s) => s.trim())
  assert.ok(!options.some((o) => /order_update/.test(o)), `order_update is no longer offered to agents: ${options}`)
  assert.deepEqual(agent.errors, [], 'agent console errors')
  await agent.context.close()

  // A supervisor reads the roles and cannot change them.
  const sup = await newPage(env.browser, base)
  await login(sup.page, USERS.supervisor, '/settings/templates')
  const box = sup.page.getByRole('checkbox', { name: 'Agent may send reopen_conversation (en)' })
  await box.waitFor()
  assert.equal(await box.isDisabled(), true, 'a supervisor cannot tick roles')
  await sup.page.getByText('only admins change who is offered them').waitFor()
  assert.equal(await sup.page.getByRole('button', { name: /Save roles of/ }).count(), 0, 'no save buttons for supervisors')
  assert.equal(await sup.page.getByRole('button', { name: 'Sync templates' }).count(), 0, 'no sync for supervisors')
  assert.deepEqual(sup.errors, [], 'supervisor console errors')
  await sup.context.close()
})
