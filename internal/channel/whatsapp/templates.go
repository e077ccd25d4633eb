package whatsapp

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/relevo/relevo/internal/desk"
)

// maxTemplatePages bounds a sync (100 templates a page; a WABA has at most
// a few thousand).
const maxTemplatePages = 100

// templatePage is one page of GET /{waba-id}/message_templates.
type templatePage struct {
	Data []struct {
		ID         flexString `json:"id"`
		Name       string     `json:"name"`
		Language   string     `json:"language"`
		Status     string     `json:"status"`
		Category   string     `json:"category"`
		Components []struct {
			Type   string `json:"type"`
			Format string `json:"format"`
			Text   string `json:"text"`
		} `json:"components"`
	} `json:"data"`
	Paging struct {
		Next string `json:"next"`
	} `json:"paging"`
}

// SyncTemplates reads every message template of the channel's WABA,
// following paging.next, into the store: Meta owns each template's text,
// category and status (only APPROVED ones are offered); Relevo keeps the
// roles admins gave it. A template approved here but no longer listed by
// Meta is marked DELETED. It returns the templates Meta listed.
func (s *Service) SyncTemplates(ctx context.Context, channelID string) ([]desk.Template, error) {
	ch, cfg, err := s.channel(ctx, channelID)
	if err != nil {
		return nil, err
	}
	if err := cfg.require("access_token", "waba_id"); err != nil {
		return nil, err
	}
	base, _ := url.Parse(cfg.GraphURL)
	next := cfg.GraphURL + "/" + cfg.WABAID + "/message_templates?limit=100&fields=name,language,status,category,components"
	seen := map[string]bool{}
	out := []desk.Template{}
	for page := 0; next != ""; page++ {
		if page == maxTemplatePages {
			return nil, desk.Errorf(desk.CodeValidationFailed, "the WABA lists more than %d pages of templates", maxTemplatePages)
		}
		var p templatePage
		if err := s.graphJSON(ctx, cfg, http.MethodGet, next, nil, &p); err != nil {
			return nil, syncError(err)
		}
		for _, t := range p.Data {
			tpl := desk.Template{ChannelID: ch.ID, Name: t.Name, Language: t.Language, Category: t.Category, Status: t.Status}
			for _, c := range t.Components {
				if strings.EqualFold(c.Type, "BODY") {
					tpl.Body = c.Text
				}
			}
			if strings.TrimSpace(tpl.Body) == "" {
				tpl.Body = "(" + t.Name + ")" // a template without body text still has a name to pick
			}
			saved, err := s.store.UpsertTemplate(ctx, tpl)
			if desk.IsCode(err, desk.CodeValidationFailed) {
				s.log.Warn("whatsapp: template skipped", "channel", ch.ID, "name", clip(t.Name, 100), "err", err)
				continue
			}
			if err != nil {
				return nil, err
			}
			seen[saved.Name+"\x00"+saved.Language] = true
			out = append(out, saved)
		}
		next = p.Paging.Next
		// The token goes only where graph_url points.
		if next != "" {
			if u, err := url.Parse(next); err != nil || u.Scheme != base.Scheme || u.Host != base.Host {
				return nil, desk.Errorf(desk.CodeValidationFailed, "the Graph API paged outside graph_url; sync stopped")
			}
		}
	}
	local, err := s.store.ListTemplates(ctx, ch.ID, "")
	if err != nil {
		return nil, err
	}
	for _, t := range local {
		if !seen[t.Name+"\x00"+t.Language] {
			t.Status = "DELETED"
			if _, err := s.store.UpsertTemplate(ctx, t); err != nil {
				return nil, err
			}
		}
	}
	if err := s.store.MarkTemplatesSynced(ctx, ch.ID); err != nil {
		return nil, err
	}
	return out, nil
}

// syncError shows a Graph failure to the admin who asked for the sync.
func syncError(err error) error {
	var ge *GraphError
	if errors.As(err, &ge) {
		return desk.Errorf(desk.CodeValidationFailed, "%s", ge.Error()).WithDetail("graph_code", ge.Code)
	}
	var te transportError
	if errors.As(err, &te) {
		return desk.Errorf(desk.CodeValidationFailed, "the Graph API at graph_url did not answer")
	}
	return err
}
