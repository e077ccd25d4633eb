// The widget's panel: the page inside the loader's iframe (or a page of its
// own at /widget/?channel=ID). It waits briefly for the loader to say who
// the visitor is, then boots the chat and keeps the views in step with it.
import './styles.css'
import { Chat } from './chat'
import { h } from './dom'
import { t } from './i18n'
import { embedded, onParent, toParent, type User } from './parent'
import { Composer } from './views/Composer'
import { Csat } from './views/Csat'
import { CallView } from './views/Call'
import { callOf } from './call'
import { Header } from './views/Header'
import { MessageList } from './views/MessageList'
import { Prechat } from './views/Prechat'
import { onAccent } from '../../realtime/contrast'

const channel = new URLSearchParams(location.search).get('channel') ?? ''
const chat = new Chat(channel)
const header = new Header(chat)
const list = new MessageList(chat)
const composer = new Composer(chat)
const csat = new Csat(chat)
const prechat = new Prechat(chat)
const callView = new CallView(chat, callOf(chat))
const body = h('main', { class: 'body' })
const panel = h('section', { class: 'panel', 'aria-labelledby': 'relevo-title' }, header.el, body)
document.getElementById('app')!.append(panel)

let shown = ''
let lastLang = ''
chat.on(() => {
  const accent = chat.config?.color ?? '#2f6fed'
  document.documentElement.style.setProperty('--accent', accent)
  document.documentElement.style.setProperty('--on-accent', onAccent(accent))
  header.render()
  const langNow = document.documentElement.lang
  if (chat.view !== shown || langNow !== lastLang) {
    shown = chat.view
    lastLang = langNow
    if (chat.view === 'prechat') {
      body.replaceChildren(prechat.el)
      prechat.render()
    } else if (chat.view === 'chat') {
      body.replaceChildren(list.el, callView.el, csat.el, composer.el)
    } else if (chat.view === 'error') {
      body.replaceChildren(h('p', { class: 'fatal', role: 'alert' }, t('error')))
    }
    // A closed panel never takes focus: the visitor is on the host page.
    if (chat.open) focusFirst()
  }
  if (chat.view === 'chat') {
    list.render()
    callView.render()
    csat.render()
    composer.render()
  }
})

/**
 * focusFirst puts the visitor where they type: the pre-chat form's first
 * field or the composer (Close only while nothing else is there yet).
 */
function focusFirst(): void {
  if (chat.view === 'prechat') prechat.focus()
  else if (chat.view === 'chat') composer.focus()
  else panel.querySelector<HTMLElement>('button')?.focus()
}

let user: User | undefined
const ready = new Promise<void>((resolve) => {
  if (!embedded) return resolve()
  onParent((msg) => {
    switch (msg.type) {
      case 'relevo:init':
        user = msg.user
        if (msg.open) chat.setOpen(true)
        resolve()
        break
      case 'relevo:open':
        chat.setOpen(true)
        focusFirst()
        break
      case 'relevo:closed':
        chat.setOpen(false)
        break
    }
  })
  setTimeout(resolve, 1500) // a loader that never says: the visitor is anonymous
})

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && embedded) toParent({ type: 'relevo:close' })
})
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && chat.open) chat.setOpen(true) // clears the unread count
})

void ready.then(async () => {
  await chat.boot(user ?? {})
  toParent({ type: 'relevo:ready', color: chat.config?.color ?? '', title: chat.config?.name ?? '' })
})
