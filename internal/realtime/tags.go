package realtime

import "github.com/relevo/relevo/internal/desk"

// TagDeleted is the data of tag.deleted.
type TagDeleted struct {
	TagID string `json:"tag_id"`
}

// tagDeleted tells every socket: tags are shared by every bot, so every
// console may show the one that went (a filter, a conversation's chips).
func (h *Hub) tagDeleted(c desk.Change) {
	if c.TagID == "" {
		return
	}
	frame := encode(FrameTagDeleted, "", 0, TagDeleted{TagID: c.TagID})
	h.each(func(s *socket) { s.enqueue(frame) })
}
