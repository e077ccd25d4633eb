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
)

// Change is what one committed state change announces. It carries ids and
// the conversation's seq, not the objects: subscribers read the truth from
// the store, so a lost or late change never shows stale data.
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
