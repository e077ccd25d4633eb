package whatsapp_test

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
)

// The fake Graph API: the endpoints the channel calls, answering in Meta's
// formats, recording every request.

const (
	pnid      = "106540352242922"
	waba      = "102290129340398"
	token     = "EAAGtestToken"
	appSecret = "a1b2c3-app-secret"
	verifyTok = "relevo-verify-42"
	waID      = "16505551234"
	// outWamid is the id the fake gives sent messages; the status and
	// reaction fixtures name it.
	outWamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"
)

// graphRequest is one recorded call.
type graphRequest struct {
	Method, Path, Query, Auth, ContentType string
	Body                                   []byte
}

// fakeFile is media Meta holds: what GET /{media-id} says and the bytes.
type fakeFile struct {
	Mime string
	Size int64 // file_size announced; -1 omits it
	Data []byte
	// Status, when set, answers the download with it.
	Status int
}

// fakeReply is a canned answer for the next message send.
type fakeReply struct {
	Status int
	Body   string
}

type fakeGraph struct {
	*httptest.Server
	t     testing.TB
	mu    sync.Mutex
	reqs  []graphRequest
	files map[string]fakeFile
	// replies are answered, in order, to POST /messages before the
	// default success.
	replies []fakeReply
	// uploads are the files received by POST /media: type field → bytes.
	uploads []fakeUpload
	// infoStatus, when set, answers GET /{media-id} with a Graph error.
	infoStatus int
	// objects answer GET /{id} (after the token check) for the phone
	// number and the WABA; a test replaces one with an error.
	objects map[string]fakeReply
	// callReplies answer POST /calls, in order, before the default success;
	// calls is told of every call action received.
	callReplies []fakeReply
	calls       chan fakeCallAction
}

type fakeUpload struct {
	Type, Product, Filename, PartType string
	Data                              []byte
}

func newFakeGraph(t testing.TB) *fakeGraph {
	g := &fakeGraph{t: t, files: map[string]fakeFile{}, calls: make(chan fakeCallAction, 64), objects: map[string]fakeReply{
		pnid: {200, `{"verified_name":"Lucky Shrub","display_phone_number":"+1 555-078-3881","quality_rating":"GREEN","id":"` + pnid + `"}`},
		waba: {200, `{"id":"` + waba + `","name":"Lucky Shrub Support"}`},
	}}
	g.Server = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(g.Close)
	return g
}

// URL of the versioned API, as graph_url.
func (g *fakeGraph) api() string { return g.URL + "/v21.0" }

func (g *fakeGraph) requests(pathSuffix string) []graphRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []graphRequest
	for _, r := range g.reqs {
		if strings.HasSuffix(r.Path, pathSuffix) {
			out = append(out, r)
		}
	}
	return out
}

func (g *fakeGraph) reply(rs ...fakeReply) {
	g.mu.Lock()
	g.replies = append(g.replies, rs...)
	g.mu.Unlock()
}

func (g *fakeGraph) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	g.mu.Lock()
	g.reqs = append(g.reqs, graphRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Auth: r.Header.Get("Authorization"), ContentType: r.Header.Get("Content-Type"), Body: body})
	g.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+token {
		graphError(w, 401, 190, "Error validating access token", "Invalid OAuth access token")
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/v21.0/")
	switch {
	case r.Method == "POST" && path == pnid+"/messages":
		g.serveSend(w, body)
	case r.Method == "POST" && path == pnid+"/calls":
		g.serveCall(w, body) // calls_graph_test.go
	case r.Method == "POST" && path == pnid+"/media":
		g.serveUpload(w, r, body)
	case r.Method == "GET" && path == waba+"/message_templates":
		page := "templates_page1.json"
		if r.URL.Query().Get("after") == "MgZDZD" {
			page = "templates_page2.json"
		}
		b := strings.ReplaceAll(string(fixture(g.t, page)), "GRAPH_URL", g.api())
		writeRaw(w, 200, b)
	case r.Method == "GET" && g.object(path) != nil:
		o := g.object(path)
		writeRaw(w, o.Status, o.Body)
	case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/files/"):
		g.serveDownload(w, strings.TrimPrefix(r.URL.Path, "/files/"))
	case r.Method == "GET" && !strings.Contains(path, "/"):
		g.serveInfo(w, r, path)
	default:
		graphError(w, 400, 100, "Unsupported request", r.Method+" "+r.URL.Path)
	}
}

// object is the answer to GET /{id} for a Graph object the fake knows.
func (g *fakeGraph) object(id string) *fakeReply {
	g.mu.Lock()
	defer g.mu.Unlock()
	if o, ok := g.objects[id]; ok {
		return &o
	}
	return nil
}

// setObject makes GET /{id} answer status and body.
func (g *fakeGraph) setObject(id string, status int, body string) {
	g.mu.Lock()
	g.objects[id] = fakeReply{status, body}
	g.mu.Unlock()
}

func (g *fakeGraph) serveSend(w http.ResponseWriter, body []byte) {
	var in struct {
		To     string `json:"to"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		graphError(w, 400, 100, "Invalid parameter", "body is not JSON")
		return
	}
	g.mu.Lock()
	var next *fakeReply
	if len(g.replies) > 0 {
		next = &g.replies[0]
		g.replies = g.replies[1:]
	}
	g.mu.Unlock()
	switch {
	case next != nil:
		writeRaw(w, next.Status, next.Body)
	case in.Status == "read":
		writeRaw(w, 200, `{"success": true}`)
	default:
		writeRaw(w, 200, fmt.Sprintf(`{"messaging_product":"whatsapp","contacts":[{"input":%q,"wa_id":%q}],"messages":[{"id":%q}]}`,
			in.To, in.To, outWamid))
	}
}

func (g *fakeGraph) serveUpload(w http.ResponseWriter, r *http.Request, body []byte) {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		graphError(w, 400, 100, "Invalid parameter", "not multipart")
		return
	}
	mr := multipart.NewReader(strings.NewReader(string(body)), params["boundary"])
	var up fakeUpload
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		data, _ := io.ReadAll(p)
		switch p.FormName() {
		case "messaging_product":
			up.Product = string(data)
		case "type":
			up.Type = string(data)
		case "file":
			up.Filename, up.PartType, up.Data = p.FileName(), p.Header.Get("Content-Type"), data
		}
	}
	g.mu.Lock()
	g.uploads = append(g.uploads, up)
	n := len(g.uploads)
	g.mu.Unlock()
	writeRaw(w, 200, fmt.Sprintf(`{"id":"90000000000000%02d"}`, n))
}

func (g *fakeGraph) serveInfo(w http.ResponseWriter, r *http.Request, id string) {
	g.mu.Lock()
	f, ok := g.files[id]
	status := g.infoStatus
	g.mu.Unlock()
	if status != 0 {
		graphError(w, status, 131000, "Something went wrong", "temporary")
		return
	}
	if !ok || r.URL.Query().Get("phone_number_id") != pnid {
		graphError(w, 400, 100, "Unsupported get request", "Object with ID '"+id+"' does not exist")
		return
	}
	size := ""
	if f.Size >= 0 {
		size = fmt.Sprintf(`,"file_size":%d`, f.Size)
	}
	writeRaw(w, 200, fmt.Sprintf(`{"messaging_product":"whatsapp","url":%q,"mime_type":%q,"sha256":"abc"%s,"id":%q}`,
		g.URL+"/files/"+id, f.Mime, size, id))
}

func (g *fakeGraph) serveDownload(w http.ResponseWriter, id string) {
	g.mu.Lock()
	f, ok := g.files[id]
	g.mu.Unlock()
	switch {
	case !ok:
		http.NotFound(w, nil)
	case f.Status != 0:
		w.WriteHeader(f.Status)
	default:
		w.Header().Set("Content-Type", f.Mime)
		_, _ = w.Write(f.Data)
	}
}

func graphError(w http.ResponseWriter, status, code int, msg, details string) {
	writeRaw(w, status, fmt.Sprintf(`{"error":{"message":%q,"type":"OAuthException","code":%d,"error_data":{"messaging_product":"whatsapp","details":%q},"fbtrace_id":"AxYz123"}}`,
		fmt.Sprintf("(#%d) %s", code, msg), code, details))
}

func writeRaw(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// fixture reads testdata/name.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return b
}
