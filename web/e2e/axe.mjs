// An automated WCAG 2.1 AA audit with axe-core, for any page of the browser
// tests: audit(page, label) checks the page and every frame in it (the web
// widget's panel is an iframe; axe reads one document at a time), and
// throws listing each violation with the elements it found. Options:
// frame audits that one frame only; include limits the audit to the
// elements matching a CSS selector (or list of selectors).
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/** @type {string | undefined} */
let source

/**
 * @param {import('playwright-core').Page} page
 * @param {string} label what is on screen, named in the failure
 * @param {{ frame?: import('playwright-core').Frame, include?: string | string[] }} [options]
 * @returns {Promise<void>}
 */
export async function audit(page, label, { frame, include } = {}) {
  source ??= await readFile(require.resolve('axe-core'), 'utf8')
  const frames = frame ? [frame] : page.frames().filter((f) => f.url() !== 'about:blank')
  const found = []
  for (const f of frames) {
    // The pages under test forbid inline scripts (their CSP), so the source
    // goes in by DevTools evaluation, which CSP does not govern, rather
    // than an added <script> tag, which would be blocked and logged.
    if (!(await f.evaluate(() => 'axe' in window))) await f.evaluate(source)
    // include only narrows the page it was given for; frames are audited whole.
    const context = include && f === page.mainFrame() ? { include: [include].flat() } : undefined
    const violations = await f.evaluate(
      async ([ctx, tags]) => {
        // @ts-ignore: axe is the injected global
        const r = await window.axe.run(ctx ?? document, { runOnly: { type: 'tag', values: tags }, iframes: false, resultTypes: ['violations'] })
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`),
        }))
      },
      [context, TAGS],
    )
    for (const v of violations) found.push({ ...v, frame: f === page.mainFrame() ? 'page' : f.url() })
  }
  if (found.length) {
    const lines = found.map((v) => `- ${v.id} (${v.impact}) in ${v.frame}: ${v.help}\n    ${v.nodes.join('\n    ')}`)
    throw new Error(`axe: ${found.length} WCAG 2.1 AA violation(s) on "${label}":\n${lines.join('\n')}`)
  }
}
