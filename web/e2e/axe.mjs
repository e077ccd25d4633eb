// The automated WCAG 2.1 AA audit of the browser tests: axe-core (from npm,
// never a CDN) injected into the page or one of its frames and run over what
// is on screen at that moment.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
/** @type {Promise<string> | undefined} */
let source

// axe.min.js is read once per test process: the audit runs many times.
function axeSource() {
  source ??= readFile(join(dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8')
  return source
}

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/**
 * audit runs axe-core with the WCAG 2.0/2.1 A and AA rules over the page (or
 * over `frame`, a Playwright Frame, e.g. an iframe's contentFrame()), limited
 * to the `include` CSS selector when given, and throws an Error listing every
 * violation (rule id, impact, help and the first targets) when there is any.
 * `label` names the screen in the error, so a failure says where it was.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} label
 * @param {{ frame?: import('playwright-core').Frame, include?: string }} [opts]
 * @returns {Promise<number>} the number of rules that passed (a sanity figure: 0 means nothing was audited)
 */
export async function audit(page, label, { frame, include } = {}) {
  const target = frame ?? page.mainFrame()
  // A page that navigated since the last audit lost axe: inject again then.
  // The source is evaluated through the DevTools protocol rather than added
  // as a <script> tag: the console's Content-Security-Policy (script-src
  // 'self') rightly refuses inline scripts, and the audit must not need a
  // weaker policy than production.
  if (!(await target.evaluate(() => 'axe' in window))) {
    await target.evaluate(await axeSource())
  }
  const result = await target.evaluate(
    async ({ include, tags }) => {
      // @ts-ignore axe is the global the injected script defines
      const r = await window.axe.run(include ? { include: [include] } : document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      })
      return {
        passes: r.passes.length,
        violations: r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.length,
          targets: v.nodes.slice(0, 3).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary?.split('\n').slice(1, 2).join('') ?? '' })),
        })),
      }
    },
    { include, tags: TAGS },
  )
  if (result.violations.length > 0) {
    const lines = result.violations.map(
      (v) =>
        `- ${v.id} (${v.impact}, ${v.nodes} node${v.nodes === 1 ? '' : 's'}): ${v.help}\n` +
        v.targets.map((t) => `    ${t.target}${t.summary ? ': ' + t.summary.trim() : ''}`).join('\n'),
    )
    const err = new Error(`axe: ${result.violations.length} WCAG 2.1 AA violation(s) on ${label}:\n${lines.join('\n')}`)
    // @ts-ignore a machine-readable copy for callers that count
    err.violations = result.violations
    throw err
  }
  return result.passes
}
