// The console speaks English, Spanish and Brazilian Portuguese: the
// picker switches every visible label, the choice is remembered, and the
// three catalogues have the same keys with every key the code uses.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'
import { serverAndBrowser, newPage, login, screenshot, USERS } from './harness.mjs'

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'console', 'src')

/**
 * catalogue loads one language as data: its message files (i18n/<lang>/*.ts,
 * one per screen) transpiled into a scratch folder, then the index that
 * assembles them. It also returns each file's top-level keys, so the test
 * sees a group defined twice (a spread would silently keep the last).
 */
async function catalogue(lang, name) {
  const from = join(src, 'i18n', lang)
  const to = await mkdtemp(join(tmpdir(), 'relevo-i18n-'))
  const files = (await readdir(from)).filter((f) => f.endsWith('.ts'))
  for (const f of files) {
    const code = ts.transpileModule(await readFile(join(from, f), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText
    // Node resolves an import by its whole file name; the sources say './desk'.
    await writeFile(join(to, f.replace(/\.ts$/, '.mjs')), code.replace(/(from '\.\/[\w-]+)'/g, "$1.mjs'"))
  }
  const groups = []
  for (const f of files.filter((f) => f !== 'index.ts')) {
    const mod = await import(pathToFileURL(join(to, f.replace(/\.ts$/, '.mjs'))).href)
    for (const part of Object.values(mod)) groups.push(...Object.keys(part).map((key) => ({ file: f, key })))
  }
  const mod = await import(pathToFileURL(join(to, 'index.mjs')).href)
  await rm(to, { recursive: true })
  return { messages: mod[name], groups }
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
  const langs = { en: 'en', es: 'es', 'pt-BR': 'ptBR' }
  const all = {}
  for (const [lang, name] of Object.entries(langs)) {
    const { messages, groups } = await catalogue(lang, name)
    // Every top-level group lives in one file and the index assembles them all.
    const seen = new Map()
    const twice = []
    for (const { file, key } of groups) {
      if (seen.has(key)) twice.push(`${lang}: ${key} in ${seen.get(key)} and ${file}`)
      seen.set(key, file)
    }
    assert.deepEqual(twice, [], 'a group defined in two files')
    assert.deepEqual(Object.keys(messages).sort(), [...seen.keys()].sort(), `${lang}/index.ts assembles every file`)
    all[lang] = keys(messages).sort()
  }
  const en = all.en
  assert.deepEqual(all.es, en)
  assert.deepEqual(all['pt-BR'], en)
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
