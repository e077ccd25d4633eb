// Settings → Teams, Transfer reasons and Tags on the demo server, in a real
// browser: the admin creates a team with a member, is told in place that a
// name is needed, renames the team and deletes it after a confirmation;
// creates a transfer reason that an agent then picks in the desk's transfer
// dialog; creates a tag, after a colour the server refuses is named next to
// the field, and the agent puts it on a conversation. A supervisor reads
// the three lists without a button that writes. Then reasons and tags are
// renamed (a taken name is named next to the field) and deleted after a
// confirmation. axe-core audits each section and dialog, light and dark.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { serverAndBrowser, newPage, login, goOnline, inbound, screenshot, USERS } from './harness.mjs'
import { audit } from './axe.mjs'

const env = serverAndBrowser({ sales: true })

/** @param {import('playwright-core').Page} page @param {string} label */
async function bothSchemes(page, label) {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `${label} (${colorScheme})`)
    await screenshot(page, `settings-${label}-${colorScheme}`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

/** The browser logs every 4xx answer; 422 and 409 are the ones the tests provoke. */
const expected = (/** @type {string} */ e) => !/status of 4(22|09)/.test(e)

test('teams, transfer reasons and tags: written by an admin, used at the desk, read by a supervisor', async () => {
  await env.ready
  const base = env.server.url
  const admin = await newPage(env.browser, base)
  const page = admin.page
  await login(page, USERS.admin, '/settings')
  const nav = page.getByRole('navigation', { name: 'Settings' })

  // Teams: the demo's two, then a new one with a member.
  await nav.getByRole('link', { name: 'Teams' }).click()
  await page.waitForURL('**/settings/teams')
  const table = page.getByRole('table')
  await table.getByRole('row').filter({ hasText: 'Support' }).getByRole('cell', { name: 'Alice Agent, Bruno Agent' }).waitFor()
  await bothSchemes(page, 'teams')
  await page.getByRole('button', { name: 'New team' }).click()
  const form = page.getByRole('dialog', { name: 'New team' })
  await form.getByLabel('Bot').selectOption({ label: 'Acme Sales' })
  await form.getByLabel('Alice Agent').check()
  await form.getByRole('button', { name: 'Create team' }).click()
  await form.getByText('Enter a name.').waitFor()
  assert.equal(await form.getByLabel('Name').getAttribute('aria-invalid'), 'true')
  await bothSchemes(page, 'team-form-invalid')
  await form.getByLabel('Name').fill('Escalations')
  await form.getByRole('button', { name: 'Create team' }).click()
  await form.waitFor({ state: 'detached' })
  const row = table.getByRole('row').filter({ hasText: 'Escalations' })
  await row.getByRole('cell', { name: 'Acme Sales' }).waitFor()
  await row.getByRole('cell', { name: 'Alice Agent' }).waitFor()
  await page.getByLabel('Search teams').fill('escal')
  await table.getByRole('cell', { name: 'Support', exact: true }).waitFor({ state: 'detached' })
  await page.getByLabel('Search teams').fill('')

  // Renamed; the bot stays.
  await page.getByRole('button', { name: 'Edit Escalations' }).click()
  const edit = page.getByRole('dialog', { name: 'Edit Escalations' })
  assert.ok(await edit.getByLabel('Bot').isDisabled(), 'a team keeps its bot')
  await edit.getByLabel('Name').fill('Escalations L2')
  await edit.getByRole('button', { name: 'Save' }).click()
  await edit.waitFor({ state: 'detached' })
  await table.getByRole('cell', { name: 'Escalations L2', exact: true }).waitFor()

  // Deleted, after saying what that does.
  await page.getByRole('button', { name: 'Delete Escalations L2' }).click()
  const confirm = page.getByRole('dialog', { name: 'Delete Escalations L2?' })
  await confirm.getByText('Its members leave it').waitFor()
  await confirm.getByRole('button', { name: 'Delete' }).click()
  await table.getByRole('row').filter({ hasText: 'Escalations' }).waitFor({ state: 'detached' })

  // Transfer reasons: a new one, for every bot.
  await nav.getByRole('link', { name: 'Transfer reasons' }).click()
  await page.waitForURL('**/settings/reasons')
  await table.getByRole('cell', { name: 'All bots' }).first().waitFor()
  await page.getByRole('button', { name: 'New reason' }).click()
  const reason = page.getByRole('dialog', { name: 'New transfer reason' })
  await reason.getByLabel('Name').fill('Billing dispute')
  await reason.getByRole('button', { name: 'Create reason' }).click()
  await reason.waitFor({ state: 'detached' })
  await table.getByRole('cell', { name: 'Billing dispute', exact: true }).waitFor()
  await bothSchemes(page, 'reasons')

  // Tags: a colour the server refuses is named next to the field.
  await nav.getByRole('link', { name: 'Tags' }).click()
  await page.waitForURL('**/settings/tags')
  await table.getByRole('cell', { name: '#b7791f' }).waitFor()
  await page.getByRole('button', { name: 'New tag' }).click()
  const tag = page.getByRole('dialog', { name: 'New tag' })
  await tag.getByLabel('Name').fill('Priority')
  await tag.getByLabel('Colour', { exact: true }).fill('purple')
  await tag.getByRole('button', { name: 'Create tag' }).click()
  await tag.getByText('A colour like #1e88e5.').waitFor()
  assert.equal(await tag.getByLabel('Colour', { exact: true }).getAttribute('aria-invalid'), 'true')
  await bothSchemes(page, 'tag-form-invalid')
  await tag.getByLabel('Colour', { exact: true }).fill('#6b46c1')
  assert.equal(await tag.getByLabel('Pick a colour').inputValue(), '#6b46c1', 'the picker follows the typed colour')
  await tag.getByRole('button', { name: 'Create tag' }).click()
  await tag.waitFor({ state: 'detached' })
  const tagRow = table.getByRole('row').filter({ hasText: 'Priority' })
  await tagRow.getByRole('cell', { name: '#6b46c1' }).waitFor()
  const swatch = await tagRow.locator('.swatch').evaluate((el) => getComputedStyle(el).backgroundColor)
  assert.equal(swatch, 'rgb(107, 70, 193)', 'the swatch shows the colour')
  await bothSchemes(page, 'tags')

  // At the desk, an agent tags a conversation with the new tag and finds
  // the new reason in the transfer dialog.
  await inbound(env.sales.customer, env.sales.channel.id, 'catalog-1', 'Catalog Customer', 'catalog-m-1', 'My invoice is wrong')
  const agent = await newPage(env.browser, base)
  const desk = agent.page
  await login(desk, USERS.agent, `/bots/${env.sales.bot.id}`)
  await goOnline(desk)
  await desk.locator('[data-testid^="row-"]').filter({ hasText: 'Catalog Customer' }).locator('button.main').click()
  await desk.getByText('My invoice is wrong').waitFor()
  await desk.getByRole('button', { name: 'Assign to me' }).click()
  await desk.getByTestId('phase').filter({ hasText: 'With an agent' }).waitFor()
  await desk.getByRole('button', { name: 'Add tag' }).click()
  await desk.getByLabel('Add tag').selectOption({ label: 'Priority' })
  await desk.getByRole('group', { name: 'Tags' }).getByText('Priority').waitFor()
  await desk.getByTestId('transfer').and(desk.locator(':enabled')).click()
  const transfer = desk.getByRole('dialog', { name: 'Transfer conversation' })
  await transfer.getByLabel('Reason').selectOption({ label: 'Billing dispute' })
  await screenshot(desk, 'settings-reason-in-transfer')
  await transfer.getByRole('button', { name: 'Cancel' }).click()

  // A supervisor reads the three lists, with no button that writes.
  const sup = await newPage(env.browser, base)
  await login(sup.page, USERS.supervisor, '/settings/teams')
  await sup.page.getByRole('table').getByRole('cell', { name: 'Support', exact: true }).waitFor()
  await sup.page.getByText('Only admins change teams; you can read them.').waitFor()
  for (const name of ['New team', 'Edit Support', 'Delete Support']) {
    assert.equal(await sup.page.getByRole('button', { name }).count(), 0, `a supervisor sees "${name}"`)
  }
  const supNav = sup.page.getByRole('navigation', { name: 'Settings' })
  await supNav.getByRole('link', { name: 'Transfer reasons' }).click()
  await sup.page.getByRole('table').getByRole('cell', { name: 'Billing dispute' }).waitFor()
  assert.equal(await sup.page.getByRole('button', { name: 'New reason' }).count(), 0, 'a supervisor adds no reason')
  for (const name of ['Rename Billing dispute', 'Delete Billing dispute']) {
    assert.equal(await sup.page.getByRole('button', { name }).count(), 0, `a supervisor sees "${name}"`)
  }
  await supNav.getByRole('link', { name: 'Tags' }).click()
  await sup.page.getByRole('table').getByRole('cell', { name: '#6b46c1' }).waitFor()
  assert.equal(await sup.page.getByRole('button', { name: 'New tag' }).count(), 0, 'a supervisor adds no tag')
  await bothSchemes(sup.page, 'tags-read-only')

  assert.deepEqual(admin.errors.filter(expected), [], 'admin console errors')
  assert.deepEqual(agent.errors, [], 'agent console errors')
  assert.deepEqual(sup.errors, [], 'supervisor console errors')
})

test('transfer reasons and tags: renamed and deleted by an admin', async () => {
  await env.ready
  const admin = await newPage(env.browser, env.server.url)
  const page = admin.page
  await login(page, USERS.admin, '/settings/reasons')
  const table = page.getByRole('table')
  const add = async (/** @type {string} */ name) => {
    await page.getByRole('button', { name: 'New reason' }).click()
    const d = page.getByRole('dialog', { name: 'New transfer reason' })
    await d.getByLabel('Name').fill(name)
    await d.getByRole('button', { name: 'Create reason' }).click()
    await d.waitFor({ state: 'detached' })
  }
  await add('Courier')
  await add('Shipping')

  // A name another reason has is refused next to the field; then renamed.
  await page.getByRole('button', { name: 'Rename Courier' }).click()
  const rename = page.getByRole('dialog', { name: 'Rename Courier' })
  await rename.getByLabel('Name').fill('shipping')
  await rename.getByRole('button', { name: 'Save' }).click()
  await rename.getByText('Another reason of this bot already has this name.').waitFor()
  assert.equal(await rename.getByLabel('Name').getAttribute('aria-invalid'), 'true')
  await bothSchemes(page, 'reason-rename-taken')
  await rename.getByLabel('Name').fill('Delivery')
  await rename.getByRole('button', { name: 'Save' }).click()
  await rename.waitFor({ state: 'detached' })
  await table.getByRole('cell', { name: 'Delivery', exact: true }).waitFor()
  assert.equal(await table.getByRole('cell', { name: 'Courier', exact: true }).count(), 0)

  // Deleted after a confirmation that says what it keeps.
  await page.getByRole('button', { name: 'Delete Delivery' }).click()
  const confirm = page.getByRole('dialog', { name: 'Delete Delivery?' })
  await confirm.getByText('Past transfers and the reports keep its name.').waitFor()
  await bothSchemes(page, 'reason-delete')
  await confirm.getByRole('button', { name: 'Delete' }).click()
  await confirm.waitFor({ state: 'detached' })
  await table.getByRole('cell', { name: 'Delivery', exact: true }).waitFor({ state: 'detached' })

  // A tag: renamed and recoloured, then deleted.
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Tags' }).click()
  await page.waitForURL('**/settings/tags')
  await page.getByRole('button', { name: 'New tag' }).click()
  const tag = page.getByRole('dialog', { name: 'New tag' })
  await tag.getByLabel('Name').fill('Temp')
  await tag.getByRole('button', { name: 'Create tag' }).click()
  await tag.waitFor({ state: 'detached' })
  await page.getByRole('button', { name: 'Rename Temp' }).click()
  const edit = page.getByRole('dialog', { name: 'Change Temp' })
  await edit.getByLabel('Name').fill('Temporary')
  await edit.getByLabel('Colour', { exact: true }).fill('#2f855a')
  await bothSchemes(page, 'tag-rename')
  await edit.getByRole('button', { name: 'Save' }).click()
  await edit.waitFor({ state: 'detached' })
  const row = table.getByRole('row').filter({ hasText: 'Temporary' })
  await row.getByRole('cell', { name: '#2f855a' }).waitFor()
  await page.getByRole('button', { name: 'Delete Temporary' }).click()
  const del = page.getByRole('dialog', { name: 'Delete Temporary?' })
  await del.getByText('It is taken off every conversation that has it.').waitFor()
  await del.getByRole('button', { name: 'Delete' }).click()
  await row.waitFor({ state: 'detached' })

  assert.deepEqual(admin.errors.filter(expected), [], 'admin console errors')
})
