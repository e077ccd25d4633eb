package desk

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// expectedVerbs is the permission table of DESIGN.md written out again by
// hand, independently of Authorize: what viewer may do with a conversation
// of its bot in phase, held by assignee ("" nobody, "me", "other"), with
// the processing lock off. Restricted verbs move to "after lock" when the
// lock holds.
func expectedVerbs(viewer string, phase Phase, assignee string) []Verb {
	mine := assignee == "me"
	var out []Verb
	add := func(v Verb, when bool) {
		if when {
			out = append(out, v)
		}
	}
	switch viewer {
	case "bot token":
		add(VerbTag, true)
		add(VerbReply, phase == PhaseBot)
		return out
	case "outsider":
		return nil
	}
	sup := viewer == "supervisor" || viewer == "admin"
	seesAll := sup || viewer == "auditor"
	if !seesAll && phase != PhaseWaiting && !mine {
		return nil // an agent sees the queue and its own conversations only
	}
	open := phase != PhaseClosed
	add(VerbAssign, phase == PhaseWaiting)
	add(VerbTakeOver, phase == PhaseBot && seesAll)
	add(VerbUnassign, phase == PhaseHuman && (mine || sup))
	add(VerbTransfer, phase == PhaseHuman && (mine || sup))
	add(VerbResolve, (phase == PhaseHuman || phase == PhaseWaiting) && (mine || sup))
	add(VerbBlock, open && (mine || sup))
	add(VerbTag, mine || seesAll)
	add(VerbReply, phase == PhaseHuman && mine)
	add(VerbNote, true)
	add(VerbMarkRead, true)
	return out
}

// lockRestricted are the verbs the processing lock holds back: send,
// transfer, block, resolve, tag.
var lockRestricted = []Verb{VerbTransfer, VerbResolve, VerbBlock, VerbTag, VerbReply}

func viewerActor(name string) Actor {
	switch name {
	case "agent":
		return member("me", RoleAgent)
	case "auditor":
		return member("me", RoleAuditor)
	case "supervisor":
		return member("me", RoleSupervisor)
	case "admin":
		return UserActor(User{ID: "me", Role: RoleAdmin})
	case "bot token":
		return botToken
	}
	return UserActor(User{ID: "me", Role: RoleSupervisor, BotIDs: []string{otherBot}})
}

// TestAllowedActionsTable walks role × phase × assignee × lock.
func TestAllowedActionsTable(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	later := now.Add(10 * time.Second)
	cases := 0
	for _, viewer := range []string{"agent", "auditor", "supervisor", "admin", "bot token", "outsider"} {
		for _, phase := range allPhases {
			for _, assignee := range []string{"", "me", "other"} {
				for _, locked := range []bool{false, true} {
					cases++
					name := fmt.Sprintf("%s/%s/assignee=%q/locked=%v", viewer, phase, assignee, locked)
					t.Run(name, func(t *testing.T) {
						c := Conversation{ID: "c", BotID: thisBot, Phase: phase}
						if assignee != "" {
							id := assignee
							c.AssigneeID = &id
						}
						if locked {
							c.LockedUntil = &later
						}
						want := expectedVerbs(viewer, phase, assignee)
						var wantNow, wantAfter []Verb
						for _, v := range want {
							if locked && slices.Contains(lockRestricted, v) {
								wantAfter = append(wantAfter, v)
							} else {
								wantNow = append(wantNow, v)
							}
						}
						got := AllowedActions(c, viewerActor(viewer), now)
						if !slices.Equal(got.Now, orNone(wantNow)) || !slices.Equal(got.AfterLock, orNone(wantAfter)) {
							t.Fatalf("AllowedActions = now %v, after lock %v; want now %v, after lock %v",
								got.Now, got.AfterLock, wantNow, wantAfter)
						}
					})
				}
			}
		}
	}
	if cases != 6*4*3*2 {
		t.Fatalf("walked %d cases", cases)
	}
}

func orNone(v []Verb) []Verb {
	if v == nil {
		return []Verb{}
	}
	return v
}

// TestAllowedActionsAgreeWithDecide: what the list offers is exactly what
// Decide accepts for the actor acting itself, so a client that follows the
// list is never refused for a rule it was not told about.
func TestAllowedActionsAgreeWithDecide(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	later := now.Add(time.Minute)
	actors := map[string]Actor{"ana": ana, "auditor": auditor, "supervisor": supervisor, "admin": admin,
		"bot token": botToken, "integration": integToken}
	for name, actor := range actors {
		for i, c := range conversations() {
			for _, locked := range []bool{false, true} {
				if locked {
					c.LockedUntil = &later
				}
				al := AllowedActions(c, actor, now)
				for _, v := range Verbs {
					if v == VerbMarkRead {
						continue
					}
					_, err := Decide(verbAction[v], c, actor, now, Target{AssigneeID: "t", TeamID: "t"}.forVerb(v))
					if (err == nil) != slices.Contains(al.Now, v) {
						t.Errorf("%s on %s (locked %v): %s listed %v, Decide says %v", name, convNames[i], locked, v,
							slices.Contains(al.Now, v), err)
					}
					if IsCode(err, CodeConversationLocked) != slices.Contains(al.AfterLock, v) {
						t.Errorf("%s on %s: %s after lock listed %v, Decide says %v", name, convNames[i], v,
							slices.Contains(al.AfterLock, v), err)
					}
				}
			}
		}
	}
}

// forVerb keeps the target only where the verb names one: assign and take
// over are tried as the actor taking the conversation itself.
func (to Target) forVerb(v Verb) Target {
	if v == VerbAssign || v == VerbTakeOver {
		return Target{}
	}
	return to
}

func TestForViewerFillsTheWireFields(t *testing.T) {
	c := conversations()[2] // Ana's
	later := time.Now().Add(time.Minute)
	c.LockedUntil = &later
	c.ForViewer(ana, time.Now())
	if !slices.Equal(c.AllowedActions, []Verb{VerbUnassign, VerbNote, VerbMarkRead}) {
		t.Fatalf("allowed = %v", c.AllowedActions)
	}
	if !slices.Equal(c.ActionsAfterLock, []Verb{VerbTransfer, VerbResolve, VerbBlock, VerbTag, VerbReply}) {
		t.Fatalf("after lock = %v", c.ActionsAfterLock)
	}
}

func TestCheckReadState(t *testing.T) {
	c := conversations()[3] // Bia's
	if err := CheckReadState(c, botToken); !IsCode(err, CodeForbidden) {
		t.Fatalf("bot token: %v", err)
	}
	if err := CheckReadState(c, ana); !IsCode(err, CodeNotFound) {
		t.Fatalf("agent on a colleague's: %v", err)
	}
	if err := CheckReadState(c, auditor); err != nil {
		t.Fatalf("auditor: %v", err)
	}
}
