package httpkit

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// DefaultBodyLimit caps JSON bodies; uploads have their own, larger limit.
const DefaultBodyLimit = 1 << 20

// errEmptyBody lets DecodeOptionalJSON tell "no body" from a bad one.
var errEmptyBody = errors.New("httpkit: empty body")

// DecodeJSON reads exactly one JSON value from r's body into dst, reading at
// most limit bytes, and holds its strings to the text rules (texts.go).
// Every failure the client caused comes back as a *desk.Error (bad_request,
// payload_too_large, or validation_failed for a refused character), so
// handlers pass it straight to WriteError. Unknown fields are accepted: the API grows by
// adding fields, and old servers must not reject newer clients.
func DecodeJSON(w http.ResponseWriter, r *http.Request, dst any, limit int64) error {
	err := decodeBody(w, r, dst, limit, false)
	if errors.Is(err, errEmptyBody) {
		return desk.Errorf(desk.CodeBadRequest, "request body is empty")
	}
	return err
}

// DecodeOptionalJSON is DecodeJSON for endpoints whose body is optional
// (POST .../assign with no agent_id): an empty body leaves dst untouched
// and is no error.
func DecodeOptionalJSON(w http.ResponseWriter, r *http.Request, dst any, limit int64) error {
	err := decodeBody(w, r, dst, limit, false)
	if errors.Is(err, errEmptyBody) {
		return nil
	}
	return err
}

// DecodeStrictJSON is DecodeJSON refusing fields dst does not have (422
// validation_failed, details.field the unknown name). It is for bodies that
// describe a whole run, where a misspelt field would silently change what
// runs instead of being a newer client's extra.
func DecodeStrictJSON(w http.ResponseWriter, r *http.Request, dst any, limit int64) error {
	err := decodeBody(w, r, dst, limit, true)
	if errors.Is(err, errEmptyBody) {
		return desk.Errorf(desk.CodeBadRequest, "request body is empty")
	}
	return err
}

func decodeBody(w http.ResponseWriter, r *http.Request, dst any, limit int64, strict bool) error {
	if r.Body == nil {
		return errEmptyBody
	}
	// The type only matters when there is a body: `curl -d ''` on an
	// optional-body endpoint sends a form type with nothing in it.
	var typeErr error
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			typeErr = desk.Errorf(desk.CodeBadRequest, "Content-Type must be application/json")
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(r.Body)
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(dst); err != nil {
		if err := decodeError(err, limit); errors.Is(err, errEmptyBody) || typeErr == nil {
			return err
		}
		return typeErr
	}
	if typeErr != nil {
		return typeErr
	}
	// A second value after the first is a client bug (two objects pasted
	// together, a half-written retry); accepting it would silently drop data.
	var extra json.RawMessage
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
		return CheckTexts(dst)
	case err == nil:
		return desk.Errorf(desk.CodeBadRequest, "request body has data after the JSON value").
			WithDetail("offset", dec.InputOffset()-int64(len(extra)))
	default:
		return decodeError(err, limit)
	}
}

// decodeError turns encoding/json's errors into client-facing ones that
// point at the problem (offset or field) without echoing the body.
func decodeError(err error, limit int64) error {
	var (
		maxErr    *http.MaxBytesError
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
		deskErr   *desk.Error
		invalid   *json.InvalidUnmarshalError
	)
	switch {
	case errors.Is(err, io.EOF):
		return errEmptyBody
	case errors.As(err, &maxErr):
		return desk.Errorf(desk.CodePayloadTooLarge, "request body is larger than %d bytes", limit).
			WithDetail("limit", limit)
	case errors.As(err, &syntaxErr):
		return desk.Errorf(desk.CodeBadRequest, "request body is not valid JSON").
			WithDetail("offset", syntaxErr.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return desk.Errorf(desk.CodeBadRequest, "request body is not valid JSON: it ends too early")
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "(body)"
		}
		if typeErr.Type == secondsType {
			// desk.Seconds read the value and refused it: a well-formed
			// body with a value out of the rule, so 422 on that field.
			return desk.InvalidSeconds(field, typeErr.Value)
		}
		return desk.Errorf(desk.CodeBadRequest, "%s: expected %s, got %s", field, jsonTypeName(typeErr.Type), typeErr.Value).
			WithDetail("field", field).WithDetail("expected", jsonTypeName(typeErr.Type))
	case errors.As(err, &deskErr):
		return deskErr // a custom UnmarshalJSON already said what is wrong
	case errors.As(err, &invalid):
		return err // dst is not a pointer: our bug, so a 500
	case strings.HasPrefix(err.Error(), unknownField):
		// encoding/json has no type for it; the name is the client's own.
		name, uerr := strconv.Unquote(strings.TrimPrefix(err.Error(), unknownField))
		if uerr != nil {
			name = strings.TrimPrefix(err.Error(), unknownField)
		}
		return desk.Invalid(name, "unknown field")
	default:
		// Left: errors from UnmarshalJSON/UnmarshalText methods (a bad time,
		// say). They describe the client's own input, so the text may go back.
		return desk.Errorf(desk.CodeBadRequest, "request body has an invalid value: %v", err)
	}
}

var secondsType = reflect.TypeFor[desk.Seconds]()

// unknownField starts encoding/json's error for a field DisallowUnknownFields refused.
const unknownField = "json: unknown field "

// jsonTypeName names a Go type the way a JSON client thinks of it.
func jsonTypeName(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	if t == reflect.TypeFor[time.Time]() {
		return "string (RFC 3339 time)"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.Pointer:
		return jsonTypeName(t.Elem())
	}
	return "value"
}
