// Package explore writes the explorer: one self-contained HTML file in
// which the whole model runs live, offline. The page embeds the engine
// compiled to WebAssembly (cmd/chipsim-wasm, gzipped; built by go
// generate), the uPlot chart library (MIT, vendored from npm with its
// licence) and the scenarios it offers, and needs no network: it can be
// emailed and opened from disk.
package explore

//go:generate go run ./internal/gen

import (
	"bytes"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/template"

	"github.com/chipsim/chipsim/output/explore/engine"
)

//go:embed assets/engine.wasm.gz assets/wasm_exec.js assets/engine.txt assets/page.html assets/explore.js assets/explore.css assets/uplot
var assets embed.FS

// MaxSize is the most bytes a page may hold.
const MaxSize = 4 << 20

// Options are the page's settings.
type Options struct {
	Title   string // the page's title
	Version string // chipsim's version, printed in the footer
}

// Write writes the explorer page for the scenarios to w. It loads them
// first with the page's own engine, so that a scenario the page could not
// run is an error here.
func Write(w io.Writer, srcs []engine.Source, o Options) error {
	e, err := engine.New(srcs)
	if err != nil {
		return err
	}
	if len(e.Names()) == 0 {
		return fmt.Errorf("explore: no scenarios")
	}
	read := func(name string) string {
		b, err := assets.ReadFile("assets/" + name)
		if err != nil {
			panic("explore: missing asset " + name) // embedded: cannot happen in a build
		}
		return string(b)
	}
	data, err := json.Marshal(srcs) // json escapes <, > and &: safe inside a script element
	if err != nil {
		return err
	}
	page, err := template.New("page").Parse(read("page.html"))
	if err != nil {
		return err
	}
	var b bytes.Buffer
	err = page.Execute(&b, map[string]string{
		"Title":    o.Title,
		"Version":  o.Version,
		"Engine":   strings.TrimSpace(read("engine.txt")),
		"CSS":      read("uplot/uPlot.min.css") + "\n" + read("explore.css"),
		"UPlot":    read("uplot/uPlot.iife.min.js"),
		"UPlotLic": read("uplot/LICENSE"),
		"WasmExec": read("wasm_exec.js"),
		"JS":       read("explore.js"),
		"Sources":  string(data),
		"Wasm":     base64.StdEncoding.EncodeToString([]byte(read("engine.wasm.gz"))),
	})
	if err != nil {
		return err
	}
	if b.Len() > MaxSize {
		return fmt.Errorf("explore: the page would hold %d bytes, more than %d", b.Len(), MaxSize)
	}
	_, err = w.Write(b.Bytes())
	return err
}
