// The visitor's side of calls: the shared call session (web/realtime/call)
// on the chat's socket, with the ICE configuration read with the visitor's
// token. A call's end is a line in the feed, in the visitor's language.
import { CallSession } from '../../realtime/call/session'
import { fetchIce } from '../../realtime/call/ice'
import type { CallView } from '../../realtime/frames'
import type { Chat } from './chat'
import { t } from './i18n'
import { toParent } from './parent'

export function callOf(chat: Chat): CallSession {
  const call = new CallSession({
    me: 'customer',
    send: (f) => chat.socket.send(f),
    ice: () => fetchIce('/widget/v1/calls/ice', { Authorization: 'Bearer ' + (chat.api.token ?? '') }),
  })
  chat.socket.on((f) => {
    call.handle(f)
    if (f.type === 'call.ringing' && (!chat.open || document.hidden)) {
      // The bubble's badge tells a visitor whose panel is closed.
      chat.unread++
      toParent({ type: 'relevo:unread', count: chat.unread })
    }
    if (f.type === 'call.state') endLine(chat, f.data as CallView)
  })
  let shown = ''
  call.onChange(() => {
    if (call.error && call.error !== shown) chat.flash(t('callFailed'))
    shown = call.error
    chat.emit()
  })
  return call
}

/** endLine writes how a call ended into the feed, once per call. */
function endLine(chat: Chat, v: CallView): void {
  const secs = v.answered_at && v.ended_at ? Math.max(0, Math.floor((Date.parse(v.ended_at) - Date.parse(v.answered_at)) / 1000)) : 0
  const text = callLine('call_' + v.state, secs)
  if (text) chat.note(callKey(v.id), text)
}

/** callKey is the feed's key of a call's end line, live or read back. */
export function callKey(id: string): string {
  return 'call:' + id
}

/**
 * callLine is how a call ended, in the visitor's words: the same line for
 * the live call.state and for the call event in the history (event
 * call_ended, call_declined, call_missed or call_cancelled); '' otherwise.
 */
export function callLine(event: string, secs: number): string {
  switch (event) {
    case 'call_ended':
      return t('callEnded', { duration: `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}` })
    case 'call_declined':
      return t('callDeclined')
    case 'call_missed':
      return t('callMissed')
    case 'call_cancelled':
      return t('callCancelled')
  }
  return ''
}
