// The call in the panel: the call buttons (when the bot lets customers
// call and an agent holds the conversation), the ring prompt when the
// agent calls (an alert dialog with Accept and Decline, in the visitor's
// language), "Calling…" with Cancel, and the call itself: the agent's
// video when there is one, the visitor's preview, the timer, Mute,
// Camera, Switch to video and Hang up. The remote stream plays in one
// <video>, hidden on audio calls.
import type { CallSession } from '../../../realtime/call/session'
import type { Chat } from '../chat'
import { h } from '../dom'
import { t } from '../i18n'

export class CallView {
  readonly el = h('section', { class: 'call', 'data-testid': 'widget-call' })
  private remote = h('video', { class: 'remote', autoplay: true, playsinline: true })
  private local = h('video', { class: 'local', autoplay: true, playsinline: true, muted: true })
  private timer = h('span', { class: 'timer', 'data-testid': 'widget-call-timer' })
  private conn = h('span', { class: 'conn', 'data-testid': 'widget-call-connection' })
  private shownPhase = ''
  private tick: ReturnType<typeof setInterval> | undefined

  constructor(private chat: Chat, private call: CallSession) {
    this.local.muted = true // never hear yourself
  }

  render(): void {
    const c = this.call
    const agent = this.chat.conversation?.agent || t('chat')
    const key = [c.phase, c.muted, c.cameraOn, c.remoteVideo, !!c.local?.getVideoTracks().length, c.conn, this.allowed(), document.documentElement.lang].join('|')
    this.streams()
    this.indicator()
    if (key === this.shownPhase) return
    this.shownPhase = key
    clearInterval(this.tick)
    this.el.hidden = false
    this.el.removeAttribute('role')
    this.el.removeAttribute('aria-labelledby')
    if (c.phase === 'incoming' && c.view) {
      const title = h('h2', { id: 'relevo-call-title' }, t('callIncoming'))
      this.el.className = 'call ringing'
      this.el.setAttribute('role', 'alertdialog')
      this.el.setAttribute('aria-labelledby', 'relevo-call-title')
      this.el.replaceChildren(
        title,
        h('p', {}, t(c.view.media === 'video' ? 'callIncomingVideo' : 'callIncomingAudio', { agent })),
        h('div', { class: 'call-row' },
          h('button', { type: 'button', class: 'decline', onclick: () => c.decline() }, t('callDecline')),
          h('button', { type: 'button', class: 'accept', onclick: () => c.accept() }, t('callAccept')),
        ),
      )
      if (this.chat.open) this.el.querySelector<HTMLButtonElement>('.accept')?.focus()
      return
    }
    if (c.phase === 'idle') {
      const mode = this.allowed()
      this.el.className = 'call idle'
      this.el.hidden = !mode
      this.el.replaceChildren(
        ...(mode
          ? [
              h('button', { type: 'button', class: 'start', onclick: () => this.start('audio') }, t('callAudio')),
              mode === 'video' ? h('button', { type: 'button', class: 'start', onclick: () => this.start('video') }, t('callVideo')) : null,
            ].filter((x): x is HTMLButtonElement => !!x)
          : []),
      )
      this.el.setAttribute('aria-label', t('callRegion'))
      return
    }
    this.el.className = 'call live' + (c.remoteVideo ? ' video' : '')
    this.el.setAttribute('aria-label', t('callRegion'))
    this.remote.setAttribute('aria-label', t('callRemoteVideo', { agent }))
    this.local.setAttribute('aria-label', t('callLocalVideo'))
    this.remote.hidden = !c.remoteVideo
    const hasCam = !!c.local?.getVideoTracks().length
    this.local.hidden = !(hasCam && c.cameraOn)
    const status = c.phase === 'outgoing' ? t('callCalling') : c.phase === 'connecting' ? t('callConnecting') : t('callConnected')
    const controls = h('div', { class: 'call-row', role: 'toolbar', 'aria-label': t('callControls') })
    if (c.phase !== 'outgoing') {
      controls.append(h('button', { type: 'button', 'aria-pressed': String(c.muted), onclick: () => c.toggleMute() }, c.muted ? t('callUnmute') : t('callMute')))
      if (hasCam) controls.append(h('button', { type: 'button', 'aria-pressed': String(!c.cameraOn), onclick: () => void c.toggleCamera() }, c.cameraOn ? t('callCameraOff') : t('callCameraOn')))
      else if (this.chat.config?.calls.mode === 'video') controls.append(h('button', { type: 'button', onclick: () => void c.toggleCamera() }, t('callSwitchVideo')))
    }
    controls.append(h('button', { type: 'button', class: 'decline', onclick: () => c.hangup() }, c.phase === 'outgoing' ? t('callCancel') : t('callHangUp')))
    this.el.replaceChildren(
      h('div', { class: 'media' }, this.remote, this.local),
      h('p', { class: 'call-status' }, h('span', { role: 'status' }, status), ' ', this.timer, ' ', this.conn, c.conn === 'failed' || c.conn === 'disconnected' ? h('span', { class: 'warn', role: 'alert' }, t('callTrouble')) : null),
      controls,
    )
    this.timer.setAttribute('aria-label', t('callTime'))
    const show = () => {
      const s = c.elapsed()
      this.timer.textContent = c.view?.answered_at ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}` : ''
    }
    show()
    this.tick = setInterval(show, 1000)
  }

  /** allowed is the media the visitor may call with now ('' for none). */
  private allowed(): '' | 'audio' | 'video' {
    const calls = this.chat.config?.calls
    const conv = this.chat.conversation
    if (!calls || calls.mode === 'off' || !calls.customer_may_start || conv?.phase !== 'human') return ''
    return calls.mode
  }

  private start(media: 'audio' | 'video'): void {
    const conv = this.chat.conversation
    if (conv) void this.call.start(conv.id, media)
  }

  /** indicator shows how the call is connected; its data attributes carry what it receives. */
  private indicator(): void {
    const s = this.call.now
    this.conn.hidden = !s.pair
    this.conn.textContent = s.pair === 'relay' ? t('callRelayed') : t('callDirect')
    this.conn.dataset.audioBytes = String(s.audioBytes)
    this.conn.dataset.videoFrames = String(s.videoFrames)
    this.conn.dataset.pair = s.pair
  }

  /** streams keeps the video elements on the call's streams. */
  private streams(): void {
    if (this.remote.srcObject !== this.call.remote) this.remote.srcObject = this.call.remote
    if (this.local.srcObject !== this.call.local) this.local.srcObject = this.call.local
  }
}
