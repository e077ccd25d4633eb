package auth

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestNewTokenIsPrefixedRandomAndHashed(t *testing.T) {
	for _, prefix := range []string{SessionPrefix, APITokenPrefix, ""} {
		plain, hash, err := NewToken(prefix)
		if err != nil {
			t.Fatal(err)
		}
		body, ok := strings.CutPrefix(plain, prefix)
		if !ok {
			t.Fatalf("token %q lacks prefix %q", plain, prefix)
		}
		raw, err := base64.RawURLEncoding.DecodeString(body)
		if err != nil || len(raw) != 32 {
			t.Errorf("token body %q: %d bytes, %v; want 32 bytes of base64url", body, len(raw), err)
		}
		if hash != HashToken(plain) {
			t.Errorf("NewToken hash %q != HashToken(plain)", hash)
		}
		other, _, _ := NewToken(prefix)
		if other == plain {
			t.Errorf("two tokens are equal: %q", plain)
		}
	}
}

func TestHashTokenIsHexSHA256(t *testing.T) {
	// Computed with: printf '%s' rlv_t_abc | sha256sum
	const want = "ceabf9c97338c76056ef55047b985f18ad64a694012016aba48a46cdae496421"
	if got := HashToken("rlv_t_abc"); got != want {
		t.Errorf("HashToken = %s; want %s", got, want)
	}
}

func TestSignatureVerification(t *testing.T) {
	secret := []byte("topsecret")
	body := []byte(`{"event":"message.created"}`)
	const ts = 1700000000
	// Computed with: printf '%s' '1700000000.{"event":"message.created"}' | openssl dgst -sha256 -hmac topsecret
	const want = "sha256=9fcb0619f4a39e237f69db8e79d5b274c1c94ce583dcb67b84f74f62c5eb3aa6"
	if got := Sign(secret, ts, body); got != want {
		t.Fatalf("Sign = %s; want %s", got, want)
	}
	for _, tc := range []struct {
		name   string
		secret []byte
		ts     int64
		body   []byte
		sig    string
		want   bool
	}{
		{"matching", secret, ts, body, want, true},
		{"other secret", []byte("other"), ts, body, want, false},
		{"other timestamp", secret, ts + 1, body, want, false},
		{"other body", secret, ts, []byte(`{"event":"x"}`), want, false},
		{"no scheme", secret, ts, body, strings.TrimPrefix(want, "sha256="), false},
		{"upper-case hex", secret, ts, body, "sha256=" + strings.ToUpper(want[7:]), true},
		{"truncated", secret, ts, body, want[:len(want)-2], false},
		{"not hex", secret, ts, body, "sha256=" + strings.Repeat("z", 64), false},
		{"empty", secret, ts, body, "", false},
	} {
		if got := VerifySignature(tc.secret, tc.ts, tc.body, tc.sig); got != tc.want {
			t.Errorf("%s: VerifySignature = %v; want %v", tc.name, got, tc.want)
		}
	}
}
