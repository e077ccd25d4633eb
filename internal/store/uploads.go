package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/relevo/relevo/internal/desk"
)

// Upload is a stored file and where it lives on disk.
type Upload struct {
	desk.Attachment
	Path      string
	CreatedBy string
}

// CreateUpload records a file already written to disk.
func (s *Store) CreateUpload(ctx context.Context, u Upload) (desk.Attachment, error) {
	if u.ID == "" {
		u.ID = s.ids.New()
	}
	err := s.tx(ctx, func(t *txn) error {
		_, err := t.exec(`INSERT INTO uploads (id, name, mime, size, path, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			u.ID, u.Name, u.Mime, u.Size, u.Path, u.CreatedBy, ms(t.now))
		return err
	})
	if err != nil {
		return desk.Attachment{}, fmt.Errorf("store: create upload: %w", err)
	}
	return attachmentOf(u.Attachment), nil
}

// GetUpload reads an upload as an attachment.
func (s *Store) GetUpload(ctx context.Context, id string) (desk.Attachment, error) {
	u, err := s.UploadFile(ctx, id)
	return u.Attachment, err
}

// UploadFile reads an upload with its path on disk.
func (s *Store) UploadFile(ctx context.Context, id string) (Upload, error) {
	return getUpload(ctx, s.r, id)
}

func getUpload(ctx context.Context, q querier, id string) (Upload, error) {
	var u Upload
	err := q.QueryRowContext(ctx, `SELECT id, name, mime, size, path, created_by FROM uploads WHERE id = $1`, id).
		Scan(&u.ID, &u.Name, &u.Mime, &u.Size, &u.Path, &u.CreatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return u, desk.NotFound("upload")
	}
	if err != nil {
		return u, fmt.Errorf("store: get upload: %w", err)
	}
	u.Attachment = attachmentOf(u.Attachment)
	return u, nil
}

func attachmentOf(a desk.Attachment) desk.Attachment {
	a.URL = "/api/v1/uploads/" + a.ID
	return a
}

// CanSeeUpload reports whether actor may see a conversation the upload is
// attached to, or a canned reply that carries it (an agent sends the file
// of the bot's reply a supervisor uploaded).
func (s *Store) CanSeeUpload(ctx context.Context, actor desk.Actor, id string) (bool, error) {
	// The id is escaped: a "%" or "_" in it would otherwise be a LIKE
	// wildcard and match other uploads' messages.
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(id)
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT conversation_id FROM messages WHERE attachments LIKE $1 ESCAPE '\' LIMIT 20`,
		`%"id":"`+esc+`"%`)
	if err != nil {
		return false, fmt.Errorf("store: upload scope: %w", err)
	}
	convs, err := collectIDs(rows)
	if err != nil {
		return false, err
	}
	for _, cid := range convs {
		if _, err := s.GetConversation(ctx, actor, cid); err == nil {
			return true, nil
		}
	}
	canned, err := queryList(ctx, s.r, "upload's canned replies", `SELECT `+cannedCols+` FROM canned_replies WHERE attachments LIKE $1 ESCAPE '\' LIMIT 20`,
		[]any{`%"id":"` + esc + `"%`}, scanCanned)
	if err != nil {
		return false, err
	}
	for _, c := range canned {
		if desk.CanSeeCanned(actor, c) {
			return true, nil
		}
	}
	return false, nil
}
