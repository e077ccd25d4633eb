// The composer: Enter sends; Ctrl+Enter and Shift+Enter break the line (the
// console's rule too, so agents and customers type alike); a paper clip
// attaches a file; a smiley opens the emoji picker; typing is announced to
// the agent (throttled).
import type { Chat } from '../chat'
import { h, icon, icons } from '../dom'
import { t } from '../i18n'
import { EmojiPicker } from './Emoji'

export class Composer {
  readonly el: HTMLFormElement
  private input = h('textarea', { id: 'relevo-composer', rows: 1, maxlength: 4096, 'data-testid': 'widget-composer' })
  private label = h('label', { for: 'relevo-composer', class: 'visually-hidden' })
  private file = h('input', { type: 'file', class: 'visually-hidden', tabindex: -1, 'aria-hidden': 'true' })
  private attachBtn = h('button', { type: 'button', class: 'icon-btn attach', onclick: () => this.file.click() }, icon(icons.clip))
  private sendBtn = h('button', { type: 'submit', class: 'icon-btn send', 'data-testid': 'widget-send' }, icon(icons.send))
  private notice = h('p', { class: 'notice', role: 'status' })
  private emoji = new EmojiPicker((e) => this.insert(e))

  constructor(private chat: Chat) {
    this.el = h('form', { class: 'composer' }, this.notice, h('div', { class: 'row' }, this.label, this.attachBtn, this.emoji.toggle, this.input, this.sendBtn, this.file), this.emoji.el)
    this.el.addEventListener('submit', (e) => {
      e.preventDefault()
      this.submit()
    })
    this.input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || e.isComposing) return
      if (e.ctrlKey || e.metaKey) {
        // Browsers do nothing with Ctrl+Enter in a textarea: break the line here.
        e.preventDefault()
        this.insert('\n')
      } else if (!e.shiftKey && !e.altKey) {
        e.preventDefault()
        this.submit()
      }
    })
    this.input.addEventListener('input', () => {
      this.grow()
      if (this.input.value.trim()) chat.typed()
    })
    this.file.addEventListener('change', () => {
      const f = this.file.files?.[0]
      if (f) chat.sendFile(f)
      this.file.value = ''
    })
  }

  render(): void {
    this.label.textContent = t('message')
    this.input.placeholder = t(this.chat.conversation?.phase === 'closed' ? 'placeholderNew' : 'placeholder')
    this.attachBtn.setAttribute('aria-label', t('attach'))
    this.attachBtn.title = t('attach')
    this.sendBtn.setAttribute('aria-label', t('send'))
    this.sendBtn.title = t('send')
    this.emoji.render()
    this.notice.textContent = this.chat.notice
    this.notice.hidden = !this.chat.notice
  }

  focus(): void {
    this.input.focus()
  }

  /** insert puts s at the caret (over the selection), as if typed. */
  private insert(s: string): void {
    const el = this.input
    el.focus()
    el.setRangeText(s, el.selectionStart, el.selectionEnd, 'end')
    el.dispatchEvent(new Event('input'))
  }

  private submit(): void {
    const text = this.input.value.trim()
    if (!text) return
    this.chat.send(text)
    this.input.value = ''
    this.grow()
    this.input.focus()
  }

  private grow(): void {
    this.input.style.height = 'auto'
    this.input.style.height = Math.min(this.input.scrollHeight, 120) + 'px'
  }
}
