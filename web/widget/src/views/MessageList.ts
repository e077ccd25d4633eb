// The conversation: the greeting, the messages (the visitor's on the right;
// the bot's and agents' on the left under their names; notices such as
// "You are being transferred to Agent …" and "Resolved" as system lines),
// images inline and other files as links, quick replies under the latest
// bot message, and the typing line. Rendering is keyed: a message's node is
// rebuilt only when what it shows changed, so images are not reloaded.
import type { Chat, UiMessage } from '../chat'
import { h, icon, icons } from '../dom'
import { download, formatSize, objectURL } from '../files'
import { lang, t } from '../i18n'
import { linkify } from '../../../console/src/lib/linkify'

interface Row {
  sig: string
  el: HTMLElement
}

export class MessageList {
  readonly el: HTMLElement
  private list = h('ol', { class: 'messages' })
  // The log role goes on a wrapper: on the <ol> itself it would replace the
  // list's role, and its items would no longer be a list.
  private log = h('div', { role: 'log', 'aria-live': 'polite', 'data-testid': 'widget-messages' }, this.list)
  private greeting = h('li', { class: 'greeting' })
  private replies = h('div', { class: 'quick-replies', role: 'group', 'data-testid': 'widget-quick-replies' })
  private typing = h('p', { class: 'typing', 'aria-live': 'polite', 'data-testid': 'widget-typing' })
  private rows = new Map<string, Row>()
  private repliesFor = ''

  constructor(private chat: Chat) {
    this.el = h('div', { class: 'scroller', tabindex: 0 }, this.log, this.replies, this.typing)
    this.list.append(this.greeting)
  }

  render(): void {
    const c = this.chat
    const nearBottom = this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight < 80
    this.log.setAttribute('aria-label', t('messages'))
    this.greeting.textContent = c.config?.greeting || t('empty')
    const msgs = c.list()
    const seen = new Set<string>()
    let prev: UiMessage | null = null
    let at: Element = this.greeting
    for (const m of msgs) {
      const showName = m.author.type !== 'contact' && m.author.type !== 'system' && (prev?.author.type !== m.author.type || prev?.author.name !== m.author.name)
      const sig = JSON.stringify([m.id, m.text, m.local, m.status, showName, m.attachments.map((a) => a.id), m.error])
      let row = this.rows.get(m.key)
      if (!row || row.sig !== sig) {
        const el = this.row(m, showName)
        row?.el.replaceWith(el)
        row = { sig, el }
        this.rows.set(m.key, row)
      }
      if (at.nextElementSibling !== row.el) at.after(row.el)
      at = row.el
      seen.add(m.key)
      prev = m
    }
    for (const [k, r] of this.rows) {
      if (!seen.has(k)) {
        r.el.remove()
        this.rows.delete(k)
      }
    }
    this.renderReplies(prev)
    this.typing.textContent = c.typing !== null ? t('typing', { name: c.typing || '…' }) : ''
    this.typing.hidden = c.typing === null
    if (nearBottom) this.el.scrollTop = this.el.scrollHeight
  }

  /** renderReplies offers the latest message's quick replies, until answered. */
  private renderReplies(last: UiMessage | null): void {
    const buttons = last && last.author.type !== 'contact' ? last.buttons ?? [] : []
    const key = buttons.length ? last!.key : ''
    this.replies.setAttribute('aria-label', t('quickReplies'))
    this.replies.hidden = !buttons.length
    if (key === this.repliesFor) return
    this.repliesFor = key
    this.replies.replaceChildren(
      ...buttons.map((b) => h('button', { type: 'button', class: 'reply', onclick: () => this.chat.send(b.title, b.id) }, b.title)),
    )
  }

  private row(m: UiMessage, showName: boolean): HTMLElement {
    const who = m.author.type
    if (who === 'system') {
      return h('li', { class: 'system', 'data-testid': 'widget-notice' }, h('span', {}, m.text))
    }
    const media = !m.text && m.attachments.length > 0 && m.attachments.every((a) => a.url && a.mime.startsWith('image/'))
    const body = h('div', { class: media ? 'bubble media' : 'bubble' })
    for (const a of m.attachments) body.append(this.attachment(a, m))
    if (m.text) body.append(text(m.text))
    const meta = h('p', { class: 'meta' })
    if (m.local === 'sending') meta.textContent = t('sending')
    else if (m.local === 'failed') {
      meta.append(h('span', { class: 'failed' }, m.error ?? t('failed')), ' ', h('button', { type: 'button', class: 'link', onclick: () => m.retry?.() }, t('retry')))
    } else meta.textContent = time(m.created_at)
    return h(
      'li',
      { class: `msg ${who === 'contact' ? 'mine' : 'theirs'} ${who}`, 'data-testid': 'widget-msg-' + who, 'data-status': m.local ?? m.status },
      showName ? h('p', { class: 'name' }, m.author.name) : null,
      body,
      meta,
    )
  }

  private attachment(a: UiMessage['attachments'][number], m: UiMessage): HTMLElement {
    if (!a.url) {
      // Still uploading.
      return h('p', { class: 'file pending' }, icon(icons.file), h('span', {}, a.name), h('span', { class: 'size' }, m.local === 'sending' ? t('uploading') : formatSize(a.size)))
    }
    if (a.mime.startsWith('image/')) {
      const img = h('img', { alt: a.name, class: 'image', loading: 'lazy' })
      objectURL(this.chat.api, a.url).then((u) => (img.src = u), () => img.replaceWith(this.fileLink(a)))
      return h('figure', {}, img)
    }
    if (a.mime.startsWith('audio/')) {
      // Voice messages and audio play in place, from the same blob: URL.
      const audio = h('audio', { class: 'audio', controls: true, preload: 'metadata', 'aria-label': a.name })
      objectURL(this.chat.api, a.url).then((u) => (audio.src = u), () => audio.replaceWith(this.fileLink(a)))
      return audio
    }
    return this.fileLink(a)
  }

  private fileLink(a: UiMessage['attachments'][number]): HTMLElement {
    return h(
      'a',
      {
        href: '#', class: 'file', 'aria-label': t('download', { name: a.name }),
        onclick: (e: Event) => {
          e.preventDefault()
          void download(this.chat.api, a.url, a.name)
        },
      },
      icon(icons.file),
      h('span', {}, a.name),
      h('span', { class: 'size' }, formatSize(a.size)),
    )
  }
}

/** text shows a message's words with its http(s) links clickable, never as HTML. */
function text(s: string): HTMLElement {
  const pieces = linkify(s).map((p) => (p.href ? h('a', { href: p.href, target: '_blank', rel: 'noopener noreferrer' }, p.text) : p.text))
  return h('p', { class: 'text' }, ...pieces)
}

function time(iso: string): string {
  try {
    return new Intl.DateTimeFormat(lang(), { hour: 'numeric', minute: '2-digit' }).format(new Date(iso))
  } catch {
    return ''
  }
}
