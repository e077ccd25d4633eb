// Package ice makes the ICE configuration calls use (STUN and TURN servers
// with time-limited credentials) and runs Relevo's own TURN relay.
package ice

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // the TURN REST scheme is defined over HMAC-SHA1; coturn checks exactly this
	"encoding/base64"
	"strconv"
	"time"
)

// Credential is a TURN REST API credential (the scheme coturn's
// use-auth-secret checks): the username is "<expiry unix seconds>:<subject>",
// the password base64(HMAC-SHA1(secret, username)). A relay that knows the
// secret checks it without asking us, and refuses it after expires.
func Credential(secret, subject string, expires time.Time) (username, password string) {
	username = strconv.FormatInt(expires.Unix(), 10) + ":" + subject
	return username, restPassword(secret, username)
}

func restPassword(secret, username string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(username))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
