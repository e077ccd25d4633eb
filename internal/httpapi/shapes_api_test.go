package httpapi_test

import (
	"sort"
	"strings"
	"testing"
	"time"
)

// The objects of API.md "Objects": the fields every client may rely on.
// A checker fails when one is missing or has the wrong JSON type.

// kind of a JSON value: "string", "number", "bool", "object", "array",
// "null"; a "|null" suffix allows null as well.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return "?"
}

// checkFields checks that m has every field of spec ("name": "kind" or
// "kind|null"), and that time fields ("time", "time|null") are RFC 3339
// UTC.
func checkFields(t *testing.T, what string, m map[string]any, spec map[string]string) {
	t.Helper()
	names := make([]string, 0, len(spec))
	for k := range spec {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		want := spec[name]
		v, ok := m[name]
		if !ok {
			t.Errorf("%s: field %q missing in %v", what, name, m)
			continue
		}
		got := jsonKind(v)
		nullable := strings.HasSuffix(want, "|null")
		base := strings.TrimSuffix(want, "|null")
		if got == "null" {
			if !nullable {
				t.Errorf("%s: field %q is null", what, name)
			}
			continue
		}
		if base == "time" {
			s, _ := v.(string)
			tm, err := time.Parse(time.RFC3339Nano, s)
			if err != nil || tm.Location() != time.UTC || !strings.HasSuffix(s, "Z") {
				t.Errorf("%s: field %q = %v, want an RFC 3339 UTC time", what, name, v)
			}
			continue
		}
		if got != base {
			t.Errorf("%s: field %q is %s (%v), want %s", what, name, got, v, want)
		}
	}
}

// checkPage checks the list convention: {"items": [...], "next_cursor": string|null}.
func checkPage(t *testing.T, what string, m map[string]any) {
	t.Helper()
	checkFields(t, what, m, map[string]string{"items": "array", "next_cursor": "string|null"})
}

func checkUser(t *testing.T, what string, m map[string]any) {
	t.Helper()
	checkFields(t, what+" user", m, map[string]string{"id": "string", "name": "string", "email": "string",
		"role": "string", "status": "string", "pause_reason": "string", "max_chats": "number",
		"bot_ids": "array", "team_ids": "array"})
	if _, ok := m["password_hash"]; ok {
		t.Errorf("%s: user shows its password hash", what)
	}
	if !has([]string{"admin", "supervisor", "agent", "auditor"}, str(m["role"])) {
		t.Errorf("%s: role %v", what, m["role"])
	}
	if !has([]string{"online", "paused", "offline"}, str(m["status"])) {
		t.Errorf("%s: status %v", what, m["status"])
	}
}

func checkConversation(t *testing.T, what string, m map[string]any) {
	t.Helper()
	what += " conversation"
	checkFields(t, what, m, map[string]string{"id": "string", "protocol": "string|null", "bot_id": "string",
		"channel_id": "string", "channel_type": "string", "contact": "object", "phase": "string",
		"assignee_id": "string|null", "team_id": "string|null", "tags": "array", "unread_count": "number",
		"marked_unread": "bool", "waiting_since": "time|null", "last_message_at": "time",
		"window_expires_at": "time|null", "locked_until": "time|null", "seq": "number",
		"closed_reason": "string|null", "created_at": "time", "closed_at": "time|null"})
	if c, ok := m["contact"].(map[string]any); ok {
		checkFields(t, what+" contact", c, map[string]string{"id": "string", "name": "string", "phone": "string"})
	}
	if !has([]string{"bot", "waiting", "human", "closed"}, str(m["phase"])) {
		t.Errorf("%s: phase %v", what, m["phase"])
	}
}

func checkMessage(t *testing.T, what string, m map[string]any) {
	t.Helper()
	what += " message"
	checkFields(t, what, m, map[string]string{"id": "string", "conversation_id": "string", "seq": "number",
		"author": "object", "kind": "string", "text": "string", "attachments": "array", "event": "object|null",
		"status": "string", "error": "string|null", "created_at": "time"})
	if a, ok := m["author"].(map[string]any); ok {
		checkFields(t, what+" author", a, map[string]string{"type": "string", "id": "string|null", "name": "string"})
		if !has([]string{"contact", "bot", "agent", "system"}, str(a["type"])) {
			t.Errorf("%s: author type %v", what, a["type"])
		}
	}
	if !has([]string{"text", "image", "audio", "video", "file", "location", "template", "note", "event"}, str(m["kind"])) {
		t.Errorf("%s: kind %v", what, m["kind"])
	}
	if !has([]string{"pending", "sent", "delivered", "read", "failed", "received"}, str(m["status"])) {
		t.Errorf("%s: status %v", what, m["status"])
	}
	if ev, ok := m["event"].(map[string]any); ok {
		if m["kind"] != "event" {
			t.Errorf("%s: event on a message of kind %v", what, m["kind"])
		}
		checkFields(t, what+" event", ev, map[string]string{"type": "string", "actor_id": "string|null",
			"from": "string", "to": "string", "reason": "object|null", "note": "string"})
		if r, ok := ev["reason"].(map[string]any); ok {
			checkFields(t, what+" event reason", r, map[string]string{"id": "string", "name": "string"})
		}
	} else if m["kind"] == "event" {
		t.Errorf("%s: kind event without an event", what)
	}
	for _, a := range m["attachments"].([]any) {
		checkAttachment(t, what, a.(map[string]any))
	}
}

func checkAttachment(t *testing.T, what string, m map[string]any) {
	t.Helper()
	checkFields(t, what+" attachment", m, map[string]string{"id": "string", "name": "string", "mime": "string",
		"size": "number", "url": "string"})
}
