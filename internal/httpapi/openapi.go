package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
)

// Route is one line of the route table: the permission sits next to the path.
type Route struct {
	Method, Pattern string // Pattern like "/api/v1/conversations/{id}/assign"
	Summary         string
	Tag             string // grouping, e.g. "conversations"
	Access          Access // who may call it
	// Request is nil, a zero value of the request body type (a type of this
	// package, e.g. assignRequest{}), or a rawBody.
	Request any
	// Response is nil (204), a zero value of the response type, a rawBody,
	// or bodies when the route answers in several media types.
	Response any
	// Status is the success status when it is neither 200 nor 204: 101 for
	// a WebSocket upgrade.
	Status int
	// Errors are the error codes this route can answer beyond those its
	// Access and request body bring (routeCodes adds those); httpkit.StatusOf maps
	// each to its status in the document as at run time.
	Errors []desk.Code
	// BodyOptional: the handler takes no body as an empty one
	// (decodeOptionalJSON), so the document does not require one.
	BodyOptional bool
	// Also are answers outside httpkit.StatusOf, such as a readiness probe's 503.
	Also    []Answer
	Query   []Param          // documented query parameters
	Handler http.HandlerFunc `json:"-"`
}

// Answer is a status a route answers outside httpkit.StatusOf: Body is its type
// (nil: the error envelope with Codes).
type Answer struct {
	Status int
	Body   any
	Codes  []desk.Code
}

// Param documents one query parameter. Type is a JSON Schema type
// ("string", "integer", "number", "boolean"; empty means string), one of
// the string formats "date-time" and "date", or "duration" (whole seconds
// or a Go duration string, as desk.Seconds takes them). Required is set only where
// the handler refuses a request without it.
type Param struct {
	Name, Type, Description string
	Required                bool
}

// Access says who may call a route. The router enforces it and the OpenAPI
// document shows it, both from the same table line.
type Access string

// The access levels of the route table.
const (
	AccessPublic                   Access = "public"
	AccessSession                  Access = "session"     // any logged-in console user
	AccessIntegration              Access = "integration" // bearer API token
	AccessUserOrToken              Access = "user_or_token"
	AccessSupervisor               Access = "supervisor"
	AccessAdmin                    Access = "admin"
	AccessAdminWriteSupervisorRead Access = "admin_write_supervisor_read"
	AccessWidget                   Access = "widget"  // bearer widget token
	AccessWebhook                  Access = "webhook" // signed by the sender, no login
)

// sessionCookieName is the console's session cookie, as the document
// describes it; the login handler must set the same name.
const sessionCookieName = "relevo_session"

// rawBody documents a body by its media type alone, such as a CSV report,
// a multipart upload or JSON whose shape is someone else's (Meta's
// webhooks); use it as Route.Request or Route.Response.
type rawBody struct{ ContentType string }

// bodies is a Response answered in several media types (the report as JSON
// or CSV, a download of any allowed type): each a type or a rawBody.
type bodies []any

// security turns an Access into OpenAPI security requirements. Several
// entries are alternatives; an empty list means no credentials.
func security(a Access) ([]map[string][]string, error) {
	var (
		session = map[string][]string{"session": {}}
		token   = map[string][]string{"token": {}}
		widget  = map[string][]string{"widget": {}}
	)
	switch a {
	case AccessPublic, AccessWebhook:
		return []map[string][]string{}, nil
	case AccessSession, AccessSupervisor, AccessAdmin, AccessAdminWriteSupervisorRead:
		return []map[string][]string{session}, nil
	case AccessIntegration:
		return []map[string][]string{token}, nil
	case AccessUserOrToken:
		return []map[string][]string{session, token}, nil
	case AccessWidget:
		return []map[string][]string{widget}, nil
	}
	return nil, fmt.Errorf("unknown access %q", a)
}

// The OpenAPI 3.1 document, as typed structs: field order is fixed and
// encoding/json sorts map keys, so the output is byte-for-byte stable.
type (
	oaDoc struct {
		OpenAPI    string                             `json:"openapi"`
		Info       oaInfo                             `json:"info"`
		Servers    []oaServer                         `json:"servers"`
		Tags       []oaTag                            `json:"tags,omitempty"`
		Paths      map[string]map[string]*oaOperation `json:"paths"`
		Components oaComponents                       `json:"components"`
	}
	oaInfo struct {
		Title   string `json:"title"`
		Version string `json:"version"`
	}
	oaServer struct {
		URL         string `json:"url"`
		Description string `json:"description,omitempty"`
	}
	oaTag struct {
		Name string `json:"name"`
	}
	oaComponents struct {
		Schemas         map[string]*schema          `json:"schemas"`
		Responses       map[string]oaBody           `json:"responses,omitempty"`
		SecuritySchemes map[string]oaSecurityScheme `json:"securitySchemes"`
	}
	oaSecurityScheme struct {
		Type        string `json:"type"`
		In          string `json:"in,omitempty"`
		Name        string `json:"name,omitempty"`
		Scheme      string `json:"scheme,omitempty"`
		Description string `json:"description,omitempty"`
	}
	oaOperation struct {
		OperationID string                `json:"operationId"`
		Summary     string                `json:"summary,omitempty"`
		Tags        []string              `json:"tags,omitempty"`
		Access      Access                `json:"x-relevo-access"`
		Security    []map[string][]string `json:"security"`
		Parameters  []oaParameter         `json:"parameters,omitempty"`
		RequestBody *oaBody               `json:"requestBody,omitempty"`
		Responses   map[string]oaBody     `json:"responses"`
	}
	oaParameter struct {
		Name        string  `json:"name"`
		In          string  `json:"in"`
		Required    bool    `json:"required,omitempty"`
		Description string  `json:"description,omitempty"`
		Schema      *schema `json:"schema"`
	}
	// oaBody serves as both request body and response; the two differ only
	// in which optional fields are set.
	oaBody struct {
		Ref         string                 `json:"$ref,omitempty"` // a response in components
		Description string                 `json:"description,omitempty"`
		Content     map[string]oaMediaType `json:"content,omitempty"`
		Required    bool                   `json:"required,omitempty"`
	}
	oaMediaType struct {
		Schema *schema `json:"schema"`
	}
)

// buildOpenAPI generates the OpenAPI 3.1 document for routes, with schemas
// reflected from each route's Request and Response types. It fails on a
// route the document cannot describe faithfully (duplicate, unknown access,
// unsupported Go type, a domain type as a request body, an error code
// httpkit.StatusOf does not know) so that a test catches the mistake, not a client.
func buildOpenAPI(routes []Route, version string) ([]byte, error) {
	g := newSchemaGen()
	g.nameType(typeOf(httpkit.ErrorResponse{}), "Error") // the name clients look for
	var all []desk.Code
	for _, rt := range routes {
		all = append(all, routeCodes(rt)...)
		for _, a := range rt.Also {
			all = append(all, a.Codes...)
		}
	}
	enum(g, reflect.TypeFor[desk.Code](), "ErrorCode", all)
	// allowed_actions lists these verbs: clients switch on them.
	enum(g, reflect.TypeFor[desk.Verb](), "ConversationAction", desk.Verbs)
	enum(g, reflect.TypeFor[desk.AssignmentMode](), "AssignmentMode", []desk.AssignmentMode{desk.AssignManual, desk.AssignAutomatic})
	enum(g, reflect.TypeFor[desk.CallMode](), "CallMode", []desk.CallMode{desk.CallsOff, desk.CallsAudio, desk.CallsVideo})
	enum(g, reflect.TypeFor[desk.IcePolicy](), "IcePolicy", []desk.IcePolicy{desk.IcePolicyAll, desk.IcePolicyRelay})
	g.schemaFor(typeOf(httpkit.ErrorResponse{})) // every error answer refers to it
	doc := oaDoc{
		OpenAPI: "3.1.0",
		Info:    oaInfo{Title: "Relevo API", Version: version},
		Servers: []oaServer{{URL: "/", Description: "the server this document is served by"}},
		Paths:   map[string]map[string]*oaOperation{},
		Components: oaComponents{Schemas: g.defs, Responses: g.answers, SecuritySchemes: map[string]oaSecurityScheme{
			"session": {Type: "apiKey", In: "cookie", Name: sessionCookieName, Description: "Console session, set by POST /api/v1/auth/login."},
			"token":   {Type: "http", Scheme: "bearer", Description: "API token made by an admin; a bot token acts as its bot."},
			"widget":  {Type: "http", Scheme: "bearer", Description: "Widget session token from POST /widget/v1/sessions."},
		}},
	}
	tags := map[string]bool{}
	opIDs := map[string]string{}
	for _, rt := range routes {
		where := rt.Method + " " + rt.Pattern
		path, pathParams := openAPIPath(rt.Pattern)
		method := strings.ToLower(rt.Method)
		if doc.Paths[path][method] != nil {
			return nil, fmt.Errorf("httpapi: openapi: duplicate route %s", where)
		}
		sec, err := security(rt.Access)
		if err != nil {
			return nil, fmt.Errorf("httpapi: openapi: %s: %w", where, err)
		}
		op := &oaOperation{Summary: rt.Summary, Access: rt.Access, Security: sec}
		op.OperationID = operationID(method, path)
		if prev, dup := opIDs[op.OperationID]; dup {
			return nil, fmt.Errorf("httpapi: openapi: %s and %s share operationId %s", prev, where, op.OperationID)
		}
		opIDs[op.OperationID] = where
		if rt.Tag != "" {
			op.Tags, tags[rt.Tag] = []string{rt.Tag}, true
		}
		for _, name := range pathParams {
			op.Parameters = append(op.Parameters, oaParameter{Name: name, In: "path", Required: true, Schema: &schema{Type: schemaType{"string"}}})
		}
		for _, q := range rt.Query {
			op.Parameters = append(op.Parameters, oaParameter{Name: q.Name, In: "query", Required: q.Required, Description: q.Description, Schema: paramSchema(q.Type)})
		}
		if rt.Request != nil {
			content, err := g.requestContent(rt.Request)
			if err != nil {
				return nil, fmt.Errorf("httpapi: openapi: %s request: %w", where, err)
			}
			op.RequestBody = &oaBody{Content: content, Required: !rt.BodyOptional}
		}
		if op.Responses, err = g.responses(rt); err != nil {
			return nil, fmt.Errorf("httpapi: openapi: %s: %w", where, err)
		}
		if doc.Paths[path] == nil {
			doc.Paths[path] = map[string]*oaOperation{}
		}
		doc.Paths[path][method] = op
	}
	if g.err != nil {
		return nil, fmt.Errorf("httpapi: openapi: %w", g.err)
	}
	for name := range tags {
		doc.Tags = append(doc.Tags, oaTag{Name: name})
	}
	sort.Slice(doc.Tags, func(i, j int) bool { return doc.Tags[i].Name < doc.Tags[j].Name })
	return json.MarshalIndent(doc, "", "  ")
}

// requestContent describes a Request value as a body. Request types are
// reflected in request mode (see requests.go for what is required).
func (g *schemaGen) requestContent(v any) (map[string]oaMediaType, error) {
	g.request = true
	defer func() { g.request = false }()
	return g.content(v)
}

// content describes a Request or Response value as a body.
func (g *schemaGen) content(v any) (map[string]oaMediaType, error) {
	switch b := v.(type) {
	case rawBody:
		return map[string]oaMediaType{b.ContentType: {Schema: rawSchema(b.ContentType)}}, nil
	case bodies:
		out := map[string]oaMediaType{}
		for _, one := range b {
			c, err := g.content(one)
			if err != nil {
				return nil, err
			}
			for mt, m := range c {
				if _, dup := out[mt]; dup {
					return nil, fmt.Errorf("media type %s twice", mt)
				}
				out[mt] = m
			}
		}
		return out, nil
	}
	t := typeOf(v)
	if t.Kind() == reflect.Pointer {
		t = t.Elem() // a body is never null, whatever the zero value was
	}
	return jsonContent(g.schemaFor(t)), g.err
}

func jsonContent(s *schema) map[string]oaMediaType {
	return map[string]oaMediaType{"application/json": {Schema: s}}
}

// paramSchema maps Param.Type to a schema.
func paramSchema(t string) *schema {
	switch t {
	case "":
		return &schema{Type: schemaType{"string"}}
	case "date-time", "date":
		return &schema{Type: schemaType{"string"}, Format: t}
	case "duration":
		return durationSchema()
	}
	return &schema{Type: schemaType{t}}
}

// openAPIPath turns a ServeMux pattern into an OpenAPI path and its
// parameter names: "{path...}" becomes "{path}", and "{$}" (exact match)
// has no OpenAPI equivalent, so it is dropped.
func openAPIPath(pattern string) (string, []string) {
	path := strings.ReplaceAll(pattern, "{$}", "")
	var names []string
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			name := strings.TrimSuffix(s[1:len(s)-1], "...")
			segs[i] = "{" + name + "}"
			names = append(names, name)
		}
	}
	return strings.Join(segs, "/"), names
}
