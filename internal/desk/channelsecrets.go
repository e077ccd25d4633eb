package desk

import (
	"bytes"
	"encoding/json"
)

// Channel secrets. Once saved, a channel's credentials never come back
// through the API: a read shows ChannelSecretMask where one is set, and a
// change that sends the mask back (or leaves the key out) keeps the stored
// value. So a form can show a channel as read and save it unchanged, and
// a leaked admin session or screenshot does not leak the channel.

// ChannelSecretMask is what every reader sees instead of a set secret.
const ChannelSecretMask = "********"

// hiddenSecrets are never read back, by anyone: the Graph API token, the
// app secret Meta signs webhooks with, the web channel's identity secret.
var hiddenSecrets = []string{"access_token", "app_secret", "secret"}

// verifyToken is read back by admins only: it has to be pasted into Meta's
// app dashboard, so an admin must be able to see it again.
const verifyToken = "verify_token"

// ViewChannel is c as a may see it: secrets masked (verify_token shown to
// admins); a config that does not parse is hidden whole.
func ViewChannel(a Actor, c Channel) Channel {
	if len(c.Config) == 0 {
		return c
	}
	var cfg map[string]json.RawMessage
	if json.Unmarshal(c.Config, &cfg) != nil {
		c.Config = json.RawMessage(`{}`)
		return c
	}
	masked := hiddenSecrets
	if !SeesSecrets(a) {
		masked = append([]string{verifyToken}, hiddenSecrets...)
	}
	for _, k := range masked {
		if isSet(cfg[k]) {
			cfg[k] = json.RawMessage(`"` + ChannelSecretMask + `"`)
		}
	}
	c.Config, _ = json.Marshal(cfg)
	return c
}

// KeepChannelSecrets is the config to store when next is saved over
// stored: each secret that next leaves out or sends as the mask keeps its
// stored value (none when creating: stored is empty). An empty string
// clears a secret. A next that is not an object is returned as it is,
// for the config check to refuse.
func KeepChannelSecrets(stored, next json.RawMessage) json.RawMessage {
	var in map[string]json.RawMessage
	if len(bytes.TrimSpace(next)) == 0 || json.Unmarshal(next, &in) != nil || in == nil {
		return next
	}
	var old map[string]json.RawMessage
	_ = json.Unmarshal(stored, &old) // an unreadable stored config has nothing to keep
	changed := false
	for _, k := range append([]string{verifyToken}, hiddenSecrets...) {
		v, sent := in[k]
		if sent && !isMask(v) {
			continue
		}
		if prev, ok := old[k]; ok {
			in[k], changed = prev, true
		} else if sent {
			delete(in, k) // a mask with nothing behind it is not a secret
			changed = true
		}
	}
	if !changed {
		return next
	}
	out, _ := json.Marshal(in)
	return out
}

// CheckIdentitySecret allows generating an identity-verification secret
// on web channels only: no other channel type has one.
func CheckIdentitySecret(c Channel) error {
	if c.Type != ChannelWeb {
		return Invalid("type", "only web channels verify visitors' identity")
	}
	return nil
}

func isSet(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return len(v) > 0 && string(v) != "null" && string(v) != `""`
}

func isMask(v json.RawMessage) bool {
	var s string
	return json.Unmarshal(v, &s) == nil && s == ChannelSecretMask
}
