package store_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

func TestChatBetweenTwoUsersListsInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ana, sup, bea := w.user("Ana", desk.RoleAgent, a), w.user("Sup", desk.RoleSupervisor, a), w.user("Bea", desk.RoleAgent, a)
		send := func(from, to desk.User, text string) {
			t.Helper()
			w.advance(time.Second)
			if _, err := w.s.SendChat(w.ctx, from.ID, to.ID, text); err != nil {
				t.Fatal(err)
			}
		}
		send(ana, sup, "can you take Carla?")
		send(sup, bea, "not for you, Ana")
		send(sup, ana, "on it")
		send(ana, sup, " thanks ")
		texts := func(a, b desk.User, limit int) []string {
			t.Helper()
			ms, err := w.s.ListChat(w.ctx, a.ID, b.ID, limit)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range ms {
				out = append(out, qName(m.FromID, ana, sup, bea)+": "+m.Text)
			}
			return out
		}
		want := []string{"Ana: can you take Carla?", "Sup: on it", "Ana: thanks"}
		if got := texts(ana, sup, 50); !reflect.DeepEqual(got, want) {
			t.Errorf("Ana and Sup = %q, want %q", got, want)
		}
		if got := texts(sup, ana, 50); !reflect.DeepEqual(got, want) {
			t.Errorf("Sup and Ana = %q, want %q", got, want)
		}
		if got := texts(ana, sup, 2); !reflect.DeepEqual(got, want[1:]) {
			t.Errorf("latest 2 = %q, want %q", got, want[1:])
		}
		for _, text := range []string{"", "  \n "} {
			_, err := w.s.SendChat(w.ctx, ana.ID, sup.ID, text)
			wantInvalid(t, err, "text")
		}
		_, err := w.s.SendChat(w.ctx, ana.ID, "missing", "hello?")
		wantCode(t, err, desk.CodeNotFound)
		if got := texts(ana, sup, 50); len(got) != 3 {
			t.Errorf("refused chats were stored: %q", got)
		}
	})
}

// qName is the name of the user with id among us.
func qName(id string, us ...desk.User) string {
	for _, u := range us {
		if u.ID == id {
			return u.Name
		}
	}
	return id
}
