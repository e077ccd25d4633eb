package desk

// CustomerCallEvents are the timeline events a customer sees in its own
// feed: how each call ended, so the line the widget writes live ("Call
// ended · 2:14") is still there after a reload. Every other event is the
// desk's own record.
var CustomerCallEvents = []EventType{EventCallEnded, EventCallDeclined, EventCallMissed, EventCallCancelled}

// CustomerSees reports whether the customer sees m in its conversation:
// never an internal note, no event but how a call ended.
func CustomerSees(m Message) bool {
	switch m.Kind {
	case KindNote:
		return false
	case KindEvent:
		if m.Event == nil || m.Event.Call == nil {
			return false
		}
		for _, t := range CustomerCallEvents {
			if m.Event.Type == t {
				return true
			}
		}
		return false
	}
	return true
}
