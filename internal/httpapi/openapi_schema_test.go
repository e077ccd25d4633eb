package httpapi

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/relevo/relevo/internal/desk"
)

func TestOpenAPISchemasFollowEncodingJSON(t *testing.T) {
	doc, _ := buildDoc(t, oaRoutes())
	schemas := get(t, doc, "components", "schemas")
	for _, tc := range []struct{ schema, prop, want string }{
		{"OaNode", "id", `{"type":"string"}`},
		{"OaNode", "created_at", `{"format":"date-time","type":"string"}`},
		{"OaNode", "parent", `{"anyOf":[{"$ref":"#/components/schemas/OaNode"},{"type":"null"}]}`},
		{"OaNode", "children", `{"items":{"$ref":"#/components/schemas/OaNode"},"type":"array"}`},
		{"OaNode", "contact", `{"$ref":"#/components/schemas/OaContact"}`},
		{"OaNode", "closed_at", `{"format":"date-time","type":["string","null"]}`},
		{"OaNode", "flow", `{}`},
		{"OaNode", "meta", `{"additionalProperties":{},"type":"object"}`},
		{"OaNode", "count", `{"type":"string"}`},
		{"OaNode", "score", `{"type":"number"}`},
		{"OaNode", "blob", `{"contentEncoding":"base64","type":"string"}`},
		{"OaNode", "extra", `{}`},
		{"OaNode", "phase", `{"type":"string"}`},
		{"OaNode", "Untagged", `{"type":"boolean"}`},
		{"OaContact", "phone", `{"type":["string","null"]}`},
		{"OaContact", "attributes", `{"additionalProperties":{"type":"string"},"type":"object"}`},
		{"OaCreate", "contact", `{"anyOf":[{"$ref":"#/components/schemas/OaContactInput"},{"type":"null"}]}`},
		{"OaCreate", "inline", `{"properties":{"x":{"type":"integer"}},"type":"object"}`},
		{"OaNodePage", "items", `{"items":{"$ref":"#/components/schemas/OaNode"},"type":"array"}`},
		{"OaNodePage", "next_cursor", `{"type":["string","null"]}`},
		{"Error", "error", `{"$ref":"#/components/schemas/ErrorBody"}`},
		{"ErrorBody", "details", `{"additionalProperties":{},"type":"object"}`},
	} {
		got, _ := json.Marshal(get(t, schemas, tc.schema, "properties", tc.prop))
		if string(got) != tc.want {
			t.Errorf("%s.%s = %s\nwant %s", tc.schema, tc.prop, got, tc.want)
		}
	}
	for schema, want := range map[string]string{
		"OaNode":         `["Untagged","children","closed_at","contact","count","created_at","extra","flow","id","parent","phase","score"]`,
		"OaCreate":       `["name"]`,
		"OaContactInput": `["name"]`,
		"ErrorBody":      `["code","message"]`,
	} {
		if got, _ := json.Marshal(get(t, schemas, schema, "required")); string(got) != want {
			t.Errorf("%s.required = %s; want %s", schema, got, want)
		}
	}
	props := get(t, schemas, "OaNode", "properties").(map[string]any)
	for _, absent := range []string{"Secret", "-", "hidden", "oaBase", "Meta"} {
		if _, ok := props[absent]; ok {
			t.Errorf("OaNode has property %q", absent)
		}
	}
}

func TestOpenAPIComponentNamesStayUnique(t *testing.T) {
	type Tag struct {
		Local bool `json:"local"`
	}
	doc, _ := buildDoc(t, []Route{
		{Method: "GET", Pattern: "/a", Access: AccessPublic, Response: desk.Tag{}},
		{Method: "GET", Pattern: "/b", Access: AccessPublic, Response: Tag{}},
		{Method: "GET", Pattern: "/c", Access: AccessPublic, Response: page[desk.Tag]{}},
	})
	schemas := get(t, doc, "components", "schemas").(map[string]any)
	for _, name := range []string{"Tag", "HttpapiTag", "TagPage"} {
		if _, ok := schemas[name]; !ok {
			t.Errorf("no schema %s among %v", name, reflect.ValueOf(schemas).MapKeys())
		}
	}
	if _, ok := get(t, schemas, "HttpapiTag", "properties").(map[string]any)["local"]; !ok {
		t.Errorf("HttpapiTag is not the local type")
	}
}

func TestReadableTypeName(t *testing.T) {
	for in, want := range map[string]string{
		"Conversation":  "Conversation",
		"assignRequest": "AssignRequest",
		"page[github.com/relevo/relevo/internal/desk.Conversation]": "ConversationPage",
		"page[[]string]":                    "StringListPage",
		"page[*example.com/x.User]":         "UserPage",
		"pair[string,map[string]int]":       "StringStringIntMapPair",
		"page[example.com/x.page[x.Inner]]": "InnerPagePage",
	} {
		if got := readableTypeName(in); got != want {
			t.Errorf("readableTypeName(%q) = %q; want %q", in, got, want)
		}
	}
}

// The domain's wire types must all be describable, or the served document
// would fail to build the day a handler returns them.
func TestOpenAPIDescribesDomainTypes(t *testing.T) {
	var routes []Route
	for i, v := range []any{desk.User{}, desk.Bot{}, desk.Channel{}, desk.Team{}, desk.Reason{}, desk.Tag{},
		desk.Template{}, desk.Contact{}, page[desk.Conversation]{}, page[desk.Message]{}, desk.Note{}, desk.ChatMessage{}} {
		routes = append(routes, Route{Method: "GET", Pattern: "/t" + string(rune('a'+i)), Access: AccessSession, Response: v})
	}
	doc, _ := buildDoc(t, routes)
	for _, name := range []string{"User", "Conversation", "ConversationPage", "Message", "MessagePage", "Attachment"} {
		get(t, doc, "components", "schemas", name, "properties")
	}
}
