// The loader sites embed:
//
//   <script src="https://relevo.example/widget.js" data-channel="CHANNEL_ID" async></script>
//
// It adds a launcher bubble (with the unread count) and the chat panel, an
// iframe of {relevo}/widget/?channel=ID, inside a shadow root so the
// site's styles and the widget's never meet. A logged-in visitor is named
// with data-identifier, data-identifier-hash (computed by the site's
// server), data-name and data-email, or with window.RelevoWidget = {...}
// set before the script. window.Relevo.open() / close() / toggle() drive
// the panel from the site.

interface Settings {
  identifier?: string
  identifierHash?: string
  name?: string
  email?: string
}

type PanelMessage = { type: 'relevo:ready'; color?: string } | { type: 'relevo:unread'; count: number } | { type: 'relevo:close' }

const words: Record<string, [string, string]> = {
  en: ['Open chat', 'Close chat'],
  es: ['Abrir el chat', 'Cerrar el chat'],
  pt: ['Abrir o chat', 'Fechar o chat'],
}

;(function () {
  const w = window as unknown as { Relevo?: unknown; RelevoWidget?: Settings }
  const script = document.currentScript as HTMLScriptElement | null
  if (!script || w.Relevo) return
  const channel = script.dataset.channel
  if (!channel) {
    console.warn('Relevo: the widget script needs data-channel="CHANNEL_ID"')
    return
  }
  const origin = new URL(script.src, location.href).origin
  const [openLabel, closeLabel] = words[(navigator.language || 'en').slice(0, 2).toLowerCase()] ?? words.en
  const d = script.dataset
  const given: Settings = w.RelevoWidget ?? {}
  const user = {
    identifier: given.identifier ?? d.identifier,
    identifier_hash: given.identifierHash ?? d.identifierHash,
    name: given.name ?? d.name,
    email: given.email ?? d.email,
  }

  const host = document.createElement('div')
  host.id = 'relevo-widget'
  const root = host.attachShadow({ mode: 'open' })
  const style = document.createElement('style')
  style.textContent = `
:host { all: initial; }
.bubble { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; width: 60px; height: 60px; border-radius: 50%;
  border: 0; cursor: pointer; color: #fff; background: var(--accent, #2f6fed); box-shadow: 0 6px 20px rgba(16,24,40,.25);
  display: grid; place-items: center; transition: transform .15s ease; }
.bubble:hover { transform: scale(1.05); }
.bubble:focus-visible { outline: 3px solid #93c5fd; outline-offset: 3px; }
.bubble svg { width: 28px; height: 28px; }
.badge { position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 6px; box-sizing: border-box;
  border-radius: 10px; background: #d92d20; color: #fff; font: 600 12px/20px system-ui, sans-serif; text-align: center; }
.badge[hidden] { display: none; }
.frame { position: fixed; right: 20px; bottom: 92px; z-index: 2147483000; width: 380px; height: min(620px, calc(100vh - 120px));
  border: 0; border-radius: 16px; background: #fff; box-shadow: 0 12px 40px rgba(16,24,40,.28);
  opacity: 0; transform: translateY(12px); pointer-events: none; visibility: hidden;
  transition: opacity .18s ease, transform .18s ease, visibility 0s linear .18s; }
.open .frame { opacity: 1; transform: none; pointer-events: auto; visibility: visible; transition: opacity .18s ease, transform .18s ease; }
@media (max-width: 480px) {
  .frame { right: 0; bottom: 0; width: 100vw; height: 100%; border-radius: 0; }
  .open .bubble { display: none; }
}
@media (prefers-color-scheme: dark) { .frame { background: #14171b; } }
@media (prefers-reduced-motion: reduce) { .frame, .bubble { transition: none; } }
`
  const wrap = document.createElement('div')
  const bubble = document.createElement('button')
  bubble.className = 'bubble'
  bubble.type = 'button'
  bubble.setAttribute('aria-label', openLabel)
  bubble.setAttribute('aria-expanded', 'false')
  bubble.setAttribute('data-testid', 'relevo-bubble')
  const chatIcon =
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>'
  const closeIcon =
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true"><path d="M18 6 6 18M6 6l12 12"/></svg>'
  bubble.innerHTML = chatIcon
  const badge = document.createElement('span')
  badge.className = 'badge'
  badge.hidden = true
  badge.setAttribute('data-testid', 'relevo-badge')
  const frame = document.createElement('iframe')
  frame.className = 'frame'
  frame.title = 'Chat'
  frame.src = `${origin}/widget/?channel=${encodeURIComponent(channel)}`
  frame.setAttribute('data-testid', 'relevo-frame')
  // The closed panel is inert: its fields are out of the Tab order and out
  // of the accessibility tree. (visibility: hidden on the iframe alone does
  // not reach into the framed document, whose fields stayed focusable.)
  const hide = (closed: boolean) => {
    frame.inert = closed
    for (const [k, v] of [['tabindex', '-1'], ['aria-hidden', 'true']]) {
      if (closed) frame.setAttribute(k, v)
      else frame.removeAttribute(k)
    }
  }
  hide(true)
  wrap.append(frame, bubble)
  root.append(style, wrap)

  let open = false
  let unread = 0
  const post = (msg: object) => frame.contentWindow?.postMessage(msg, origin)
  const showBadge = () => {
    badge.textContent = unread > 9 ? '9+' : String(unread)
    badge.hidden = open || unread === 0
    bubble.setAttribute('aria-label', unread && !open ? `${openLabel} (${unread})` : open ? closeLabel : openLabel)
    if (!badge.isConnected) bubble.append(badge)
  }
  const set = (next: boolean) => {
    if (next === open) return
    open = next
    wrap.classList.toggle('open', open)
    bubble.setAttribute('aria-expanded', String(open))
    bubble.innerHTML = open ? closeIcon : chatIcon
    showBadge()
    hide(!open)
    post({ type: open ? 'relevo:open' : 'relevo:closed' })
    if (open) frame.focus()
    else bubble.focus()
  }
  bubble.addEventListener('click', () => set(!open))
  frame.addEventListener('load', () => post({ type: 'relevo:init', user, open }))
  window.addEventListener('message', (e: MessageEvent) => {
    if (e.source !== frame.contentWindow || e.origin !== origin) return
    const m = e.data as PanelMessage
    if (m?.type === 'relevo:ready' && m.color) wrap.style.setProperty('--accent', m.color)
    if (m?.type === 'relevo:unread') {
      unread = Math.max(0, Number(m.count) || 0)
      showBadge()
    }
    if (m?.type === 'relevo:close') set(false)
  })
  w.Relevo = { open: () => set(true), close: () => set(false), toggle: () => set(!open) }
  const mount = () => document.body.append(host)
  if (document.body) mount()
  else document.addEventListener('DOMContentLoaded', mount)
})()
