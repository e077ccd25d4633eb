package realtime_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/channel/web"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
)

var update = flag.Bool("update", false, "rewrite web/realtime/frames.ts")

// framesTS is the front end's copy of the socket's frame types, generated
// from the Go types below so the console and the widget never drift from
// the server.
const framesTS = "../../web/realtime/frames.ts"

// frameTypes are the types written to frames.ts, under their TypeScript
// names; the types they use (store.Counters, desk enums) come along.
var frameTypes = []struct {
	name string
	v    any
}{
	{"Frame", realtime.Frame{}},
	{"Hello", realtime.Hello{}},
	{"AgentStatus", realtime.AgentStatus{}},
	{"AgentCall", realtime.AgentCall{}},
	{"Typing", realtime.Typing{}},
	{"MonitorCounters", realtime.MonitorCounters{}},
	{"ErrorFrame", realtime.ErrorFrame{}},
	{"ClientFrame", realtime.ClientFrame{}},
	{"ConversationViewers", realtime.ConversationViewers{}},
	{"TagDeleted", realtime.TagDeleted{}},
	{"CallFrame", realtime.CallFrame{}},
	{"CallView", realtime.CallView{}},
	{"CallSignal", desk.CallSignal{}},
	{"WidgetHello", web.Hello{}},
	{"WidgetClientFrame", web.ClientFrame{}},
}

// TestFramesTSIsCurrent fails when web/realtime/frames.ts is not what the
// Go frame types generate; -update rewrites it.
func TestFramesTSIsCurrent(t *testing.T) {
	got := generateFramesTS(t)
	if *update {
		if err := os.WriteFile(framesTS, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(framesTS)
	if err != nil {
		t.Fatalf("%v (create it: go test ./internal/realtime -run FramesTS -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("web/realtime/frames.ts is stale: run go test ./internal/realtime -run FramesTS -update\n--- generated:\n%s", got)
	}
}

// tsGen writes TypeScript declarations for Go types, reading their doc
// comments and the constants of named string types from the source.
type tsGen struct {
	t     *testing.T
	pkgs  map[string]*doc.Package // by import path
	names map[reflect.Type]string // emitted or queued, with their TS names
	queue []reflect.Type
	out   strings.Builder
}

const modulePath = "github.com/relevo/relevo/"

func generateFramesTS(t *testing.T) []byte {
	g := &tsGen{t: t, pkgs: map[string]*doc.Package{}, names: map[reflect.Type]string{}}
	g.out.WriteString("// Code generated from the Go frame types (internal/realtime/frames.go,\n" +
		"// internal/channel/web) by TestFramesTSIsCurrent. DO NOT EDIT: change the Go\n" +
		"// types, then go test ./internal/realtime -run FramesTS -update.\n")
	for _, ft := range frameTypes {
		typ := reflect.TypeOf(ft.v)
		g.names[typ] = ft.name
		g.queue = append(g.queue, typ)
	}
	for len(g.queue) > 0 {
		typ := g.queue[0]
		g.queue = g.queue[1:]
		g.decl(typ)
	}
	return []byte(g.out.String())
}

// pkg parses the package of an import path in this module.
func (g *tsGen) pkg(path string) *doc.Package {
	if p, ok := g.pkgs[path]; ok {
		return p
	}
	rel, ok := strings.CutPrefix(path, modulePath)
	if !ok {
		g.t.Fatalf("%s is outside the module", path)
	}
	dir := filepath.Join("..", "..", filepath.FromSlash(rel))
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		g.t.Fatal(err)
	}
	var files []*ast.File
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.ParseComments)
			if err != nil {
				g.t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	p, err := doc.NewFromFiles(fset, files, path, doc.PreserveAST)
	if err != nil {
		g.t.Fatal(err)
	}
	g.pkgs[path] = p
	return p
}

func (g *tsGen) docType(typ reflect.Type) *doc.Type {
	for _, d := range g.pkg(typ.PkgPath()).Types {
		if d.Name == typ.Name() {
			return d
		}
	}
	g.t.Fatalf("no declaration of %s", typ)
	return nil
}

func (g *tsGen) comment(indent, text, goName, tsName string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	if goName != tsName { // the doc comment starts with the Go name
		if rest, ok := strings.CutPrefix(text, goName+" "); ok {
			text = tsName + " " + rest
		}
	}
	if !strings.Contains(text, "\n") {
		g.out.WriteString(indent + "/** " + text + " */\n")
		return
	}
	g.out.WriteString(indent + "/**\n")
	for _, l := range strings.Split(text, "\n") {
		g.out.WriteString(strings.TrimRight(indent+" * "+l, " ") + "\n")
	}
	g.out.WriteString(indent + " */\n")
}

func (g *tsGen) decl(typ reflect.Type) {
	d := g.docType(typ)
	name := g.names[typ]
	g.out.WriteString("\n")
	g.comment("", d.Doc, typ.Name(), name)
	if typ.Kind() == reflect.String {
		var values []string
		for _, c := range d.Consts {
			for _, s := range c.Decl.Specs {
				for _, v := range s.(*ast.ValueSpec).Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						g.t.Fatalf("%s: a constant that is not a string literal", typ)
					}
					values = append(values, strings.ReplaceAll(lit.Value, `"`, "'"))
				}
			}
		}
		if len(values) == 0 {
			g.t.Fatalf("%s has no constants", typ)
		}
		fmt.Fprintf(&g.out, "export type %s =\n  | %s\n", name, strings.Join(values, "\n  | "))
		return
	}
	fields := fieldDocs(d)
	fmt.Fprintf(&g.out, "export interface %s {\n", name)
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || tag == "-" || f.Anonymous {
			if f.Anonymous {
				g.t.Fatalf("%s: embedded fields are not supported", typ)
			}
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		g.comment("  ", fields[f.Name], f.Name, f.Name)
		opt := ""
		if slices.Contains(strings.Split(opts, ","), "omitempty") {
			opt = "?"
		}
		fmt.Fprintf(&g.out, "  %s%s: %s\n", tag, opt, g.ts(f.Type))
	}
	g.out.WriteString("}\n")
}

// fieldDocs are the comments above a struct's fields.
func fieldDocs(d *doc.Type) map[string]string {
	m := map[string]string{}
	for _, s := range d.Decl.Specs {
		st, ok := s.(*ast.TypeSpec).Type.(*ast.StructType)
		if !ok {
			continue
		}
		for _, f := range st.Fields.List {
			for _, n := range f.Names {
				m[n.Name] = f.Doc.Text()
			}
		}
	}
	return m
}

var rawJSON = reflect.TypeOf(json.RawMessage{})

// ts is the TypeScript of a field's type, queueing named types it uses.
func (g *tsGen) ts(typ reflect.Type) string {
	switch {
	case typ == rawJSON:
		return "unknown" // typed per frame type (docs/realtime.md)
	case typ == reflect.TypeOf(time.Time{}):
		return "string"
	}
	switch typ.Kind() {
	case reflect.Pointer:
		return g.ts(typ.Elem()) + " | null"
	case reflect.Slice:
		return g.ts(typ.Elem()) + "[]"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Float64:
		return "number"
	case reflect.String:
		if typ.PkgPath() == "" {
			return "string"
		}
	case reflect.Struct:
	default:
		g.t.Fatalf("no TypeScript for %s", typ)
	}
	if n, ok := g.names[typ]; ok {
		return n
	}
	for _, n := range g.names {
		if n == typ.Name() { // two Go types, one TypeScript name
			g.t.Fatalf("%s: name taken; give it one in frameTypes", typ)
		}
	}
	g.names[typ] = typ.Name()
	g.queue = append(g.queue, typ)
	return typ.Name()
}
