// Settings → Calls (admins only): the calls' connectivity settings, and
// the Test that gathers ICE candidates in this browser with the servers
// the server hands out (GET /api/v1/calls/ice), to show what a call would
// find: this device (host), a public address learned over STUN (srflx),
// a relayed address (relay).
import { reactive } from 'vue'
import { api } from '../../api/client'
import type { components } from '../../api/schema'

export type CallSettings = components['schemas']['CallSettingsView']
export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay'

export const callSettings = reactive({
  value: null as CallSettings | null,
  loaded: false,
  error: null as unknown,
})

export async function loadCallSettings(): Promise<void> {
  callSettings.error = null
  try {
    callSettings.value = await api.get('/api/v1/settings/calls')
  } catch (e) {
    callSettings.error = e
  } finally {
    callSettings.loaded = true
  }
}

export interface CallDraft {
  stun: string
  turn: string
  style: 'secret' | 'static'
  secret: string
  username: string
  password: string
  /** minutes the TURN credentials work. */
  minutes: number | string
  relayOnly: boolean
}

/** lines splits a textarea into its non-blank lines. */
export function lines(s: string): string[] {
  return s.split('\n').map((l) => l.trim()).filter(Boolean)
}

export function draftOf(s: CallSettings): CallDraft {
  return {
    stun: s.stun_urls.join('\n'), turn: s.turn_urls.join('\n'), style: s.turn_username ? 'static' : 'secret',
    secret: s.turn_secret, username: s.turn_username, password: s.turn_password,
    minutes: Math.round(s.credential_ttl / 60), relayOnly: s.relay_only,
  }
}

/**
 * saveCallSettings sends the whole form; the style not chosen is cleared.
 * A secret still showing the mask is sent as the mask: the server keeps it.
 */
export async function saveCallSettings(d: CallDraft): Promise<CallSettings> {
  const secret = d.style === 'secret'
  const body = {
    stun_urls: lines(d.stun), turn_urls: lines(d.turn), turn_secret: secret ? d.secret : '',
    turn_username: secret ? '' : d.username, turn_password: secret ? '' : d.password,
    credential_ttl: Number(d.minutes) * 60, relay_only: d.relayOnly,
  }
  callSettings.value = await api.patch('/api/v1/settings/calls', { body })
  return callSettings.value
}

/**
 * gather fetches this user's ICE configuration and gathers candidates
 * with it, answering the candidate types found once gathering completes.
 */
export async function gather(): Promise<Set<CandidateType>> {
  const cfg = await api.get('/api/v1/calls/ice')
  const pc = new RTCPeerConnection({ iceServers: cfg.ice_servers, iceTransportPolicy: cfg.ice_transport_policy })
  const found = new Set<CandidateType>()
  try {
    const done = new Promise<void>((resolve) => {
      pc.onicecandidate = (ev) => {
        if (!ev.candidate) resolve()
        else if (ev.candidate.type) found.add(ev.candidate.type)
      }
    })
    pc.createDataChannel('test')
    await pc.setLocalDescription(await pc.createOffer())
    await done
  } finally {
    pc.close()
  }
  return found
}
