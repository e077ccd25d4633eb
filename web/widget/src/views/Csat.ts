// The satisfaction survey, under the messages once an agent has resolved
// the conversation and the bot asks (conversation.csat): the question in
// the visitor's language, five buttons with words (not stars alone, so a
// screen reader and a keyboard user rate like anyone), an optional
// comment, then a thank-you. It hides when the survey is closed unanswered.
import type { Chat } from '../chat'
import { h } from '../dom'
import { t, type Key } from '../i18n'

const labels: Key[] = ['csat1', 'csat2', 'csat3', 'csat4', 'csat5']

export class Csat {
  readonly el = h('section', { class: 'csat', 'aria-labelledby': 'csat-question', 'data-testid': 'widget-csat' })
  private score = 0
  private comment = ''
  private sending = false
  private error = ''
  /** shownFor is the conversation the form was drawn for: a new one starts over. */
  private shownFor = ''

  constructor(private chat: Chat) {}

  render(): void {
    const c = this.chat.conversation
    const s = c?.csat
    if (!c || !s || (!s.open && !s.score)) {
      this.el.hidden = true
      this.el.replaceChildren()
      return
    }
    this.el.hidden = false
    if (this.shownFor !== c.id) {
      this.shownFor = c.id
      this.score = 0
      this.comment = ''
      this.error = ''
    }
    if (!s.open) {
      this.el.replaceChildren(h('p', { id: 'csat-question', class: 'csat-thanks', role: 'status' }, t('csatThanks')))
      return
    }
    // Redraw only what changed state; the comment keeps its caret.
    const group = h('div', { class: 'csat-scores', role: 'group', 'aria-labelledby': 'csat-question' },
      ...labels.map((key, i) => h('button', {
        type: 'button', class: 'csat-score', 'aria-pressed': this.score === i + 1 ? 'true' : 'false',
        onclick: () => { this.score = i + 1; this.error = ''; this.render() },
      }, `${i + 1} · ${t(key)}`)))
    const parts: (Node | false)[] = [h('p', { id: 'csat-question', class: 'csat-question' }, s.question), group]
    if (s.ask_comment) {
      const area = h('textarea', { id: 'csat-comment', rows: 2, maxlength: 1000 })
      area.value = this.comment
      area.addEventListener('input', () => { this.comment = area.value })
      parts.push(h('label', { for: 'csat-comment', class: 'csat-label' }, t('csatComment'), h('span', { class: 'optional' }, ` (${t('optional')})`)), area)
    }
    parts.push(h('p', { class: 'field-error', role: 'alert' }, this.error))
    parts.push(h('button', { type: 'button', class: 'primary', disabled: this.sending, onclick: () => void this.submit() }, t('csatSend')))
    const focused = this.el.contains(document.activeElement) ? (document.activeElement as HTMLElement).textContent : null
    this.el.replaceChildren(...parts.filter((p): p is Node => p !== false))
    if (focused) {
      for (const b of this.el.querySelectorAll('button')) if (b.textContent === focused) b.focus()
    }
  }

  private async submit(): Promise<void> {
    if (!this.score) {
      this.error = t('csatPick')
      this.render()
      return
    }
    this.sending = true
    this.render()
    try {
      await this.chat.rate(this.score, this.comment)
      this.error = ''
    } catch {
      this.error = t('error')
    } finally {
      this.sending = false
      this.render()
    }
  }
}
