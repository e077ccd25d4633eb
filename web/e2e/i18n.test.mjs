// The console speaks English, Spanish and Brazilian Portuguese: the
// picker switches every visible label, the choice is remembered, and the
// three catalogues have the same keys with every key the code uses.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, readdir } from 'node:fs/promises'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { serverAndBrowser, newPage, login, screenshot, USERS } from './harness.mjs'

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'console', 'src')

/** catalogue loads one of the TypeScript message files as data. */
async function catalogue(file, name) {
  const code = ts.transpileModule(await readFile(join(src, 'i18n', file), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText
  const mod = await import('data:text/javascript;base64,' + Buffer.from(code).toString('base64'))
  return mod[name]
}

function keys(obj, prefix = '') {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, prefix + k + '.') : [prefix + k]))
}

async function sources(dir) {
  const out = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await sources(p)))
    else if (/\.(vue|ts)$/.test(e.name) && !p.includes('/i18n/') && !p.endsWith('schema.ts')) out.push(p)
  }
  return out
}

test('the three languages have the same keys, and every key the code uses exists', async () => {
  const en = keys(await catalogue('en.ts', 'en')).sort()
  const es = keys(await catalogue('es.ts', 'es')).sort()
  const pt = keys(await catalogue('pt-BR.ts', 'ptBR')).sort()
  assert.deepEqual(es, en)
  assert.deepEqual(pt, en)
  const have = new Set(en)
  const missing = []
  for (const f of await sources(src)) {
    const text = await readFile(f, 'utf8')
    for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z_]+(?:\.[a-zA-Z_0-9]+)+)'/g)) if (!have.has(m[1])) missing.push(`${f}: ${m[1]}`)
  }
  assert.deepEqual(missing, [])
})

const env = serverAndBrowser()

test('switching to Spanish and Brazilian Portuguese changes the visible labels', async () => {
  const { page, errors, context } = await newPage(env.browser, env.server.url, { locale: 'en-US' })
  await page.goto('/login')
  await page.getByRole('button', { name: 'Log in' }).waitFor()

  await page.getByTestId('language').selectOption('es')
  await page.getByRole('button', { name: 'Iniciar sesión' }).waitFor()
  assert.equal(await page.locator('html').getAttribute('lang'), 'es')
  await screenshot(page, 'i18n-01-login-es')

  await login(page, USERS.agent)
  await page.getByRole('heading', { name: 'Hola, Alice Agent' }).waitFor()
  await page.getByTestId('bot-Acme Support').click()
  await page.getByTestId('tab-handovers').filter({ hasText: 'Derivaciones' }).waitFor()
  assert.match(await page.getByTestId('tab-mine').innerText(), /Mías/)
  await page.locator('[data-testid^="row-"]').first().locator('button.main').click()
  await page.getByRole('button', { name: 'Asignarme' }).waitFor()
  await page.getByText('Derivada a la cola del equipo Support').first().waitFor()
  await screenshot(page, 'i18n-02-desk-es')

  await page.getByTestId('language').selectOption('pt-BR')
  await page.getByTestId('tab-handovers').filter({ hasText: 'Transbordos' }).waitFor()
  await page.getByRole('button', { name: 'Atribuir a mim' }).waitFor()
  await page.getByText('Transferida para a fila da equipe Support').first().waitFor()
  assert.equal(await page.locator('html').getAttribute('lang'), 'pt-BR')
  await screenshot(page, 'i18n-03-desk-pt-BR')

  // The choice survives a reload.
  await page.reload()
  await page.getByTestId('tab-handovers').filter({ hasText: 'Transbordos' }).waitFor()

  assert.deepEqual(errors, [], 'console errors')
  await context.close()
})

test('a Spanish browser gets Spanish without choosing', async () => {
  const { page, errors, context } = await newPage(env.browser, env.server.url, { locale: 'es-AR' })
  await page.goto('/login')
  await page.getByRole('button', { name: 'Iniciar sesión' }).waitFor()
  assert.deepEqual(errors, [])
  await context.close()
})
