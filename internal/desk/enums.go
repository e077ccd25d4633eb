package desk

import "strings"

// Phase is where a conversation stands in its lifecycle.
type Phase string

// The four phases of DESIGN.md.
const (
	PhaseBot     Phase = "bot"
	PhaseWaiting Phase = "waiting"
	PhaseHuman   Phase = "human"
	PhaseClosed  Phase = "closed"
)

// Valid reports whether p is one of the four phases.
func (p Phase) Valid() bool {
	switch p {
	case PhaseBot, PhaseWaiting, PhaseHuman, PhaseClosed:
		return true
	}
	return false
}

// Open reports whether a conversation in p is still running.
func (p Phase) Open() bool { return p == PhaseBot || p == PhaseWaiting || p == PhaseHuman }

// Role is what a user may do.
type Role string

// Roles, from least to most powerful where that ordering means anything.
const (
	RoleAgent      Role = "agent"
	RoleAuditor    Role = "auditor"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAgent, RoleAuditor, RoleSupervisor, RoleAdmin:
		return true
	}
	return false
}

// Supervises reports whether r may act on other users' conversations and
// watch the floor.
func (r Role) Supervises() bool { return r == RoleSupervisor || r == RoleAdmin }

// SeesAll reports whether r reads every conversation of its bots, including
// other agents' and bot-phase ones.
func (r Role) SeesAll() bool { return r == RoleAuditor || r.Supervises() }

// UserStatus is an agent's presence.
type UserStatus string

// Presence states.
const (
	StatusOnline  UserStatus = "online"
	StatusPaused  UserStatus = "paused"
	StatusOffline UserStatus = "offline"
)

// Valid reports whether s is a known status.
func (s UserStatus) Valid() bool {
	return s == StatusOnline || s == StatusPaused || s == StatusOffline
}

// ChannelType is where customers write.
type ChannelType string

// Channel types.
const (
	ChannelWeb      ChannelType = "web"
	ChannelWhatsApp ChannelType = "whatsapp"
	ChannelAPI      ChannelType = "api"
)

// Valid reports whether t is a known channel type.
func (t ChannelType) Valid() bool {
	return t == ChannelWeb || t == ChannelWhatsApp || t == ChannelAPI
}

// HasWindow reports whether the channel enforces Meta's 24-hour customer
// service window.
func (t ChannelType) HasWindow() bool { return t == ChannelWhatsApp }

// AuthorType says who wrote a message.
type AuthorType string

// Authors.
const (
	AuthorContact AuthorType = "contact"
	AuthorBot     AuthorType = "bot"
	AuthorAgent   AuthorType = "agent"
	AuthorSystem  AuthorType = "system"
)

// MessageKind is the shape of a message.
type MessageKind string

// Message kinds.
const (
	KindText     MessageKind = "text"
	KindImage    MessageKind = "image"
	KindAudio    MessageKind = "audio"
	KindVideo    MessageKind = "video"
	KindFile     MessageKind = "file"
	KindLocation MessageKind = "location"
	KindTemplate MessageKind = "template"
	KindNote     MessageKind = "note"
	KindEvent    MessageKind = "event"
)

// KindOfMime is the message kind an attachment of this MIME type makes.
func KindOfMime(mime string) MessageKind {
	switch {
	case strings.HasPrefix(mime, "image/"):
		return KindImage
	case strings.HasPrefix(mime, "audio/"):
		return KindAudio
	case strings.HasPrefix(mime, "video/"):
		return KindVideo
	}
	return KindFile
}

// MessageStatus is the delivery state of a message.
type MessageStatus string

// Delivery states. Inbound messages are "received"; outbound ones go
// pending → sent → delivered → read, or failed.
const (
	StatusPending   MessageStatus = "pending"
	StatusSent      MessageStatus = "sent"
	StatusDelivered MessageStatus = "delivered"
	StatusRead      MessageStatus = "read"
	StatusFailed    MessageStatus = "failed"
	StatusReceived  MessageStatus = "received"
)

// EventType is the type of a timeline event message.
type EventType string

// Timeline events.
const (
	EventHandover   EventType = "handover"
	EventAssigned   EventType = "assigned"
	EventUnassigned EventType = "unassigned"
	EventTransfer   EventType = "transferred"
	EventResolved   EventType = "resolved"
	EventAutoClosed EventType = "auto_closed"
	EventBlocked    EventType = "blocked"
	EventTagAdded   EventType = "tag_added"
	EventTagRemoved EventType = "tag_removed"
	EventReopened   EventType = "reopened"
	// EventCSAT is the customer's rating of a resolved conversation;
	// EventCSATNotAsked says the survey could not be sent (WhatsApp's
	// 24-hour window had closed).
	EventCSAT         EventType = "csat"
	EventCSATNotAsked EventType = "csat_not_asked"
)
