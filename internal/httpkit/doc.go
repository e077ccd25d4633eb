// Package httpkit is the HTTP plumbing every Relevo handler shares, the
// API's and the channels' alike: decoding a JSON body (size limit, one
// value, errors that name the field) with desk's text rules applied to
// every string; the error envelope and StatusOf, the one mapping from
// domain codes to HTTP statuses; receiving an upload (size limit, type
// sniffed from the bytes, allow-list); a bounded per-key rate limiter; and
// the server of embedded front-end files.
//
// It is a leaf: it imports the domain's codes and text rules and nothing
// above them. It must never import the store, a channel or the API (they
// import it), never hold a route or a permission, and never decide a
// domain rule: it only carries requests in and answers out.
package httpkit
