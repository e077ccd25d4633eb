// The pre-chat form: the channel's fields (name, email), labelled, with
// the required ones checked before the session starts.
import type { Chat } from '../chat'
import { h } from '../dom'
import { t, type Key } from '../i18n'

export class Prechat {
  readonly el = h('form', { class: 'prechat', novalidate: true, 'data-testid': 'widget-prechat' })

  constructor(private chat: Chat) {
    this.el.addEventListener('submit', (e) => {
      e.preventDefault()
      void this.submit()
    })
  }

  render(): void {
    const fields = this.chat.config?.prechat ?? []
    this.el.replaceChildren(h('p', { class: 'intro' }, t('prechatIntro')))
    for (const f of fields) {
      const id = 'prechat-' + f.name
      const label = h('label', { for: id }, t(f.name as Key), f.required ? '' : h('span', { class: 'optional' }, ` (${t('optional')})`))
      const input = h('input', {
        id, name: f.name, type: f.name === 'email' ? 'email' : 'text', required: f.required,
        autocomplete: f.name === 'email' ? 'email' : 'name', 'aria-describedby': id + '-error', maxlength: 200,
      })
      this.el.append(h('div', { class: 'field' }, label, input, h('p', { class: 'field-error', id: id + '-error', role: 'alert' })))
    }
    this.el.append(h('button', { type: 'submit', class: 'primary', 'data-testid': 'widget-start' }, t('start')))
  }

  focus(): void {
    this.el.querySelector('input')?.focus()
  }

  private async submit(): Promise<void> {
    const values: Record<string, string> = {}
    let first: HTMLInputElement | null = null
    for (const input of this.el.querySelectorAll('input')) {
      const v = input.value.trim()
      const err = this.el.querySelector<HTMLElement>('#' + input.id + '-error')!
      let msg = ''
      if (input.required && !v) msg = t('required')
      else if (input.type === 'email' && v && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) msg = t('invalidEmail')
      err.textContent = msg
      input.setAttribute('aria-invalid', msg ? 'true' : 'false')
      if (msg && !first) first = input
      values[input.name] = v
    }
    if (first) {
      first.focus()
      return
    }
    const btn = this.el.querySelector('button')!
    btn.disabled = true
    try {
      await this.chat.startSession({ name: values.name, email: values.email })
    } catch {
      const err = this.el.querySelector<HTMLElement>('.field-error')
      if (err) err.textContent = t('error')
    } finally {
      btn.disabled = false
    }
  }
}
