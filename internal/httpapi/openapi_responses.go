package httpapi

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
)

// routeCodes is every error code rt can answer: its own Errors, and those
// every route of its kind answers, decided by the same facts the router
// acts on (wrap, authenticate, permit, crossOrigin, httpkit.DecodeJSON).
func routeCodes(rt Route) []desk.Code {
	// bad_request: the route wrapper refuses a control character or invalid
	// UTF-8 in any query or path parameter before anything else runs.
	codes := append([]desk.Code{desk.CodeInternal, desk.CodeBadRequest}, rt.Errors...)
	switch rt.Access {
	case AccessSession, AccessSupervisor, AccessAdmin, AccessAdminWriteSupervisorRead:
		// forbidden: an API token on a console route, or the wrong role.
		codes = append(codes, desk.CodeUnauthenticated, desk.CodeForbidden)
	case AccessIntegration, AccessUserOrToken:
		// rate_limited: each API token's request rate is bounded.
		codes = append(codes, desk.CodeUnauthenticated, desk.CodeRateLimited)
	}
	if _, raw := rt.Request.(rawBody); rt.Request != nil && !raw {
		codes = append(codes, desk.CodeBadRequest, desk.CodePayloadTooLarge)
	}
	if crossOriginChecked(rt.Method, rt.Pattern) {
		codes = append(codes, desk.CodeForbidden)
	}
	slices.Sort(codes)
	return slices.Compact(codes)
}

// crossOriginChecked reports whether http.CrossOriginProtection may refuse
// a request to the route (a browser's cross-site state change made with the
// session cookie): it checks only unsafe methods, and crossOrigin skips the
// paths other sites call by design.
func crossOriginChecked(method, pattern string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return !crossOriginExempt(pattern)
}

// responses documents every answer of rt: its success, the errors of
// routeCodes grouped by httpkit.StatusOf, and its answers outside httpkit.StatusOf.
func (g *schemaGen) responses(rt Route) (map[string]oaBody, error) {
	out := map[string]oaBody{}
	status := rt.Status
	switch {
	case status != 0:
	case rt.Response == nil:
		status = http.StatusNoContent
	default:
		status = http.StatusOK
	}
	ok := oaBody{Description: http.StatusText(status)}
	if rt.Response != nil {
		content, err := g.content(rt.Response)
		if err != nil {
			return nil, fmt.Errorf("response: %w", err)
		}
		ok.Content = content
	}
	out[strconv.Itoa(status)] = ok
	byStatus := map[int][]desk.Code{}
	for _, c := range routeCodes(rt) {
		s := httpkit.StatusOf(c)
		if s == http.StatusInternalServerError && c != desk.CodeInternal {
			return nil, fmt.Errorf("error code %q has no status in statusOf", c)
		}
		byStatus[s] = append(byStatus[s], c)
	}
	for s, codes := range byStatus {
		out[strconv.Itoa(s)] = g.errorAnswer(s, codes)
	}
	for _, a := range rt.Also {
		key := strconv.Itoa(a.Status)
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("status %d documented twice", a.Status)
		}
		if a.Body == nil {
			out[key] = g.errorAnswer(a.Status, a.Codes)
			continue
		}
		content, err := g.content(a.Body)
		if err != nil {
			return nil, fmt.Errorf("answer %d: %w", a.Status, err)
		}
		out[key] = oaBody{Description: http.StatusText(a.Status), Content: content}
	}
	return out, nil
}

// errorAnswer is an error response: the Error envelope with code narrowed
// to the codes this route answers with this status, so a client can tell
// 409 already_assigned from 422 reason_required by type. Routes share few
// such sets, so each is one component (Error409AlreadyAssignedConflict)
// that operations refer to.
func (g *schemaGen) errorAnswer(status int, codes []desk.Code) oaBody {
	codes = slices.Clone(codes)
	slices.Sort(codes)
	codes = slices.Compact(codes)
	names := make([]string, len(codes))
	name := "Error" + strconv.Itoa(status)
	for i, c := range codes {
		names[i] = string(c)
		for _, word := range strings.Split(string(c), "_") {
			name += upperFirst(word)
		}
	}
	ref := oaBody{Ref: "#/components/responses/" + name}
	if _, done := g.answers[name]; done {
		return ref
	}
	s := &schema{
		AllOf:    []*schema{{Ref: "#/components/schemas/Error"}},
		Required: []string{"error"},
		Properties: map[string]*schema{"error": {
			Required:   []string{"code"},
			Properties: map[string]*schema{"code": {Type: schemaType{"string"}, Enum: names}},
		}},
	}
	g.answers[name] = oaBody{Description: http.StatusText(status) + ": " + strings.Join(names, ", "), Content: jsonContent(s)}
	return ref
}

// rawSchema describes a body known by its media type alone.
func rawSchema(mediaType string) *schema {
	switch {
	case mediaType == "multipart/form-data":
		return &schema{Type: schemaType{"object"}, Required: []string{"file"},
			Properties: map[string]*schema{"file": {Type: schemaType{"string"}, Format: "binary"}}}
	case mediaType == "application/json" || strings.HasSuffix(mediaType, "+json"):
		// JSON whose shape another party owns (Meta's notifications) or
		// that describes itself (this document): an object, not a string.
		return &schema{Type: schemaType{"object"}, AdditionalProperties: &schema{}}
	case strings.HasPrefix(mediaType, "text/"):
		return &schema{Type: schemaType{"string"}}
	}
	return &schema{Type: schemaType{"string"}, Format: "binary"}
}

// uploadBodies is a download: a file of any type uploads accept
// (httpkit.AllowedTypes), served with the type sniffed when it was uploaded. A
// prefix of a subtype ("application/vnd.ms-") widens to its whole type.
func uploadBodies() bodies {
	var out bodies
	seen := map[string]bool{}
	for _, m := range httpkit.AllowedTypes() {
		major, minor, _ := strings.Cut(m, "/")
		if minor == "" || strings.HasSuffix(minor, ".") || strings.HasSuffix(minor, "-") {
			m = major + "/*"
		}
		if !seen[m] {
			seen[m] = true
			out = append(out, rawBody{m})
		}
	}
	return out
}
