package webhook

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"syscall"
)

// Kinds of failure when no HTTP answer came. They are stable words the
// delivery log stores and the console translates; the error text itself
// is not kept, as it may quote the URL.
const (
	KindInvalidURL        = "invalid_url"
	KindConnectionRefused = "connection_refused"
	KindTimeout           = "timeout"
	KindDNS               = "dns"
	KindTLS               = "tls"
	KindNetwork           = "network"
)

// ErrorKind names the failure of a request that got no answer.
func ErrorKind(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var netErr net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return KindConnectionRefused
	case errors.As(err, &dnsErr):
		return KindDNS
	case errors.As(err, &certErr), errors.As(err, &unknownAuthority), errors.As(err, &hostname):
		return KindTLS
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return KindTimeout
	}
	return KindNetwork
}

// LogURL is url as a delivery log keeps it: host and path, without the
// user, password or query string that may carry a credential.
func LogURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host + u.Path
}
