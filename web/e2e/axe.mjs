// The automated WCAG 2.1 AA audit of the browser tests: axe-core (from npm,
// never a CDN) injected into the page and its frames (the web widget's panel
// is an iframe; axe reads one document at a time) and run over what is on
// screen at that moment.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/** @type {Promise<string> | undefined} */
let source

// axe's source is read once per test process: the audit runs many times.
function axeSource() {
  source ??= readFile(require.resolve('axe-core'), 'utf8')
  return source
}

/**
 * audit runs axe-core with the WCAG 2.0/2.1 A and AA rules over the page and
 * every frame in it, or over `frame` only. `include` (a CSS selector or a
 * list) narrows the page's own document; frames are audited whole. It throws
 * an Error listing every violation (rule id, impact, help, where and the
 * elements found), with a machine-readable copy in `err.violations`
 * (`{id, impact, help, frame, nodes: count, targets}`). `label` names the
 * screen in the error, so a failure says where it was.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} label
 * @param {{ frame?: import('playwright-core').Frame, include?: string | string[] }} [options]
 * @returns {Promise<void>}
 */
export async function audit(page, label, { frame, include } = {}) {
  const frames = frame ? [frame] : page.frames().filter((f) => f.url() !== 'about:blank')
  const found = []
  for (const f of frames) {
    // The pages under test forbid inline scripts (their CSP, rightly), so
    // the source goes in through DevTools evaluation, which CSP does not
    // govern, never as an added <script> tag (blocked and logged). A page
    // that navigated since the last audit lost axe: inject again then.
    if (!(await f.evaluate(() => 'axe' in window))) await f.evaluate(await axeSource())
    const context = include && f === page.mainFrame() ? { include: [include].flat() } : undefined
    const violations = await f.evaluate(
      async ([ctx, tags]) => {
        // @ts-ignore: axe is the injected global
        const r = await window.axe.run(ctx ?? document, { runOnly: { type: 'tag', values: tags }, iframes: false, resultTypes: ['violations'] })
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.length,
          targets: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').trim()}`),
        }))
      },
      [context, TAGS],
    )
    for (const v of violations) found.push({ ...v, frame: f === page.mainFrame() ? 'page' : f.url() })
  }
  if (found.length) {
    const lines = found.map(
      (v) => `- ${v.id} (${v.impact}, ${v.nodes} node${v.nodes === 1 ? '' : 's'}) in ${v.frame}: ${v.help}\n    ${v.targets.join('\n    ')}`,
    )
    const err = new Error(`axe: ${found.length} WCAG 2.1 AA violation(s) on "${label}":\n${lines.join('\n')}`)
    // @ts-ignore a machine-readable copy for callers that count
    err.violations = found
    throw err
  }
}

/**
 * auditSchemes audits the page in the light and the dark scheme, then
 * leaves it light.
 * @param {import('playwright-core').Page} page @param {string} label
 */
export async function auditSchemes(page, label) {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme })
    await audit(page, `${label} (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}
