package httpkit

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/relevo/relevo/internal/desk"
)

// Every string a request carries is held to desk's text rules as it is
// decoded, so no handler can forget them. A string field is one line
// unless its struct tag says otherwise:
//
//	text:"multiline"   a text (message, note): line breaks and tabs kept
//	text:"strip"       a customer's text from a channel: stripped, never refused
//	text:"strip-line"  a customer's one-line value (name) from a channel: stripped
//
// The tag applies to the field's strings wherever they sit (a list's
// items, a map's values). Map keys are always one line. json.RawMessage
// values (a channel's config, a bot's flow) are checked by their own
// validators.

type textKind int

const (
	kindLine textKind = iota
	kindMulti
	kindStrip
	kindStripLine
)

// CheckTexts applies the text rules to every string reachable from dst (a
// pointer), normalising or stripping in place; the first refusal comes
// back as validation_failed naming the JSON path.
func CheckTexts(dst any) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil
	}
	return walkTexts(v.Elem(), "", kindLine, 0)
}

// maxTextDepth stops the walk in a pathological value; request types are
// a few levels deep.
const maxTextDepth = 32

func walkTexts(v reflect.Value, path string, kind textKind, depth int) error {
	if depth > maxTextDepth {
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		return checkString(v, path, kind)
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		if v.Kind() == reflect.Interface {
			// An interface's value cannot be set in place: check a copy
			// and put it back.
			cp := reflect.New(v.Elem().Type()).Elem()
			cp.Set(v.Elem())
			if err := walkTexts(cp, path, kind, depth+1); err != nil {
				return err
			}
			v.Set(cp)
			return nil
		}
		return walkTexts(v.Elem(), path, kind, depth+1)
	case reflect.Struct:
		return walkStruct(v, path, depth)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 { // json.RawMessage, []byte
			return nil
		}
		for i := range v.Len() {
			if err := walkTexts(v.Index(i), path+"["+strconv.Itoa(i)+"]", kind, depth+1); err != nil {
				return err
			}
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return nil
		}
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key().String()
			p := joinPath(path, k)
			if err := desk.CheckLine(p, k); err != nil {
				return err
			}
			cp := reflect.New(v.Type().Elem()).Elem()
			cp.Set(iter.Value())
			if err := walkTexts(cp, p, kind, depth+1); err != nil {
				return err
			}
			v.SetMapIndex(iter.Key(), cp)
		}
	}
	return nil
}

func walkStruct(v reflect.Value, path string, depth int) error {
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" || !sf.IsExported() && !sf.Anonymous {
			continue
		}
		p := path
		if !sf.Anonymous || name != "" { // embedded structs share the parent's level
			if name == "" {
				name = sf.Name
			}
			p = joinPath(path, name)
		}
		if err := walkTexts(v.Field(i), p, kindOf(sf.Tag.Get("text")), depth+1); err != nil {
			return err
		}
	}
	return nil
}

func kindOf(tag string) textKind {
	switch tag {
	case "multiline":
		return kindMulti
	case "strip":
		return kindStrip
	case "strip-line":
		return kindStripLine
	}
	return kindLine
}

func checkString(v reflect.Value, path string, kind textKind) error {
	s := v.String()
	if path == "" {
		path = "(body)"
	}
	switch kind {
	case kindMulti:
		clean, err := desk.CleanText(path, s)
		if err != nil {
			return err
		}
		s = clean
	case kindStrip:
		s = desk.StripText(s)
	case kindStripLine:
		s = desk.StripLine(s)
	default:
		return desk.CheckLine(path, s)
	}
	if s != v.String() && v.CanSet() {
		v.SetString(s)
	}
	return nil
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// CheckRequestParams refuses a request whose path or query holds a
// control character or invalid UTF-8 (400 bad_request): ids and search
// words go to the database, where a NUL is a driver error on PostgreSQL.
func CheckRequestParams(r *http.Request) error {
	if err := desk.CheckParam("(path)", r.URL.Path); err != nil {
		return err
	}
	if r.URL.RawQuery == "" {
		return nil
	}
	// The pairs handlers will read: r.URL.Query() skips malformed ones.
	for name, values := range r.URL.Query() {
		if err := desk.CheckParam("(query)", name); err != nil {
			return err
		}
		for _, v := range values {
			if err := desk.CheckParam(name, v); err != nil {
				return err
			}
		}
	}
	return nil
}
