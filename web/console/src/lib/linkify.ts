// linkify splits a message's text into plain pieces and http(s) links, for
// the console's timeline and the web chat widget alike (plain TypeScript,
// no Vue, so the widget can import it). It returns data, never HTML: the
// callers render each piece as a text node or an <a>, so a message can not
// inject markup, and only http: and https: URLs ever become links
// (javascript:, data: and every other scheme stay text).

/** Piece is a run of text; with href, a link showing text. */
export interface Piece {
  text: string
  href?: string
}

// A candidate starts at http:// or https:// and runs to whitespace or a
// character that can not be part of a URL written in prose.
const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`{}|\\^]+/gi

// Punctuation that ends a sentence rather than the URL ("see https://x.test/a.").
const TRAILING = /[.,;:!?*'"]+$/

export function linkify(text: string): Piece[] {
  const out: Piece[] = []
  let last = 0
  for (const m of text.matchAll(CANDIDATE)) {
    const start = m.index ?? 0
    const raw = trim(m[0])
    const href = safeHref(raw)
    if (!href) continue
    if (start > last) out.push({ text: text.slice(last, start) })
    out.push({ text: raw, href })
    last = start + raw.length
  }
  if (last < text.length) out.push({ text: text.slice(last) })
  return out
}

/** trim drops trailing punctuation and a closing bracket the URL did not open. */
function trim(s: string): string {
  for (;;) {
    const t = s.replace(TRAILING, '')
    const close = t[t.length - 1]
    const open = close === ')' ? '(' : close === ']' ? '[' : ''
    if (open && count(t, open) < count(t, close!)) {
      s = t.slice(0, -1)
      continue
    }
    return t
  }
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1
}

/** safeHref is the parsed URL when it is an http(s) URL with a host, else ''. */
function safeHref(raw: string): string {
  try {
    const u = new URL(raw)
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname ? u.href : ''
  } catch {
    return ''
  }
}
