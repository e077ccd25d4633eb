// The console's side of calls: one call session per tab (web/realtime/call)
// on the tab's socket, mirrored into a reactive object the call components
// read. An incoming call rings (the session's WebAudio ring) and, while the
// tab is in the background, raises a browser notification.
import { markRaw, reactive } from 'vue'
import { CallSession } from '../../../realtime/call/session'
import type { CallView } from '../../../realtime/frames'
import { fetchIce } from '../../../realtime/call/ice'
import type { CallMedia } from '../../../realtime/frames'
import { api } from '../api/client'
import { serverNow } from '../lib/clock'
import { i18n } from '../i18n'
import { socket } from './session'
import { alerts } from './notify'
import { toast } from './toasts'

export const call = new CallSession({
  me: 'agent',
  send: (f) => socket.call(f),
  ice: () => fetchIce('/api/v1/calls/ice'),
  now: serverNow,
})

/** callState is what the screens show of the call. */
export const callState = reactive({
  view: null as CallView | null,
  phase: call.phase,
  muted: false,
  cameraOn: false,
  remoteVideo: false,
  hasCamera: false,
  stats: { audioBytes: 0, videoFrames: 0, pair: '' },
  conn: '' as string,
  error: '',
  /** customer is the name of the customer on the line; botId the conversation's bot. */
  customer: '',
  botId: '',
  /** local and remote change identity only when the call does (markRaw: Vue must not proxy streams). */
  local: null as MediaStream | null,
  remote: null as MediaStream | null,
})

call.onChange(() => {
  const was = callState.view?.id
  callState.view = call.view
  callState.phase = call.phase
  callState.muted = call.muted
  callState.cameraOn = call.cameraOn
  callState.remoteVideo = call.remoteVideo
  callState.hasCamera = !!call.local?.getVideoTracks().length
  callState.conn = call.conn
  callState.stats = call.now
  if (call.error && call.error !== callState.error) {
    const key = 'call.errors.' + call.error
    toast(i18n.global.te(key) ? i18n.global.t(key) : i18n.global.t('call.errors.other'), 'error')
  }
  callState.error = call.error
  callState.local = call.local && markRaw(call.local)
  callState.remote = call.remote && markRaw(call.remote)
  if (call.view && call.view.id !== was) void nameCustomer(call.view)
  if (!call.view) callState.customer = ''
})

socket.on((f) => {
  call.handle(f)
})

export function startCall(conversationId: string, media: CallMedia): void {
  void call.start(conversationId, media)
}

async function nameCustomer(v: CallView): Promise<void> {
  callState.customer = ''
  try {
    const c = await api.get('/api/v1/conversations/{id}', { path: { id: v.conversation_id } })
    if (call.view?.id !== v.id) return
    callState.customer = c.contact.name || c.contact.phone || ''
    callState.botId = c.bot_id
  } catch {
    // the prompt says "a customer"
  }
  if (call.phase === 'incoming') notifyIncoming(v)
}

/** notifyIncoming raises a browser notification while the tab is in the background. */
function notifyIncoming(v: CallView): void {
  if ((document.visibilityState === 'visible' && document.hasFocus()) || alerts.permission !== 'granted') return
  const t = i18n.global.t
  try {
    const n = new Notification(t('call.incomingTitle'), {
      body: t(v.media === 'video' ? 'call.incomingVideo' : 'call.incomingAudio', { name: callState.customer || t('call.aCustomer') }),
      tag: 'call-' + v.id,
      requireInteraction: true,
    })
    n.onclick = () => {
      window.focus()
      n.close()
    }
    const off = call.onEnd(() => {
      n.close()
      off()
    })
  } catch {
    // some browsers allow notifications only from a service worker
  }
}
