// Package auth owns Relevo's secrets: argon2id password hashes, opaque
// session and API tokens, and the HMAC signatures on outbound webhooks.
//
// It holds no state and does no I/O beyond reading crypto/rand: callers
// store the hashes it returns and never the plain secrets, and it must never
// log or wrap a password or token into an error.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/relevo/relevo/internal/desk"
)

// MaxPasswordLen bounds the input to argon2 so one request cannot make the
// server hash megabytes; no human types a longer password.
const MaxPasswordLen = 1024

// Params are the argon2id cost settings. They are written into every hash,
// so changing them only affects new hashes; old ones keep verifying.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams are OWASP's argon2id baseline (19 MiB, two passes, one
// lane): about 35 ms a login on this project's 2-core reference machine,
// against 130 ms for 64 MiB, which left a loaded node's login page slower
// than the one-second first-load budget; memory-hardness is what resists
// GPUs, and 19 MiB keeps it.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// FastParams are for tests and demo seeding only: cheap enough to hash
// hundreds of passwords per second, far too cheap for real accounts.
var FastParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// ErrMalformedHash is returned by VerifyPassword when the stored string is
// not an argon2id PHC string this package understands.
var ErrMalformedHash = errors.New("auth: malformed password hash")

// b64 is the PHC string format's alphabet: standard base64 without padding.
var b64 = base64.RawStdEncoding

// HashPassword returns pw hashed with p in PHC string format. A password
// longer than MaxPasswordLen is a validation_failed error on field
// "password".
func HashPassword(pw string, p Params) (string, error) {
	if len(pw) > MaxPasswordLen {
		return "", desk.Invalid("password", "must be at most %d bytes", MaxPasswordLen)
	}
	if p.Time < 1 || p.Threads < 1 || p.Memory < 8*uint32(p.Threads) || p.SaltLen < 8 || p.KeyLen < 16 {
		return "", fmt.Errorf("auth: argon2id params too weak: %+v", p)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: read salt: %w", err)
	}
	return encodeHash(p, salt, argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)), nil
}

func encodeHash(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether pw matches encoded. The cost parameters
// come from encoded itself, so hashes made with older Params still verify.
// It returns ErrMalformedHash (wrapped) when encoded cannot be parsed; a
// wrong password is (false, nil).
func VerifyPassword(encoded, pw string) (bool, error) {
	p, salt, want, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	// HashPassword never stored such a password, so it cannot match; saying
	// so early keeps the length cap a real bound on work per request.
	if len(pw) > MaxPasswordLen {
		return false, nil
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// decodeHash parses "$argon2id$v=19$m=M,t=T,p=P$salt$key" strictly: a
// hash that parses loosely could verify with different costs than stored.
func decodeHash(encoded string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("%w: not an argon2id PHC string", ErrMalformedHash)
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("%w: unsupported version %q", ErrMalformedHash, parts[2])
	}
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return p, nil, nil, fmt.Errorf("%w: want m,t,p parameters", ErrMalformedHash)
	}
	var vals [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(fields[i], name+"=")
		if !ok {
			return p, nil, nil, fmt.Errorf("%w: want parameter %s", ErrMalformedHash, name)
		}
		bits := 32
		if name == "p" {
			bits = 8
		}
		n, perr := strconv.ParseUint(v, 10, bits)
		if perr != nil || n == 0 {
			return p, nil, nil, fmt.Errorf("%w: bad parameter %s", ErrMalformedHash, name)
		}
		vals[i] = n
	}
	p = Params{Memory: uint32(vals[0]), Time: uint32(vals[1]), Threads: uint8(vals[2])}
	if salt, err = b64.Strict().DecodeString(parts[4]); err != nil || len(salt) == 0 {
		return p, nil, nil, fmt.Errorf("%w: bad salt", ErrMalformedHash)
	}
	if key, err = b64.Strict().DecodeString(parts[5]); err != nil || len(key) < 4 {
		return p, nil, nil, fmt.Errorf("%w: bad hash", ErrMalformedHash)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}
