package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/relevo/relevo/internal/desk"
)

// Graph error codes "check connection" words for admins.
const (
	codeInvalidParam = 100 // with subcode 33: no such object, or not visible to the token
	codeNoObject     = 33  // the same, as a code of its own in older answers
	codePermission   = 10  // the app lacks the permission
	// codePermissionLo..Hi: Graph's "permission error" range.
	codePermissionLo = 200
	codePermissionHi = 299
)

// phoneProfile is GET /{phone-number-id}'s answer.
type phoneProfile struct {
	DisplayNumber string `json:"display_phone_number"`
	VerifiedName  string `json:"verified_name"`
	Quality       string `json:"quality_rating"`
}

// wabaProfile is GET /{waba-id}'s answer.
type wabaProfile struct {
	ID   flexString `json:"id"`
	Name string     `json:"name"`
}

// Check calls the Graph API with the channel's stored settings: it reads
// the phone number (display number, verified name, quality) and the
// WhatsApp Business Account, and says in words what is wrong, next to the
// setting to change. A Graph refusal is an answer, not an error: only a
// channel that is not a usable WhatsApp channel is an error.
func (s *Service) Check(ctx context.Context, channelID string) (desk.ChannelCheck, error) {
	out := desk.ChannelCheck{Problems: []desk.ChannelProblem{}}
	ch, err := s.store.GetChannel(ctx, channelID)
	if err != nil {
		return out, err
	}
	if ch.Type != desk.ChannelWhatsApp {
		return out, desk.Invalid("type", "only a WhatsApp channel can be checked against the Graph API")
	}
	cfg, err := ParseConfig(ch.Config)
	if err != nil {
		return out, err
	}
	if cfg.AccessToken == "" {
		out.Problems = append(out.Problems, desk.ChannelProblem{Field: "access_token", Code: desk.ProblemMissing,
			Message: "no access token is set: paste the system user's token from Meta Business Settings"})
		return out, nil
	}
	var phone phoneProfile
	err = s.graphJSON(ctx, cfg, http.MethodGet, cfg.GraphURL+"/"+cfg.PhoneNumberID+
		"?fields=display_phone_number,verified_name,quality_rating", nil, &phone)
	if err != nil {
		out.Problems = append(out.Problems, checkProblem(err, "phone_number_id", cfg))
	} else {
		out.Phone = &desk.CheckedPhone{DisplayNumber: phone.DisplayNumber, VerifiedName: phone.VerifiedName, Quality: phone.Quality}
	}
	// A refused token or an unreachable graph_url would only be said twice;
	// a wrong phone number id says nothing about the account.
	if len(out.Problems) == 0 || out.Problems[0].Field == "phone_number_id" {
		if cfg.WABAID == "" {
			out.Problems = append(out.Problems, desk.ChannelProblem{Field: "waba_id", Code: desk.ProblemMissing,
				Message: "no WhatsApp Business Account id is set: templates cannot be synced without it"})
		} else {
			var waba wabaProfile
			if err := s.graphJSON(ctx, cfg, http.MethodGet, cfg.GraphURL+"/"+cfg.WABAID+"?fields=id,name", nil, &waba); err != nil {
				out.Problems = append(out.Problems, checkProblem(err, "waba_id", cfg))
			} else {
				out.WABA = &desk.CheckedWABA{ID: string(waba.ID), Name: waba.Name}
			}
		}
	}
	out.OK = len(out.Problems) == 0
	return out, nil
}

// checkProblem words a failed Graph call made while reading idField
// (phone_number_id or waba_id) with cfg. No text of it carries a secret.
func checkProblem(err error, idField string, cfg Config) desk.ChannelProblem {
	p := desk.ChannelProblem{Field: idField, Code: desk.ProblemGraph}
	var ge *GraphError
	var te transportError
	switch {
	case errors.As(err, &te):
		p.Field, p.Code = "graph_url", desk.ProblemUnreachable
		p.Message = "the Graph API at graph_url did not answer: check the address and that this server can reach it"
	case errors.As(err, &ge):
		p.Code, p.Message = graphProblem(ge, idField)
		if p.Code == desk.ProblemTokenInvalid || p.Code == desk.ProblemPermission {
			p.Field = "access_token"
		}
		if ge.Code != 0 {
			p.Message += fmt.Sprintf(" (code %d)", ge.Code)
		}
	default:
		p.Field, p.Message = "graph_url", "the Graph API gave an answer that is not Meta's: check graph_url"
	}
	p.Message = scrub(p.Message, cfg)
	return p
}

// graphProblem maps Meta's error code to a problem in words.
func graphProblem(ge *GraphError, idField string) (desk.ProblemCode, string) {
	what := map[string]string{"phone_number_id": "phone number id", "waba_id": "WhatsApp Business Account id"}[idField]
	switch {
	case ge.Code == CodeTokenExpired:
		return desk.ProblemTokenInvalid, "Meta refused the access token: it is wrong, expired or revoked; generate a new one for the system user and paste it"
	case ge.Code == codeNoObject || (ge.Code == codeInvalidParam && (ge.Subcode == codeNoObject || ge.HTTPStatus == http.StatusNotFound ||
		strings.Contains(ge.Message+ge.Details, "does not exist"))):
		return desk.ProblemUnknownID, fmt.Sprintf("Meta knows no %s like this, or the token may not see it: copy it again from WhatsApp → API Setup and check that the system user has this account's assets", what)
	case ge.Code == codePermission || (ge.Code >= codePermissionLo && ge.Code <= codePermissionHi):
		return desk.ProblemPermission, "the access token lacks a permission: give the system user whatsapp_business_messaging and whatsapp_business_management on this WhatsApp Business Account, then generate the token again"
	case ge.Code == 0:
		return desk.ProblemGraph, fmt.Sprintf("the Graph API answered HTTP %d: check graph_url", ge.HTTPStatus)
	}
	return desk.ProblemGraph, "Meta answered: " + explain(ge.Code, ge.Message, ge.Details)
}

// scrub keeps the channel's secrets out of a text that came, in part,
// from elsewhere (Meta's message, a transport error).
func scrub(s string, cfg Config) string {
	for _, secret := range []string{cfg.AccessToken, cfg.AppSecret} {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, desk.ChannelSecretMask)
		}
	}
	return s
}
