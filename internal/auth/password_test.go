package auth

import (
	"errors"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
)

// The reference implementation's vectors (password "password", salt
// "somesalt"), so the encoding is checked against someone else's code.
func TestVerifyPasswordAcceptsReferenceVectors(t *testing.T) {
	for _, encoded := range []string{
		"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
	} {
		for _, tc := range []struct {
			pw   string
			want bool
		}{{"password", true}, {"Password", false}, {"", false}} {
			ok, err := VerifyPassword(encoded, tc.pw)
			if err != nil || ok != tc.want {
				t.Errorf("VerifyPassword(%s, %q) = %v, %v; want %v, nil", encoded, tc.pw, ok, err, tc.want)
			}
		}
	}
}

func TestHashPasswordRoundTrips(t *testing.T) {
	for _, pw := range []string{"", "correct horse", "pässwörd ✓", strings.Repeat("x", MaxPasswordLen)} {
		enc, err := HashPassword(pw, FastParams)
		if err != nil {
			t.Fatalf("HashPassword(%d bytes): %v", len(pw), err)
		}
		if !strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$") {
			t.Errorf("encoded %q lacks the FastParams prefix", enc)
		}
		if ok, err := VerifyPassword(enc, pw); !ok || err != nil {
			t.Errorf("VerifyPassword(own hash of %d bytes) = %v, %v", len(pw), ok, err)
		}
		if ok, _ := VerifyPassword(enc, pw+"!"); ok {
			t.Errorf("a different password verified against %q", enc)
		}
	}
}

func TestHashPasswordSaltsEveryHash(t *testing.T) {
	a, _ := HashPassword("same", FastParams)
	b, _ := HashPassword("same", FastParams)
	if a == b {
		t.Fatalf("two hashes of one password are equal: %s", a)
	}
}

func TestHashPasswordDefaultParamsEncoding(t *testing.T) {
	enc, err := HashPassword("pw", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	p, salt, key, err := decodeHash(enc)
	if err != nil {
		t.Fatal(err)
	}
	if p != DefaultParams || len(salt) != 16 || len(key) != 32 {
		t.Errorf("decoded %+v salt %d key %d; want %+v, 16, 32", p, len(salt), len(key), DefaultParams)
	}
}

func TestHashPasswordRejectsLongPassword(t *testing.T) {
	_, err := HashPassword(strings.Repeat("x", MaxPasswordLen+1), FastParams)
	if !desk.IsCode(err, desk.CodeValidationFailed) {
		t.Fatalf("err = %v; want validation_failed", err)
	}
	enc, _ := HashPassword("x", FastParams)
	if ok, err := VerifyPassword(enc, strings.Repeat("x", MaxPasswordLen+1)); ok || err != nil {
		t.Errorf("VerifyPassword(too long) = %v, %v; want false, nil", ok, err)
	}
}

func TestHashPasswordRejectsWeakParams(t *testing.T) {
	for _, p := range []Params{
		{Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8},
	} {
		if _, err := HashPassword("pw", p); err == nil {
			t.Errorf("HashPassword accepted %+v", p)
		}
	}
}

func TestVerifyPasswordRejectsMalformedHash(t *testing.T) {
	const salt, key = "c29tZXNhbHQ", "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	for name, enc := range map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":        "$argon2i$v=19$m=256,t=2,p=1$" + salt + "$" + key,
		"old version":    "$argon2id$v=16$m=256,t=2,p=1$" + salt + "$" + key,
		"no version":     "$argon2id$m=256,t=2,p=1$" + salt + "$" + key,
		"params order":   "$argon2id$v=19$t=2,m=256,p=1$" + salt + "$" + key,
		"zero time":      "$argon2id$v=19$m=256,t=0,p=1$" + salt + "$" + key,
		"threads >255":   "$argon2id$v=19$m=256,t=2,p=256$" + salt + "$" + key,
		"memory >uint32": "$argon2id$v=19$m=4294967296,t=2,p=1$" + salt + "$" + key,
		"padded salt":    "$argon2id$v=19$m=256,t=2,p=1$" + salt + "=$" + key,
		"empty salt":     "$argon2id$v=19$m=256,t=2,p=1$$" + key,
		"bad key":        "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$!!!",
		"extra field":    "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + key + "$",
		"leading text":   "x$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + key,
	} {
		ok, err := VerifyPassword(enc, "password")
		if ok || !errors.Is(err, ErrMalformedHash) {
			t.Errorf("%s: VerifyPassword = %v, %v; want false, ErrMalformedHash", name, ok, err)
		}
	}
}
