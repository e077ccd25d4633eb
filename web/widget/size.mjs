// Prints the web chat widget's sizes, raw and gzipped (level 9, as the
// server sends them), and fails over the budget: 60 KB gzipped for what a
// visitor downloads (loader + panel page + its JS and CSS).
// `npm run size:widget` after `npm run build`.
import { readdir, readFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const BUDGET = 60 * 1024
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'widget')
const files = ['widget.js', 'index.html', ...(await readdir(join(dir, 'assets'))).sort().map((f) => 'assets/' + f)]
let raw = 0
let gz = 0
for (const f of files) {
  const b = await readFile(join(dir, f))
  const z = gzipSync(b, { level: 9 }).length
  raw += b.length
  gz += z
  console.log(`${f.padEnd(32)} ${(b.length / 1024).toFixed(1).padStart(7)} KB raw ${(z / 1024).toFixed(1).padStart(7)} KB gzipped`)
}
console.log(`widget total: ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`)
if (gz > BUDGET) {
  console.error('the widget is over its budget')
  process.exit(1)
}
