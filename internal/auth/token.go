package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
)

// Token prefixes make a leaked secret recognisable (by people and by secret
// scanners) and tell the server which table to look in before hashing.
const (
	SessionPrefix  = "rlv_s_"
	APITokenPrefix = "rlv_t_"
)

// tokenBytes is 256 bits: guessing is hopeless, so the hash below needs no
// stretching.
const tokenBytes = 32

// NewToken returns a fresh secret, prefix followed by 32 random bytes in
// unpadded base64url, and the hash to store in its place. The plain value
// is shown to its owner once and never kept.
func NewToken(prefix string) (plain, hash string, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: read token bytes: %w", err)
	}
	plain = prefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain), nil
}

// HashToken is the hex SHA-256 of plain. A fast hash is right here, unlike
// for passwords: tokens carry full entropy, so there is no dictionary to
// slow down, and a lookup by hash on every request must stay cheap.
// The prefix is hashed too, so a session hash can never match an API token.
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// Sign returns "sha256=" + hex HMAC-SHA256 of "<timestamp>.<body>" under
// secret. The timestamp is inside the MAC so a receiver that rejects old
// timestamps also rejects replays.
func Sign(secret []byte, timestamp int64, body []byte) string {
	return "sha256=" + hex.EncodeToString(mac(secret, timestamp, body))
}

// VerifySignature reports whether sig is Sign(secret, timestamp, body),
// comparing in constant time so the MAC cannot be guessed byte by byte.
func VerifySignature(secret []byte, timestamp int64, body []byte, sig string) bool {
	const scheme = "sha256="
	if len(sig) != len(scheme)+2*sha256.Size || sig[:len(scheme)] != scheme {
		return false
	}
	got, err := hex.DecodeString(sig[len(scheme):])
	if err != nil {
		return false
	}
	return hmac.Equal(got, mac(secret, timestamp, body))
}

func mac(secret []byte, timestamp int64, body []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write(strconv.AppendInt(nil, timestamp, 10))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}
