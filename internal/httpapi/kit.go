package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/relevo/relevo/internal/httpkit"
)

// The handlers' short names for httpkit's plumbing, which the channels
// share: decoding, answering and the error envelope live there, once.

const defaultBodyLimit = httpkit.DefaultBodyLimit

func writeJSON(w http.ResponseWriter, status int, v any) { httpkit.WriteJSON(w, status, v) }

func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	httpkit.WriteError(w, r, log, err)
}

func decodeJSON(w http.ResponseWriter, r *http.Request, dst any, limit int64) error {
	return httpkit.DecodeJSON(w, r, dst, limit)
}

func decodeOptionalJSON(w http.ResponseWriter, r *http.Request, dst any, limit int64) error {
	return httpkit.DecodeOptionalJSON(w, r, dst, limit)
}
