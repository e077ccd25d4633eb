package desk

import (
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Bounds of the calls' connectivity settings.
const (
	MinCredentialTTL = 10 * time.Minute
	MaxCredentialTTL = 24 * time.Hour
	maxICEURLs       = 10
	maxICEURLLen     = 512
	maxICESecretLen  = 256
	// minTURNSecret: the shared secret signs every credential; a short one
	// could be guessed from a single username and password pair.
	minTURNSecret = 16
)

// CheckICESettings validates the settings an admin saves (secrets already
// resolved by KeepSecret): URL schemes, hosts, ports and queries, one
// credential style, a lifetime within bounds. Refusals name the field.
func CheckICESettings(s *ICESettings) error {
	if err := checkICEURLs("stun_urls", s.STUNURLs, "stun", "stuns"); err != nil {
		return err
	}
	if err := checkICEURLs("turn_urls", s.TURNURLs, "turn", "turns"); err != nil {
		return err
	}
	for field, v := range map[string]string{"turn_secret": s.TURNSecret, "turn_username": s.TURNUsername, "turn_password": s.TURNPassword} {
		if len(v) > maxICESecretLen || strings.ContainsFunc(v, isControl) {
			return Invalid(field, "at most %d characters, no control characters", maxICESecretLen)
		}
	}
	switch {
	case s.TURNSecret != "" && (s.TURNUsername != "" || s.TURNPassword != ""):
		return Invalid("turn_secret", "use either a shared secret or a username and password, not both")
	case s.TURNSecret != "" && len(s.TURNSecret) < minTURNSecret:
		return Invalid("turn_secret", "at least %d characters", minTURNSecret)
	case s.TURNUsername != "" && s.TURNPassword == "":
		return Invalid("turn_password", "a username needs its password")
	case s.TURNPassword != "" && s.TURNUsername == "":
		return Invalid("turn_username", "a password needs its username")
	case len(s.TURNURLs) > 0 && s.TURNSecret == "" && s.TURNUsername == "":
		return Invalid("turn_urls", "TURN servers need a shared secret or a username and password")
	}
	if s.CredentialTTL == 0 {
		s.CredentialTTL = Seconds(DefaultCredentialTTL / time.Second)
	}
	if d := s.CredentialTTL.Duration(); d < MinCredentialTTL || d > MaxCredentialTTL {
		return Invalid("credential_ttl", "from %d to %d seconds (10 minutes to 24 hours)", int(MinCredentialTTL/time.Second), int(MaxCredentialTTL/time.Second))
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

func checkICEURLs(field string, urls []string, schemes ...string) error {
	if len(urls) > maxICEURLs {
		return Invalid(field, "at most %d URLs", maxICEURLs)
	}
	for _, raw := range urls {
		if err := checkICEURL(raw, schemes); err != "" {
			return Invalid(field, "%q: %s", raw, err).WithDetail("value", raw)
		}
	}
	return nil
}

// checkICEURL reads an RFC 7064/7065 URL (scheme:host[:port][?transport=
// udp|tcp], the query on TURN only) and says what is wrong, "" if nothing.
func checkICEURL(raw string, schemes []string) string {
	if len(raw) > maxICEURLLen {
		return "too long"
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque == "" || u.Host != "" || u.User != nil || u.Fragment != "" {
		return "must look like " + schemes[0] + ":host or " + schemes[0] + ":host:port"
	}
	ok := false
	for _, s := range schemes {
		ok = ok || u.Scheme == s
	}
	if !ok {
		return "the scheme must be " + strings.Join(schemes, ": or ") + ":"
	}
	if u.RawQuery != "" || u.ForceQuery {
		if u.Scheme != "turn" && u.Scheme != "turns" {
			return "a STUN URL takes no query"
		}
		q, err := url.ParseQuery(u.RawQuery)
		if t := q.Get("transport"); err != nil || len(q) != 1 || len(q["transport"]) != 1 || (t != "udp" && t != "tcp") {
			return "the only query is ?transport=udp or ?transport=tcp"
		}
	}
	host, port := u.Opaque, ""
	if h, p, err := net.SplitHostPort(u.Opaque); err == nil {
		host, port = h, p
	} else if strings.Count(u.Opaque, ":") > 0 && !strings.HasPrefix(u.Opaque, "[") {
		return "the port must be a number from 1 to 65535"
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "the port must be a number from 1 to 65535"
		}
	}
	if host == "" || (net.ParseIP(host) == nil && !validHostname(host)) {
		return "the host must be a name or an IP address"
	}
	return ""
}

func validHostname(h string) bool {
	if len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
		for _, r := range label {
			if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return false
			}
		}
	}
	return true
}

// KeepSecret is the channel secrets' rule (KeepChannelSecrets) for one
// field: not sent, or sent as the mask, keeps the stored value; "" clears.
func KeepSecret(stored string, sent *string) string {
	if sent == nil || *sent == ChannelSecretMask {
		return stored
	}
	return *sent
}

// MaskSecret is what readers see of a secret: the mask when one is set.
func MaskSecret(v string) string {
	if v == "" {
		return ""
	}
	return ChannelSecretMask
}
