package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// fxContact stores a contact of bot the way inbound would, straight into
// the database, so these tests do not depend on the inbound path.
func fxContact(t *testing.T, db *storetest.DB, botID, name string) string {
	t.Helper()
	driver, dsn := "pgx", db.URL
	if db.URL == "" {
		driver, dsn = "sqlite", "file:"+filepath.Join(db.Dir, "relevo.db")+"?_pragma=busy_timeout(10000)"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	id := "contact-" + strings.ToLower(name)
	_, err = raw.Exec(`INSERT INTO contacts (id, bot_id, name, phone, email, external_id, attributes, blocked, created_at, updated_at)
		VALUES ($1, $2, $3, '+55 11 99999-0000', '', $4, '{"plan":"gold"}', 0, $5, $5)`,
		id, botID, name, "ext-"+id, storetest.Epoch.UnixMilli())
	if err != nil {
		t.Fatalf("insert contact: %v", err)
	}
	return id
}

func TestGetContactReadsAttributes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		id := fxContact(t, db, b.ID, "Carla")
		c, err := s.GetContact(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := desk.Contact{ID: id, BotID: b.ID, Name: "Carla", Phone: "+55 11 99999-0000", ExternalID: "ext-" + id,
			Attributes: map[string]string{"plan": "gold"}, CreatedAt: storetest.Epoch}
		if !reflect.DeepEqual(c, want) {
			t.Fatalf("contact = %+v, want %+v", c, want)
		}
		_, err = s.GetContact(ctx, "missing")
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestUpdateContactReplacesAttributes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		id := fxContact(t, db, fxBot(t, s, "Sales").ID, "Carla")
		name, phone, email := " Carla Souza ", "+55 (11) 98888-7777", "carla@example.com"
		attrs := map[string]string{"cpf": "123"}
		c, err := s.UpdateContact(ctx, id, store.ContactPatch{Name: &name, Phone: &phone, Email: &email, Attributes: &attrs})
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != "Carla Souza" || c.Phone != phone || c.Email != email || !reflect.DeepEqual(c.Attributes, attrs) {
			t.Fatalf("contact = %+v", c)
		}
		// Only the given fields change; an empty map clears the attributes.
		empty := map[string]string{}
		if c, err = s.UpdateContact(ctx, id, store.ContactPatch{Attributes: &empty}); err != nil ||
			c.Name != "Carla Souza" || c.Attributes == nil || len(c.Attributes) != 0 {
			t.Fatalf("contact = %+v, %v", c, err)
		}
		_, err = s.UpdateContact(ctx, "missing", store.ContactPatch{Name: &name})
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestUpdateContactValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		id := fxContact(t, db, fxBot(t, s, "Sales").ID, "Carla")
		str := func(v string) *string { return &v }
		many := map[string]string{}
		for i := 0; i < 101; i++ {
			many[fmt.Sprint("k", i)] = "v"
		}
		for _, tc := range []struct {
			name, field string
			p           store.ContactPatch
		}{
			{"long name", "name", store.ContactPatch{Name: str(strings.Repeat("n", 201))}},
			{"phone with letters", "phone", store.ContactPatch{Phone: str("call me")}},
			{"plus inside phone", "phone", store.ContactPatch{Phone: str("55+11")}},
			{"long phone", "phone", store.ContactPatch{Phone: str(strings.Repeat("1", 33))}},
			{"email without at", "email", store.ContactPatch{Email: str("carla.example.com")}},
			{"too many attributes", "attributes", store.ContactPatch{Attributes: &many}},
			{"empty attribute name", "attributes", store.ContactPatch{Attributes: &map[string]string{"": "x"}}},
			{"long attribute name", "attributes", store.ContactPatch{Attributes: &map[string]string{strings.Repeat("k", 65): "x"}}},
			{"long attribute value", "attributes", store.ContactPatch{Attributes: &map[string]string{"k": strings.Repeat("v", 1001)}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.UpdateContact(ctx, id, tc.p)
				wantInvalid(t, err, tc.field)
			})
		}
		if c, _ := s.GetContact(ctx, id); c.Name != "Carla" || c.Attributes["plan"] != "gold" {
			t.Fatalf("a rejected patch changed the contact: %+v", c)
		}
	})
}

func TestContactNotesListNewestFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		id := fxContact(t, db, fxBot(t, s, "Sales").ID, "Carla")
		ana, bea := fxUser(t, s, "Ana", desk.RoleAgent), fxUser(t, s, "Bea", desk.RoleAgent)
		first, err := s.AddContactNote(ctx, id, ana.ID, " Prefers email ")
		if err != nil {
			t.Fatal(err)
		}
		if first.Author != "Ana" || first.AuthorID != ana.ID || first.Text != "Prefers email" || !first.CreatedAt.Equal(storetest.Epoch) {
			t.Fatalf("note = %+v", first)
		}
		db.Clock.Advance(time.Minute)
		second, err := s.AddContactNote(ctx, id, bea.ID, "Called back")
		if err != nil {
			t.Fatal(err)
		}
		// Notes of a deleted author keep the author's name.
		if err := s.DeleteUser(ctx, ana.ID); err != nil {
			t.Fatal(err)
		}
		list, err := s.ListContactNotes(ctx, id)
		if err != nil || !reflect.DeepEqual(list, []desk.Note{second, first}) {
			t.Fatalf("ListContactNotes = %+v, %v", list, err)
		}
		_, err = s.ListContactNotes(ctx, "missing")
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestAddContactNoteValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		id := fxContact(t, db, fxBot(t, s, "Sales").ID, "Carla")
		ana := fxUser(t, s, "Ana", desk.RoleAgent)
		_, err := s.AddContactNote(ctx, id, ana.ID, "  ")
		wantInvalid(t, err, "text")
		_, err = s.AddContactNote(ctx, id, ana.ID, strings.Repeat("x", 10001))
		wantInvalid(t, err, "text")
		_, err = s.AddContactNote(ctx, "missing", ana.ID, "hi")
		wantCode(t, err, desk.CodeNotFound)
		_, err = s.AddContactNote(ctx, id, "missing", "hi")
		wantCode(t, err, desk.CodeNotFound)
		if list, err := s.ListContactNotes(ctx, id); err != nil || list == nil || len(list) != 0 {
			t.Fatalf("ListContactNotes = %#v, %v", list, err)
		}
	})
}
