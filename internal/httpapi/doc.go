// Package httpapi is Relevo's HTTP API: the route table, thin handlers, and
// the OpenAPI document generated from the route table.
//
// Handlers here translate between HTTP and the domain and nothing more: the
// rules live in desk and its services. The plumbing (decoding with the text
// rules, the error envelope and its one status mapping, uploads, rate
// limits) is internal/httpkit's, shared with the channel packages that
// serve their own routes; every error leaves through it, so no internal
// error text ever reaches a client.
package httpapi
