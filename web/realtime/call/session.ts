// One call, on the socket's call frames (docs/realtime.md "Calls"): shared
// by the console and the widget, no framework. It keeps the call's view
// as the server sends it, gets the microphone (and camera), makes the peer
// connection with the ICE configuration fetched right before, and carries
// the WebRTC signalling over call.signal.
//
// Who offers: the caller, once the call is accepted (the server relays
// signals only then, so nothing reaches the callee's browser before it
// accepts). Later offers (switching to video, turning a camera on) come
// from whichever side adds a track, with the "perfect negotiation"
// pattern: the customer is the polite peer (it yields on glare), the
// agent the impolite one. A WhatsApp call (via 'whatsapp') is the other
// way round: Meta offers, the console answers once ICE gathering is done,
// with the candidates inside the SDP, and sends no ice frames.
import type { CallMedia, CallParty, CallSignal, CallView, ErrorFrame, Frame, FrameType, SignalKind } from '../frames'
import { Ringer } from './ring'
import { readStats, type CallStats } from './stats'

/** OutFrame is a call frame this side sends. */
export interface OutFrame {
  type: FrameType
  conversation_id?: string
  call_id?: string
  media?: CallMedia
  kind?: SignalKind
  sdp?: string
  candidate?: unknown
}

export interface CallDeps {
  /** me is this side: the agent in the console, the customer in the widget. */
  me: CallParty
  send(f: OutFrame): boolean
  /** ice reads the ICE configuration (fresh TURN credentials). */
  ice(): Promise<RTCConfiguration>
  /** now is the server's time in ms (the call timer counts from answered_at). */
  now?: () => number
}

/** CallPhase is where this side stands. */
export type CallPhase = 'idle' | 'incoming' | 'outgoing' | 'connecting' | 'connected'

/** GATHER_CAP bounds the wait for ICE gathering before a WhatsApp answer. */
const GATHER_CAP = 3000

const LIVE = new Set(['ringing', 'accepted'])

export class CallSession {
  view: CallView | null = null
  phase: CallPhase = 'idle'
  local: MediaStream | null = null
  remote: MediaStream | null = null
  muted = false
  cameraOn = false
  remoteVideo = false
  /** error is the last refusal's stable code (calls_off, call_in_progress, media, …). */
  error = ''
  /** conn is the peer connection's state ('' without one). */
  conn: RTCPeerConnectionState | '' = ''
  /** now is what the call carries, read every second while connected (the connection indicator). */
  now: CallStats = { audioBytes: 0, videoFrames: 0, pair: '' }
  private statsTimer: ReturnType<typeof setInterval> | undefined
  private pc: RTCPeerConnection | null = null
  private starting = false
  /** cancelled: hung up before the server named the call, which is hung up once named. */
  private cancelled = false
  private mine = false
  private pending: RTCIceCandidateInit[] = []
  private ready: Promise<void> = Promise.resolve()
  private chain: Promise<void> = Promise.resolve()
  private makingOffer = false
  private negotiated = false
  private gen = 0
  private readonly ringer = new Ringer()
  private readonly changes = new Set<() => void>()
  private readonly ends = new Set<(v: CallView) => void>()

  constructor(private readonly deps: CallDeps) {}

  onChange(fn: () => void): () => void {
    this.changes.add(fn)
    return () => this.changes.delete(fn)
  }

  /** onEnd hears every call this side saw end, with its last view. */
  onEnd(fn: (v: CallView) => void): () => void {
    this.ends.add(fn)
    return () => this.ends.delete(fn)
  }

  get caller(): boolean {
    return this.view?.started_by === this.deps.me
  }

  get whatsapp(): boolean {
    return this.view?.via === 'whatsapp'
  }

  /** elapsed is the talk time in whole seconds (0 before the answer). */
  elapsed(): number {
    const at = this.view?.answered_at
    if (!at) return 0
    const now = this.deps.now?.() ?? Date.now()
    return Math.max(0, Math.floor((now - Date.parse(at)) / 1000))
  }

  stats(): Promise<CallStats> {
    return readStats(this.pc)
  }

  /** handle takes any socket frame; it reports whether it was a call's. */
  handle(f: Frame): boolean {
    switch (f.type) {
      case 'call.ringing':
        this.ringing(f.data as CallView)
        return true
      case 'call.state':
        this.state(f.data as CallView)
        return true
      case 'call.signal': {
        const s = f.data as CallSignal
        if (this.mine && s.call_id === this.view?.id && s.from !== this.deps.me) this.queue(() => this.signal(s))
        return true
      }
      case 'error':
        // A refused call.start: nothing started, the media goes.
        if (this.starting) {
          this.error = (f.data as ErrorFrame).code
          this.reset()
          return true
        }
        return false
    }
    return false
  }

  /** start calls the other side with media; the microphone (camera) first. */
  async start(conversationId: string, media: CallMedia): Promise<void> {
    if (this.phase !== 'idle') return
    this.error = ''
    this.cancelled = false
    this.phase = 'outgoing'
    this.starting = true
    const gen = ++this.gen
    this.emit()
    try {
      await this.getMedia(media === 'video')
    } catch {
      if (gen === this.gen) {
        this.error = 'media'
        this.reset()
      }
      return
    }
    if (gen !== this.gen) return
    if (!this.deps.send({ type: 'call.start', conversation_id: conversationId, media })) {
      this.error = 'offline'
      this.reset()
    }
  }

  /** accept answers the ringing call: the media and the connection get ready while the caller offers. */
  accept(): void {
    const v = this.view
    if (this.phase !== 'incoming' || !v) return
    this.ringer.stop()
    this.mine = true
    this.phase = 'connecting'
    this.deps.send({ type: 'call.accept', call_id: v.id })
    this.ready = this.prepare(v.media === 'video')
    this.emit()
  }

  decline(): void {
    const v = this.view
    if (this.phase !== 'incoming' || !v) return
    this.deps.send({ type: 'call.decline', call_id: v.id })
    this.finish()
  }

  /** hangup ends the call (while ringing: cancels it). */
  hangup(): void {
    const v = this.view
    if (!v || !this.mine) {
      if (this.starting) this.cancelled = true
      if (this.phase === 'outgoing') this.reset()
      return
    }
    this.deps.send({ type: 'call.hangup', call_id: v.id })
    this.finish()
  }

  toggleMute(): void {
    this.muted = !this.muted
    for (const t of this.local?.getAudioTracks() ?? []) t.enabled = !this.muted
    this.emit()
  }

  /**
   * toggleCamera turns the camera off and on; on an audio call it is the
   * switch to video: the camera is added and this side offers again.
   */
  async toggleCamera(): Promise<void> {
    const cam = this.local?.getVideoTracks()[0]
    if (cam) {
      this.cameraOn = !this.cameraOn
      cam.enabled = this.cameraOn
      this.emit()
      return
    }
    if (!this.pc || !this.local || this.whatsapp) return
    const gen = this.gen
    let track: MediaStreamTrack
    try {
      track = (await navigator.mediaDevices.getUserMedia({ video: true })).getVideoTracks()[0]
    } catch {
      this.error = 'media'
      this.emit()
      return
    }
    if (gen !== this.gen || !this.pc) return void track.stop()
    this.local.addTrack(track)
    this.cameraOn = true
    // The other side may have sent video already: its transceiver takes ours.
    const free = this.pc.getTransceivers().find((t) => t.receiver.track.kind === 'video' && !t.sender.track && t.currentDirection !== 'stopped')
    if (free) {
      await free.sender.replaceTrack(track)
      free.direction = 'sendrecv' // a direction change needs negotiation: this side offers
    } else {
      this.pc.addTrack(track, this.local)
    }
    this.emit()
  }

  private ringing(v: CallView): void {
    if (this.phase !== 'idle' || v.state !== 'ringing') return // busy: the other call rings out
    this.view = v
    this.mine = false
    this.phase = 'incoming'
    this.ringer.start()
    this.emit()
  }

  private state(v: CallView): void {
    if (this.cancelled && !this.view && v.started_by === this.deps.me && v.state === 'ringing') {
      this.cancelled = false
      this.deps.send({ type: 'call.hangup', call_id: v.id })
      return
    }
    if (!this.view && this.starting && v.started_by === this.deps.me && v.state === 'ringing') {
      this.view = v
      this.starting = false
      this.mine = true
      this.emit()
      return
    }
    if (!this.view || v.id !== this.view.id) return
    this.view = { ...v, via: v.via ?? this.view.via }
    if (!LIVE.has(v.state)) return this.finish()
    if (v.state === 'accepted') {
      this.ringer.stop()
      if (!this.mine) return this.reset() // answered in another tab
      if (this.caller && this.phase === 'outgoing') {
        this.phase = 'connecting'
        this.ready = this.prepare(false)
      }
    }
    this.emit()
  }

  /** prepare gets the media (the callee's: the caller has it) and makes the peer connection. */
  private async prepare(video: boolean): Promise<void> {
    const gen = this.gen
    try {
      if (!this.local) await this.getMedia(video)
      const config = await this.deps.ice()
      if (gen !== this.gen) return
      this.connect(config)
    } catch {
      if (gen !== this.gen) return
      this.error = 'media'
      this.hangup()
    }
  }

  private connect(config: RTCConfiguration): void {
    const pc = new RTCPeerConnection(config)
    this.pc = pc
    this.remote = new MediaStream()
    pc.ontrack = (e) => {
      this.remote?.addTrack(e.track)
      if (e.track.kind === 'video') this.remoteVideo = true
      e.track.onunmute = () => this.emit()
      this.emit()
    }
    pc.onicecandidate = (e) => {
      // WhatsApp takes the candidates inside the answer's SDP only.
      if (e.candidate && !this.whatsapp && this.view) {
        this.deps.send({ type: 'call.signal', call_id: this.view.id, kind: 'ice', candidate: e.candidate.toJSON() })
      }
    }
    pc.onconnectionstatechange = () => {
      this.conn = pc.connectionState
      if (pc.connectionState === 'connected') this.phase = 'connected'
      this.emit()
    }
    pc.onnegotiationneeded = () => this.queue(() => this.offer())
    this.statsTimer = setInterval(() => {
      void readStats(pc).then((s) => {
        if (this.pc !== pc) return
        this.now = s
        this.emit()
      })
    }, 1000)
    this.conn = pc.connectionState
    // The caller sends its tracks now (its offer follows); the callee
    // attaches them to the offer's transceivers when the offer comes.
    if (this.caller) this.attach()
  }

  /** offer sends this side's offer: the caller's first, or a renegotiation. */
  private async offer(): Promise<void> {
    const pc = this.pc
    if (!pc || !this.view || this.whatsapp || (!this.caller && !this.negotiated)) return
    try {
      this.makingOffer = true
      await pc.setLocalDescription()
      if (pc.localDescription) this.deps.send({ type: 'call.signal', call_id: this.view.id, kind: 'offer', sdp: pc.localDescription.sdp })
    } finally {
      this.makingOffer = false
    }
  }

  private async signal(s: CallSignal): Promise<void> {
    await this.ready
    const pc = this.pc
    if (!pc || !this.view) return
    if (s.kind === 'ice') {
      const c = s.candidate as RTCIceCandidateInit
      if (!pc.remoteDescription) this.pending.push(c)
      else await pc.addIceCandidate(c).catch(() => undefined) // a candidate of an offer ignored on glare
      return
    }
    if (s.kind === 'answer') {
      if (pc.signalingState !== 'have-local-offer') return
      await pc.setRemoteDescription({ type: 'answer', sdp: s.sdp })
    } else {
      const glare = this.makingOffer || pc.signalingState !== 'stable'
      if (glare && this.deps.me === 'agent') return // the impolite side keeps its own offer
      await pc.setRemoteDescription({ type: 'offer', sdp: s.sdp }) // rolls back our offer on glare
      if (!this.negotiated) this.attach()
      await pc.setLocalDescription(await pc.createAnswer())
      if (this.whatsapp) await gathered(pc)
      this.deps.send({ type: 'call.signal', call_id: this.view.id, kind: 'answer', sdp: pc.localDescription!.sdp })
    }
    this.negotiated = true
    for (const c of this.pending.splice(0)) await pc.addIceCandidate(c).catch(() => undefined)
  }

  /** attach puts the local tracks on the connection, reusing the offer's transceivers. */
  private attach(): void {
    const pc = this.pc
    if (!pc || !this.local) return
    for (const track of this.local.getTracks()) {
      const t = pc.getTransceivers().find((x) => x.receiver.track.kind === track.kind && !x.sender.track && x.currentDirection !== 'stopped')
      if (t && !this.caller) {
        void t.sender.replaceTrack(track)
        t.direction = 'sendrecv'
        t.sender.setStreams?.(this.local)
      } else {
        pc.addTrack(track, this.local)
      }
    }
  }

  private async getMedia(video: boolean): Promise<void> {
    const gen = this.gen
    const m = await navigator.mediaDevices.getUserMedia({ audio: true, video })
    if (gen !== this.gen) {
      for (const t of m.getTracks()) t.stop()
      return
    }
    this.local = m
    this.cameraOn = video
    this.muted = false
    this.emit()
  }

  /** queue runs signalling steps one at a time, in order. */
  private queue(step: () => Promise<void>): void {
    const gen = this.gen
    this.chain = this.chain.then(() => (gen === this.gen ? step() : undefined)).catch(() => undefined)
  }

  /** finish ends this side's call and tells who listens. */
  private finish(): void {
    const v = this.view
    this.reset()
    if (v) for (const fn of this.ends) fn(v)
  }

  private reset(): void {
    this.gen++
    this.ringer.stop()
    clearInterval(this.statsTimer)
    this.now = { audioBytes: 0, videoFrames: 0, pair: '' }
    this.pc?.close()
    this.pc = null
    for (const t of this.local?.getTracks() ?? []) t.stop()
    this.local = null
    this.remote = null
    this.view = null
    this.phase = 'idle'
    this.starting = false
    this.mine = false
    this.pending = []
    this.negotiated = false
    this.makingOffer = false
    this.remoteVideo = false
    this.cameraOn = false
    this.muted = false
    this.conn = ''
    this.emit()
  }

  private emit(): void {
    for (const fn of this.changes) fn()
  }
}

/** gathered waits for ICE gathering to complete, at most GATHER_CAP. */
function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      pc.removeEventListener('icegatheringstatechange', check)
      resolve()
    }
    const check = () => pc.iceGatheringState === 'complete' && done()
    const timer = setTimeout(done, GATHER_CAP)
    pc.addEventListener('icegatheringstatechange', check)
  })
}
