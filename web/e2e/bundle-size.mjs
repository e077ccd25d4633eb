// Prints the console's JavaScript and CSS sizes, raw and gzipped (level 9,
// as the server sends them): `npm run size` after `npm run build`.
import { readdir, readFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'console', 'assets')
const totals = { js: [0, 0], css: [0, 0] }
for (const f of (await readdir(dir)).sort()) {
  const ext = f.split('.').pop()
  if (!(ext in totals)) continue
  const b = await readFile(join(dir, f))
  const gz = gzipSync(b, { level: 9 }).length
  totals[ext][0] += b.length
  totals[ext][1] += gz
  console.log(`${f.padEnd(28)} ${(b.length / 1024).toFixed(1).padStart(7)} KB raw ${(gz / 1024).toFixed(1).padStart(7)} KB gzipped`)
}
for (const [k, [raw, gz]] of Object.entries(totals)) {
  console.log(`console ${k} total: ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzipped`)
}
