package desk

// ChangeType names what a committed change was, as the real-time protocol
// calls it.
type ChangeType string

// Change types published after commit.
const (
	ChangeConversation   ChangeType = "conversation.updated"
	ChangeMessageCreated ChangeType = "message.created"
	ChangeMessageUpdated ChangeType = "message.updated"
	ChangeAgentStatus    ChangeType = "agent.status"
	ChangeChatMessage    ChangeType = "chat.message"
	ChangeUserLoggedOut  ChangeType = "user.logged_out"
	// ChangeCapacity tells every node's drainer that a bot's automatic
	// queues may be served now (a queue switched to automatic, max_chats
	// raised). Not sent to sockets.
	ChangeCapacity ChangeType = "capacity.changed"
	// ChangeTyping is not stored: someone is typing in a conversation.
	ChangeTyping ChangeType = "typing"
	// ChangePresence is not stored: someone views, types in or leaves a
	// conversation (collision; internal/realtime keeps it in memory).
	ChangePresence ChangeType = "conversation.viewers"
	// ChangeCall: a call changed state (stored; carries the call).
	ChangeCall ChangeType = "call.state"
	// ChangeCallSignal is not stored: signalling relayed between the
	// parties of a call (realtime/calls.go).
	ChangeCallSignal ChangeType = "call.signal"
	// ChangeTagDeleted: a tag is gone, from the catalog and from every
	// conversation that had it (carries TagID; tags belong to no bot).
	ChangeTagDeleted ChangeType = "tag.deleted"
)

// Change is what one committed state change announces. Across nodes it
// carries ids and the conversation's seq, not the objects: subscribers
// there read the truth from the store, so a lost or late change never
// shows stale data. On the node that wrote it, it also carries what the
// transaction wrote (Conversation, Message), so that node builds its
// frames without reading back.
type Change struct {
	Type           ChangeType `json:"type"`
	ConversationID string     `json:"conversation_id,omitempty"`
	BotID          string     `json:"bot_id,omitempty"`
	Seq            int64      `json:"seq,omitempty"`
	MessageID      string     `json:"message_id,omitempty"`
	// UserID is set for user-level changes (status, chat, logout).
	UserID string `json:"user_id,omitempty"`
	// ToUserID is the recipient of a chat message.
	ToUserID string `json:"to_user_id,omitempty"`
	// Move is set on conversation.updated when the phase, assignee
	// or team changed, so live counters move without counting rows.
	Move *Move `json:"move,omitempty"`
	// Conversation is the conversation as this change's transaction
	// committed it (tags included, no per-user read state) and Message
	// the message it created: set by the store on the node that wrote,
	// never sent over the bus (json "-"), nil when a subscriber must read
	// the store. Every local subscriber gets the same pointers: read-only.
	Conversation *Conversation `json:"-"`
	Message      *Message      `json:"-"`
	// Presence is set on conversation.viewers: who, from which node, doing what.
	Presence *Presence `json:"presence,omitempty"`
	// Call is set on call.state and call.signal; Signal on call.signal.
	Call   *Call       `json:"call,omitempty"`
	Signal *CallSignal `json:"signal,omitempty"`
	// TagID is set on tag.deleted.
	TagID string `json:"tag_id,omitempty"`
}

// PresenceState is what a viewer of a conversation just did.
type PresenceState string

// Presence states.
const (
	PresenceView   PresenceState = "view"
	PresenceTyping PresenceState = "typing"
	PresenceLeave  PresenceState = "leave"
)

// Presence is one user's view of a conversation, as one node announces it.
// It carries the name and role so other nodes need no store read to show it.
type Presence struct {
	Node  string        `json:"node"`
	Name  string        `json:"name"`
	Role  Role          `json:"role"`
	State PresenceState `json:"state"`
}

// Move is a conversation's placement before and after a change.
// Prev is the zero Placement for a conversation that did not exist.
type Move struct {
	Prev Placement `json:"prev"`
	Next Placement `json:"next"`
}

// Placement is where a conversation stands on the floor.
type Placement struct {
	Phase      Phase  `json:"phase,omitempty"`
	AssigneeID string `json:"assignee_id,omitempty"`
	TeamID     string `json:"team_id,omitempty"`
}
