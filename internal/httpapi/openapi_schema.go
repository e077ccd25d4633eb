package httpapi

import (
	"encoding"
	"encoding/json"
	"fmt"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/widgetapi"
)

// schemaType is JSON Schema's "type": one name, or a list when a value may
// also be null (the OpenAPI 3.1 replacement for "nullable").
type schemaType []string

// MarshalJSON writes a single type as a plain string, as most tools expect.
func (t schemaType) MarshalJSON() ([]byte, error) {
	if len(t) == 1 {
		return json.Marshal(t[0])
	}
	return json.Marshal([]string(t))
}

// schema is the subset of JSON Schema the reflected types need. The zero
// value encodes as {}, which is "any JSON value".
type schema struct {
	Ref                  string             `json:"$ref,omitempty"`
	Type                 schemaType         `json:"type,omitempty"`
	Format               string             `json:"format,omitempty"`
	ContentEncoding      string             `json:"contentEncoding,omitempty"`
	Items                *schema            `json:"items,omitempty"`
	Properties           map[string]*schema `json:"properties,omitempty"`
	Required             []string           `json:"required,omitempty"`
	AdditionalProperties *schema            `json:"additionalProperties,omitempty"`
	AnyOf                []*schema          `json:"anyOf,omitempty"`
	OneOf                []*schema          `json:"oneOf,omitempty"`
	AllOf                []*schema          `json:"allOf,omitempty"`
	Enum                 []string           `json:"enum,omitempty"`
}

// schemaGen reflects Go types into schemas, collecting named structs in
// defs so each appears once in components/schemas and is $ref'd elsewhere.
//
// A struct is reflected in one of two modes, and keeps to it: as a response
// (what encoding/json writes) or, while request is set, as a request body
// (what the handler demands; see requests.go). One type serving as both
// would have one schema that is wrong for one of them, so it is an error.
type schemaGen struct {
	defs    map[string]*schema
	names   map[reflect.Type]string
	taken   map[string]bool
	asReq   map[reflect.Type]bool // the mode each named struct was reflected in
	enums   map[reflect.Type]string
	answers map[string]oaBody // components/responses: the error answers
	request bool
	err     error // the first unsupported type; later ones add nothing
}

func newSchemaGen() *schemaGen {
	return &schemaGen{defs: map[string]*schema{}, names: map[reflect.Type]string{}, taken: map[string]bool{},
		asReq: map[reflect.Type]bool{}, enums: map[reflect.Type]string{}, answers: map[string]oaBody{}}
}

// nameType fixes the component name of t ahead of reflection.
func (g *schemaGen) nameType(t reflect.Type, name string) {
	g.names[t], g.taken[name] = name, true
}

// enum makes the string type t the component name, listing values.
func enum[T ~string](g *schemaGen, t reflect.Type, name string, values []T) {
	names := make([]string, 0, len(values))
	for _, v := range values {
		names = append(names, string(v))
	}
	slices.Sort(names)
	g.nameType(t, name)
	g.enums[t] = name
	g.defs[name] = &schema{Type: schemaType{"string"}, Enum: slices.Compact(names)}
}

// requestPkgs hold the request bodies: this package's types, and the
// widget's wire types (internal/widgetapi), which the widget decodes
// itself. Neither holds a domain type.
var requestPkgs = map[string]bool{
	reflect.TypeFor[Route]().PkgPath():                          true,
	reflect.TypeFor[widgetapi.WidgetSessionRequest]().PkgPath(): true,
}

// fail keeps the first error.
func (g *schemaGen) fail(format string, args ...any) {
	if g.err == nil {
		g.err = fmt.Errorf(format, args...)
	}
}

func typeOf(v any) reflect.Type { return reflect.TypeOf(v) }

var (
	timeType          = reflect.TypeFor[time.Time]()
	rawMessageType    = reflect.TypeFor[json.RawMessage]()
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	secondsType       = reflect.TypeFor[desk.Seconds]()
)

// durationSchema is a desk.Seconds as a request takes it: whole seconds
// or a Go duration string. Answers write it as whole seconds (integer).
func durationSchema() *schema {
	return &schema{OneOf: []*schema{{Type: schemaType{"integer"}}, {Type: schemaType{"string"}}}}
}

// implements also counts methods on *t, which encoding/json uses for
// addressable values.
func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || reflect.PointerTo(t).Implements(iface)
}

// schemaFor describes how encoding/json writes a value of type t.
func (g *schemaGen) schemaFor(t reflect.Type) *schema {
	if name, ok := g.enums[t]; ok {
		return &schema{Ref: "#/components/schemas/" + name}
	}
	switch {
	case t == timeType:
		return &schema{Type: schemaType{"string"}, Format: "date-time"}
	case t == rawMessageType:
		return &schema{}
	case t == secondsType && g.request:
		return durationSchema()
	case t.Kind() == reflect.Pointer:
		return nullable(g.schemaFor(t.Elem()))
	case implements(t, textMarshalerType) && !implements(t, jsonMarshalerType):
		return &schema{Type: schemaType{"string"}}
	case implements(t, jsonMarshalerType) && t.Kind() != reflect.Struct:
		// Its shape is whatever MarshalJSON makes; claiming more would lie.
		// Structs (page[T]) are trusted to keep the shape of their fields.
		return &schema{}
	}
	switch t.Kind() {
	case reflect.Bool:
		return &schema{Type: schemaType{"boolean"}}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return &schema{Type: schemaType{"integer"}}
	case reflect.Float32, reflect.Float64:
		return &schema{Type: schemaType{"number"}}
	case reflect.String:
		return &schema{Type: schemaType{"string"}}
	case reflect.Interface:
		return &schema{}
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return &schema{Type: schemaType{"string"}, ContentEncoding: "base64"} // how encoding/json writes []byte
		}
		return g.nilable(&schema{Type: schemaType{"array"}, Items: g.schemaFor(t.Elem())})
	case reflect.Map:
		return g.nilable(&schema{Type: schemaType{"object"}, AdditionalProperties: g.schemaFor(t.Elem())})
	case reflect.Struct:
		if t.Name() == "" {
			return g.structSchema(t)
		}
		return g.ref(t)
	}
	g.fail("type %s has no JSON form", t)
	return &schema{}
}

// nilable is s, or null too in a request: encoding/json decodes null into
// an empty list or map, and clients send their nil ones as null.
func (g *schemaGen) nilable(s *schema) *schema {
	if g.request {
		return nullable(s)
	}
	return s
}

// nullable widens s to also allow null. A $ref cannot carry a type, so it
// becomes anyOf; an "any" schema already allows null.
func nullable(s *schema) *schema {
	switch {
	case s.Ref != "":
		return &schema{AnyOf: []*schema{s, {Type: schemaType{"null"}}}}
	case len(s.OneOf) > 0:
		c := *s
		c.OneOf = append(slices.Clip(s.OneOf), &schema{Type: schemaType{"null"}})
		return &c
	case len(s.Type) == 0:
		return s
	}
	c := *s
	c.Type = append(schemaType{}, s.Type...)
	c.Type = append(c.Type, "null")
	return &c
}

// ref registers the named struct t in defs and points at it. The entry is
// put in place before its fields are reflected, so a type that contains
// itself (through a pointer or slice) refers to itself instead of looping.
func (g *schemaGen) ref(t reflect.Type) *schema {
	if g.request && !requestPkgs[t.PkgPath()] {
		g.fail("%s is not a request type of this package (requests.go says why)", t)
	}
	if asReq, seen := g.asReq[t]; seen && asReq != g.request {
		g.fail("%s is used as both a request and a response", t)
	}
	g.asReq[t] = g.request
	name, ok := g.names[t]
	if !ok {
		name = g.uniqueName(t)
		g.names[t] = name
	}
	if g.defs[name] == nil {
		g.defs[name] = &schema{}
		*g.defs[name] = *g.structSchema(t)
	}
	return &schema{Ref: "#/components/schemas/" + name}
}

// uniqueName is t's Go name, capitalised; when two packages use the same
// name the later one gets its package in front (DeskUser), then a number.
func (g *schemaGen) uniqueName(t reflect.Type) string {
	base := readableTypeName(t.Name())
	name := base
	if g.taken[name] {
		name = upperFirst(path.Base(t.PkgPath())) + base
	}
	for i := 2; g.taken[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	g.taken[name] = true
	return name
}

// jsonField is one property of a struct as encoding/json sees it.
type jsonField struct {
	typ              reflect.Type
	depth            int
	tagged, optional bool
	required         bool // `required:"true"`: what request mode requires
	quoted           bool // ",string": a number or bool written as a string
}

// structSchema describes t's JSON properties. Fields of embedded structs
// are promoted as encoding/json does; on a name clash the shallower field
// wins, then the tagged one (a simplification of its full rules).
func (g *schemaGen) structSchema(t reflect.Type) *schema {
	fields := map[string]jsonField{}
	collectFields(t, 0, map[reflect.Type]bool{}, fields)
	s := &schema{Type: schemaType{"object"}, Properties: map[string]*schema{}}
	for name, f := range fields {
		if f.quoted {
			s.Properties[name] = &schema{Type: schemaType{"string"}}
		} else {
			s.Properties[name] = g.schemaFor(f.typ)
		}
		if (g.request && f.required) || (!g.request && !f.optional) {
			s.Required = append(s.Required, name)
		}
	}
	sort.Strings(s.Required)
	return s
}

func collectFields(t reflect.Type, depth int, seen map[reflect.Type]bool, out map[string]jsonField) {
	seen[t] = true
	defer delete(seen, t)
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := sf.Type
		if sf.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if !seen[ft] {
					collectFields(ft, depth+1, seen, out)
				}
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		f := jsonField{typ: sf.Type, depth: depth, tagged: name != "", required: sf.Tag.Get("required") == "true"}
		if name == "" {
			name = sf.Name
		}
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "omitempty", "omitzero":
				f.optional = true
			case "string":
				f.quoted = isScalar(sf.Type.Kind())
			}
		}
		if old, ok := out[name]; ok && (old.depth < depth || (old.depth == depth && (old.tagged || !f.tagged))) {
			continue
		}
		out[name] = f
	}
}

// isScalar reports whether ",string" changes how a k is written: only
// numbers and booleans get quoted.
func isScalar(k reflect.Kind) bool {
	switch k {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}
