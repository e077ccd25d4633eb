package app

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"

	"github.com/relevo/relevo/internal/desk"
)

// The demo's WhatsApp channel talks to demoGraph, a stand-in for Meta's
// Graph API that lives inside the process: its graph_url names a host under
// .invalid (which no resolver answers, RFC 6761), and demoTransport hands
// requests for that host to demoGraph instead of the network. So a newcomer
// can see the 24-hour window, the template picker and media sends work end
// to end, nothing ever leaves the machine, and a server started without
// --demo has no such host at all. The channel's name says so in the console.
const (
	demoGraphHost  = "graph.demo.invalid"
	demoGraphURL   = "http://" + demoGraphHost + "/v21.0"
	demoGraphToken = "demo-access-token"
	demoPhoneID    = "100000000000001"
	demoWABAID     = "200000000000001"
	// demoWhatsAppName is what agents see as the channel's name.
	demoWhatsAppName = "WhatsApp (demo stand-in: nothing is really sent)"
)

// demoWhatsAppConfig is the demo WhatsApp channel's config.
var demoWhatsAppConfig = json.RawMessage(fmt.Sprintf(`{"phone_number_id":%q,"waba_id":%q,"access_token":%q,`+
	`"app_secret":"demo-app-secret","verify_token":"demo-verify-token","graph_url":%q}`,
	demoPhoneID, demoWABAID, demoGraphToken, demoGraphURL))

// demoWATemplate is one approved message template of the demo's WABA, with
// the roles the demo gives it in Relevo.
type demoWATemplate struct {
	Name, Language, Category, Body string
	Roles                          []desk.Role
}

// demoWATemplates are listed by demoGraph and stored by the demo world, so a
// template sync finds the same ones.
var demoWATemplates = []demoWATemplate{
	{"order_update", "en", "UTILITY", "Hi {{1}}, there is news about your order {{2}}. Reply to this message to continue.",
		[]desk.Role{desk.RoleAgent, desk.RoleSupervisor, desk.RoleAuditor, desk.RoleAdmin}},
	{"reopen_conversation", "en", "UTILITY", "Hi {{1}}, we saw your message. Reply to this message and an agent will continue.",
		[]desk.Role{desk.RoleAgent, desk.RoleSupervisor, desk.RoleAuditor, desk.RoleAdmin}},
	{"satisfaction_follow_up", "en", "MARKETING", "Hi {{1}}, how did we do? Reply with a number from 1 to 5.",
		[]desk.Role{desk.RoleSupervisor, desk.RoleAuditor, desk.RoleAdmin}},
}

// demoTransport answers requests for demoGraphHost from demoGraph and
// sends every other request (real WhatsApp channels an admin adds to the
// demo) through next.
type demoTransport struct {
	graph http.Handler
	next  http.RoundTripper
}

func (t demoTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != demoGraphHost {
		return t.next.RoundTrip(r)
	}
	rec := httptest.NewRecorder()
	t.graph.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// demoGraph is the stand-in: the calls Relevo makes, answered in Meta's
// format (send a message, upload media, list templates, read the number and
// the account for "check connection"), with the Graph error envelope for
// anything else: a wrong access token gets code 190, as from Meta, so the
// demo can show what a check says about it.
type demoGraph struct{ n atomic.Int64 }

// maxDemoUpload bounds what the stand-in reads of an upload (WhatsApp's
// own limit for documents).
const maxDemoUpload = 100 << 20

func (g *demoGraph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+demoGraphToken {
		graphError(w, http.StatusUnauthorized, 190, "Invalid OAuth access token")
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/v21.0/")
	switch {
	case r.Method == http.MethodPost && path == demoPhoneID+"/messages":
		var m struct {
			Product string `json:"messaging_product"`
			To      string `json:"to"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&m); err != nil || m.Product != "whatsapp" || m.To == "" {
			graphError(w, http.StatusBadRequest, 100, "Invalid parameter")
			return
		}
		var ans graphSent
		ans.Product = "whatsapp"
		ans.Contacts = append(ans.Contacts, graphContact{Input: m.To, WaID: m.To})
		ans.Messages = append(ans.Messages, graphID{ID: fmt.Sprintf("wamid.DEMO%06d", g.n.Add(1))})
		writeGraph(w, ans)
	case r.Method == http.MethodPost && path == demoPhoneID+"/media":
		if _, err := io.Copy(io.Discard, io.LimitReader(r.Body, maxDemoUpload)); err != nil {
			graphError(w, http.StatusBadRequest, 100, "Invalid parameter")
			return
		}
		writeGraph(w, graphID{ID: fmt.Sprintf("%d", 900000000000000+g.n.Add(1))})
	case r.Method == http.MethodGet && path == demoWABAID+"/message_templates":
		var page graphTemplates
		for i, t := range demoWATemplates {
			page.Data = append(page.Data, graphTemplate{ID: fmt.Sprintf("%d", 300000000000001+i), Name: t.Name,
				Language: t.Language, Status: "APPROVED", Category: t.Category,
				Components: []graphComponent{{Type: "BODY", Text: t.Body}}})
		}
		writeGraph(w, page)
	case r.Method == http.MethodGet && path == demoPhoneID:
		writeGraph(w, graphPhone{ID: demoPhoneID, DisplayNumber: "+1 555-010-0001", VerifiedName: "Acme Support (demo)", Quality: "GREEN"})
	case r.Method == http.MethodGet && path == demoWABAID:
		writeGraph(w, graphID{ID: demoWABAID, Name: "Acme (demo stand-in)"})
	default:
		graphError(w, http.StatusBadRequest, 100, "Unsupported request: the demo stand-in answers messages, media uploads, templates and the number's and account's profiles only")
	}
}

func writeGraph(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// graphError writes Meta's error envelope.
func graphError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	var e graphErrorBody
	e.Error.Message, e.Error.Type, e.Error.Code, e.Error.Trace = msg, "OAuthException", code, "demo"
	_ = json.NewEncoder(w).Encode(e)
}

// The Graph API's answers, as far as the stand-in gives them.
type (
	graphID struct {
		ID   string `json:"id"`
		Name string `json:"name,omitempty"`
	}
	graphPhone struct {
		ID            string `json:"id"`
		DisplayNumber string `json:"display_phone_number"`
		VerifiedName  string `json:"verified_name"`
		Quality       string `json:"quality_rating"`
	}
	graphContact struct {
		Input string `json:"input"`
		WaID  string `json:"wa_id"`
	}
	graphSent struct {
		Product  string         `json:"messaging_product"`
		Contacts []graphContact `json:"contacts"`
		Messages []graphID      `json:"messages"`
	}
	graphComponent struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	graphTemplate struct {
		ID         string           `json:"id"`
		Name       string           `json:"name"`
		Language   string           `json:"language"`
		Status     string           `json:"status"`
		Category   string           `json:"category"`
		Components []graphComponent `json:"components"`
	}
	graphTemplates struct {
		Data   []graphTemplate `json:"data"`
		Paging struct{}        `json:"paging"`
	}
	graphErrorBody struct {
		Error struct {
			Message string `json:"message"`
			Type    string `json:"type"`
			Code    int    `json:"code"`
			Trace   string `json:"fbtrace_id"`
		} `json:"error"`
	}
)
