// The panel's header: the channel's name, where the conversation stands
// (bot, queue, the agent's name, resolved; or the connection when it is
// down), and the close button when embedded.
import type { Chat } from '../chat'
import { h, icon, icons } from '../dom'
import { t } from '../i18n'
import { embedded, toParent } from '../parent'

export class Header {
  readonly el: HTMLElement
  private title = h('h1', { class: 'title', id: 'relevo-title' })
  private status = h('p', { class: 'status', 'data-testid': 'widget-status' })
  private closeBtn = h('button', { type: 'button', class: 'icon-btn close', onclick: () => toParent({ type: 'relevo:close' }) }, icon(icons.close))

  constructor(private chat: Chat) {
    this.el = h('header', { class: 'header' }, h('div', { class: 'avatar', 'aria-hidden': 'true' }), h('div', { class: 'heading' }, this.title, this.status), embedded && this.closeBtn)
  }

  render(): void {
    const c = this.chat
    this.title.textContent = c.config?.name ?? t('chat')
    this.closeBtn.setAttribute('aria-label', t('close'))
    this.closeBtn.title = t('close')
    const avatar = this.el.querySelector('.avatar')
    if (avatar) avatar.textContent = initials(c.config?.name ?? '')
    let status = t('online')
    if (c.conn === 'reconnecting') status = t('reconnecting')
    else if (c.conversation?.phase === 'waiting') status = t('waiting')
    else if (c.conversation?.phase === 'human' && c.conversation.agent) status = t('human', { agent: c.conversation.agent })
    else if (c.conversation?.phase === 'closed') status = t('closed')
    this.status.textContent = status
    this.status.className = 'status ' + (c.conn === 'reconnecting' ? 'warn' : '')
  }
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('')
}
