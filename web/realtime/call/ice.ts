// The ICE configuration of one call: fetched right before the peer
// connection is made, because TURN credentials are short-lived (the server
// makes them per request, the "TURN REST API" scheme).

/** IceAnswer is GET /api/v1/calls/ice and GET /widget/v1/calls/ice. */
export interface IceAnswer {
  ice_servers: { urls: string[]; username?: string; credential?: string }[]
  ice_transport_policy: 'all' | 'relay'
  expires_at: string
}

/**
 * iceConfig turns the server's answer into an RTCConfiguration. The policy
 * is passed through as is: 'relay' makes the browser use TURN only.
 */
export function iceConfig(a: IceAnswer): RTCConfiguration {
  return {
    iceServers: a.ice_servers.map((s) => ({ urls: s.urls, username: s.username, credential: s.credential })),
    iceTransportPolicy: a.ice_transport_policy === 'relay' ? 'relay' : 'all',
  }
}

/**
 * fetchIce reads the ICE answer at url with the given headers. A failure is
 * the call's failure, never a silent downgrade: an admin's "relay only"
 * must not become a direct connection because a request failed.
 */
export async function fetchIce(url: string, headers: Record<string, string> = {}): Promise<RTCConfiguration> {
  const r = await fetch(url, { headers, credentials: 'same-origin' })
  if (!r.ok) throw new Error('ice: ' + r.status)
  return iceConfig((await r.json()) as IceAnswer)
}
