package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// tokenSource gives the OAuth access token for Dialogflow: the static one
// when set, else the metadata server's (cached until shortly before it
// expires). A production bridge would use golang.org/x/oauth2/google; this
// keeps the example free of dependencies.
type tokenSource struct {
	static string
	http   *http.Client

	mu      sync.Mutex
	cached  string
	expires time.Time
}

const metadataTokenURL = "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token"

func (s *tokenSource) token(ctx context.Context) (string, error) {
	if s.static != "" {
		return s.static, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cached != "" && time.Now().Before(s.expires) {
		return s.cached, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, metadataTokenURL, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Metadata-Flavor", "Google")
	res, err := s.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("dialogflowcx: no -gcp-token and no metadata server: %w", err)
	}
	defer res.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&tok) != nil || tok.AccessToken == "" {
		return "", fmt.Errorf("dialogflowcx: metadata server answered %d", res.StatusCode)
	}
	s.cached = tok.AccessToken
	s.expires = time.Now().Add(time.Duration(tok.ExpiresIn)*time.Second - time.Minute)
	return s.cached, nil
}
