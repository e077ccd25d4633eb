package realtime

import (
	"encoding/json"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// FrameType names a frame of the socket protocol (docs/realtime.md).
type FrameType string

// Server frames.
const (
	FrameHello               FrameType = "hello"
	FrameConversationUpdated FrameType = "conversation.updated"
	FrameMessageCreated      FrameType = "message.created"
	FrameMessageUpdated      FrameType = "message.updated"
	FrameMonitorCounters     FrameType = "monitor.counters"
	FrameAgentStatus         FrameType = "agent.status"
	FrameChatMessage         FrameType = "chat.message"
	FrameTyping              FrameType = "typing"
	FrameError               FrameType = "error"
	// FrameConversationViewers: the others viewing a conversation (collision).
	FrameConversationViewers FrameType = "conversation.viewers"
	// FrameTagDeleted: a tag was deleted; drop it from the catalog and
	// from every conversation shown (tags belong to no bot: every socket).
	FrameTagDeleted FrameType = "tag.deleted"
)

// Client frames besides typing (collision: viewing and typing, seen by
// colleagues only, never by the customer).
const (
	FrameConversationView   FrameType = "conversation.view"
	FrameConversationLeave  FrameType = "conversation.leave"
	FrameConversationTyping FrameType = "conversation.typing"
)

// Frame is one server-to-client message. Data is the typed payload of
// Type, encoded once per change and shared by every socket it goes to.
type Frame struct {
	Type           FrameType       `json:"type"`
	ConversationID string          `json:"conversation_id,omitempty"`
	Seq            int64           `json:"seq,omitempty"`
	Data           json.RawMessage `json:"data,omitempty"`
}

// Hello is the first frame on every socket: who you are and the server's
// time, so clients can show lock countdowns without trusting their clock.
type Hello struct {
	UserID     string `json:"user_id"`
	ServerTime string `json:"server_time"`
}

// AgentStatus is an agent's presence.
type AgentStatus struct {
	UserID      string          `json:"user_id"`
	Name        string          `json:"name"`
	Status      desk.UserStatus `json:"status"`
	PauseReason string          `json:"pause_reason"`
	// StatusSince is when the status last changed.
	StatusSince time.Time `json:"status_since"`
}

// Typing says someone is typing in a conversation (not stored).
type Typing struct {
	UserID string `json:"user_id,omitempty"`
	Name   string `json:"name"`
	// Author is "agent" or "contact".
	Author desk.AuthorType `json:"author"`
}

// Viewer is someone else viewing a conversation now.
type Viewer struct {
	UserID string    `json:"user_id"`
	Name   string    `json:"name"`
	Role   desk.Role `json:"role"`
	Typing bool      `json:"typing"`
}

// ConversationViewers lists the others viewing a conversation (never the
// receiver); an empty list means the receiver is alone again.
type ConversationViewers struct {
	ConversationID string   `json:"conversation_id"`
	Viewers        []Viewer `json:"viewers"`
}

// AgentOpen is one agent's open conversations.
type AgentOpen struct {
	ID   string `json:"id"`
	Open int    `json:"open"`
}

// TeamCount is one team's queue and conversations with people.
type TeamCount struct {
	ID      string `json:"id"`
	Waiting int    `json:"waiting"`
	Human   int    `json:"human"`
}

// MonitorCounters is the live floor for one supervisor's bots.
type MonitorCounters struct {
	Counters store.Counters `json:"counters"`
	Agents   []AgentOpen    `json:"agents"`
	Teams    []TeamCount    `json:"teams"`
}

// ErrorFrame answers a client frame the server could not take.
type ErrorFrame struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ClientFrame is what a client may send.
type ClientFrame struct {
	Type           FrameType `json:"type"`
	ConversationID string    `json:"conversation_id"`
}

// encode builds a frame with its payload; payload types are plain structs
// that always encode.
func encode(t FrameType, convID string, seq int64, payload any) []byte {
	data, _ := json.Marshal(payload)
	b, _ := json.Marshal(Frame{Type: t, ConversationID: convID, Seq: seq, Data: data})
	return b
}
