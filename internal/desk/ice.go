package desk

import "time"

// ICE: what browsers need to reach each other in a call (STUN to learn
// their public address, TURN to relay media when no direct path exists).

// IcePolicy is RTCConfiguration.iceTransportPolicy: all candidates, or
// relayed ones only (neither party learns the other's address).
type IcePolicy string

const (
	IcePolicyAll   IcePolicy = "all"
	IcePolicyRelay IcePolicy = "relay"
)

// IceServer is one RTCIceServer: a STUN server has urls only; a TURN
// server has the credentials the caller may use until IceConfig.ExpiresAt.
type IceServer struct {
	URLs       []string `json:"urls"`
	Username   string   `json:"username,omitempty"`
	Credential string   `json:"credential,omitempty"`
}

// IceConfig is what GET /api/v1/calls/ice and /widget/v1/calls/ice answer:
// the RTCConfiguration a browser builds its peer connection with.
// ExpiresAt is when the TURN credentials stop working (fetch again for a
// later call).
type IceConfig struct {
	IceServers         []IceServer `json:"ice_servers"`
	IceTransportPolicy IcePolicy   `json:"ice_transport_policy"`
	ExpiresAt          time.Time   `json:"expires_at"`
}

// ICESettings are the server-wide connectivity settings of calls (admin,
// GET|PATCH /api/v1/settings/calls). TURN servers take either a shared
// secret (TURN REST API credentials made per caller, valid CredentialTTL)
// or one static username and password handed to every caller.
type ICESettings struct {
	STUNURLs     []string `json:"stun_urls"`
	TURNURLs     []string `json:"turn_urls"`
	TURNSecret   string   `json:"turn_secret"`
	TURNUsername string   `json:"turn_username"`
	TURNPassword string   `json:"turn_password"`
	// CredentialTTL is how long made credentials work (default 1 h).
	CredentialTTL Seconds `json:"credential_ttl"`
	// RelayOnly sends every call through a TURN relay, so neither party
	// sees the other's address.
	RelayOnly bool `json:"relay_only"`
	// RelaySecret is the built-in relay's secret when TURNSecret is empty:
	// generated once and stored, so every node's relay accepts every
	// node's credentials. Never leaves the server.
	RelaySecret string `json:"-"`
}

// DefaultCredentialTTL is how long TURN credentials work when not set.
const DefaultCredentialTTL = time.Hour

// TTL is the credentials' lifetime, the default when unset.
func (s ICESettings) TTL() time.Duration {
	if s.CredentialTTL <= 0 {
		return DefaultCredentialTTL
	}
	return s.CredentialTTL.Duration()
}

// RelayKey is the secret Relevo's own relay checks credentials with: the
// configured TURN secret (so one secret serves coturn and the relay
// alike), else the generated one.
func (s ICESettings) RelayKey() string {
	if s.TURNSecret != "" {
		return s.TURNSecret
	}
	return s.RelaySecret
}
