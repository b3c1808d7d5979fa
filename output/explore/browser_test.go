package explore_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/output/explore"
	"github.com/chipsim/chipsim/output/explore/engine"
	"github.com/chipsim/chipsim/scenarios"
)

// chromium returns the browser to drive, or skips the test: CI sets
// CHIPSIM_BROWSER_TESTS=1, which makes a missing browser a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CHIPSIM_BROWSER_TESTS") == "1" {
		t.Fatal("no chromium on PATH, and CHIPSIM_BROWSER_TESTS=1 (install Debian's chromium)")
	}
	t.Skip("no chromium on PATH: the browser tests need it (CI installs it)")
	return ""
}

// page writes the explorer for the scenarios into a temporary file.
func page(t *testing.T, names ...string) string {
	t.Helper()
	var srcs []engine.Source
	for _, n := range names {
		srcs = append(srcs, engine.Source{Name: n})
	}
	path := filepath.Join(t.TempDir(), "x.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := explore.Write(f, srcs, explore.Options{Title: "test", Version: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// browser opens the page in headless Chromium, with the flags that keep it
// off the network, and records every request it makes and every console
// message.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	requests []string
	console  []string
}

func open(t *testing.T, path string, width, height int) *browser {
	t.Helper()
	exe := chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	b := &browser{ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			b.requests = append(b.requests, ev.Request.URL)
		case *runtime.EventConsoleAPICalled:
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, fmt.Sprint(a.Value))
			}
			b.console = append(b.console, strings.Join(parts, " "))
		case *runtime.EventExceptionThrown:
			b.console = append(b.console, fmt.Sprintf("exception: %+v", ev.ExceptionDetails))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	b.do(t, chromedp.Navigate("file://"+path), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
	return b
}

// do runs actions, failing the test with the page's console on an error.
func (b *browser) do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.mu.Lock()
		defer b.mu.Unlock()
		t.Fatalf("%v; console: %v", err, b.console)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.mu.Lock()
		defer b.mu.Unlock()
		t.Fatalf("%s: %v; console: %v", expr, err, b.console)
	}
	return v
}

// table reads the headline table: metric -> year -> full-precision value.
func (b *browser) table(t *testing.T) map[string]map[string]float64 {
	t.Helper()
	cells := eval[[]map[string]string](t, b, `[...document.querySelectorAll("#headline td")].map(td => ({m: td.dataset.metric, y: td.dataset.year, v: td.dataset.value}))`)
	out := map[string]map[string]float64{}
	for _, c := range cells {
		v, err := strconv.ParseFloat(c["v"], 64)
		if err != nil {
			t.Fatalf("cell %v: %v", c, err)
		}
		if out[c["m"]] == nil {
			out[c["m"]] = map[string]float64{}
		}
		out[c["m"]][c["y"]] = v
	}
	return out
}

// cli is chipsim run's yearly table for a scenario file's text.
func cli(t *testing.T, s *scenarios.Scenario) map[string]map[string]float64 {
	t.Helper()
	m, err := s.Model()
	if err != nil {
		t.Fatal(err)
	}
	r := m.NewResult()
	m.Run(r)
	out := map[string]map[string]float64{}
	years := output.Years(m.Calendar())
	for _, metric := range engine.Headline {
		vals, _ := output.Annual(r, metric, "all")
		out[metric] = map[string]float64{}
		for k, y := range years {
			out[metric][strconv.Itoa(y)] = vals[k]
		}
	}
	return out
}

func sameTable(t *testing.T, what string, got, want map[string]map[string]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d metrics in the page's table, want %d", what, len(got), len(want))
	}
	for m, ys := range want {
		for y, w := range ys {
			g, ok := got[m][y]
			if !ok || math.Abs(g-w) > 1e-9*math.Max(math.Abs(g), math.Abs(w)) {
				t.Errorf("%s: %s in %s = %v in the page, %v by chipsim run", what, m, y, g, w)
			}
		}
	}
}

// TestExplorerInBrowser drives the page in headless Chromium from disk: it
// starts with no network request, its table is chipsim run's, a slider
// changes it, turning an event off gives the CLI's run of the file
// without that event, and the Monte Carlo bands appear.
func TestExplorerInBrowser(t *testing.T) {
	path := page(t, "baseline", "baseline-uncertain")
	b := open(t, path, 1400, 1000)
	base, err := scenarios.Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	start := b.table(t)
	sameTable(t, "baseline", start, cli(t, base))

	// A what-if slider: SMIC N+2 capacity ×2 from 2026Q1.
	runs := func() int { return eval[int](t, b, `+document.body.dataset.runs`) }
	before := runs()
	eval[bool](t, b, `(() => {
		const lab = [...document.querySelectorAll("#whatifs label")].find(l => l.textContent.includes("SMIC N+2 capacity"));
		const input = document.getElementById(lab.htmlFor);
		input.value = 2; input.dispatchEvent(new Event("input", {bubbles: true}));
		return true;
	})()`)
	b.waitRuns(t, before)
	moved := b.table(t)
	if moved["ai.ssr_compute"]["2030"] == start["ai.ssr_compute"]["2030"] {
		t.Errorf("SMIC N+2 capacity ×2: ai.ssr_compute in 2030 stays %v", start["ai.ssr_compute"]["2030"])
	}
	want, err := base.Edit(scenarios.Edits{Changes: []scenarios.Change{{Path: "foundry.smic_n2.capacity_wpm", Kind: "scale", Value: "2", From: engine.WhatIfFrom}}})
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, "SMIC ×2", moved, cli(t, want))

	// Slider moves: the time from a move to the redrawn charts and table.
	for k := 0; k < 20; k++ {
		before := runs()
		eval[bool](t, b, fmt.Sprintf(`(() => {
			const lab = [...document.querySelectorAll("#whatifs label")].find(l => l.textContent.includes("Demand growth"));
			const input = document.getElementById(lab.htmlFor);
			input.value = %g; input.dispatchEvent(new Event("input", {bubbles: true}));
			return true;
		})()`, 0.6+0.05*float64(k)))
		b.waitRuns(t, before)
	}
	times := eval[[]float64](t, b, `window.chipsimTimings.runs.slice(-20)`)
	slices.Sort(times)
	t.Logf("slider to redrawn charts and table: p50 %.1f ms, max %.1f ms over %d moves; cold start %.0f ms",
		times[len(times)/2], times[len(times)-1], len(times), eval[float64](t, b, `window.chipsimTimings.coldStart`))

	// Reset, then turn the third event off.
	before = runs()
	b.do(t, chromedp.Click(chromedp.CSS("#reset")))
	b.waitRuns(t, before)
	before = runs()
	b.do(t, chromedp.Click(chromedp.CSS("#e2")))
	b.waitRuns(t, before)
	off, err := base.Edit(scenarios.Edits{Off: map[int]bool{2: true}})
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, "event 3 off", b.table(t), cli(t, off))
	hash := eval[string](t, b, `location.hash`)
	if !strings.Contains(hash, "off") {
		t.Errorf("the address does not hold the view: %q", hash)
	}

	// Monte Carlo of baseline-uncertain in the worker.
	before = runs()
	eval[bool](t, b, `(() => { const s = document.getElementById("scenario"); s.value = "baseline-uncertain"; return s.dispatchEvent(new Event("change")); })()`)
	b.waitRuns(t, before)
	inputs := eval[int](t, b, `document.querySelectorAll("#inputs input[type=range]").length`)
	if inputs != 10 {
		t.Errorf("baseline-uncertain: %d input sliders, want 10", inputs)
	}
	b.do(t, chromedp.SetValue(chromedp.CSS("#mc-n"), "1000"), chromedp.Click(chromedp.CSS("#mc-run")),
		chromedp.WaitVisible(chromedp.CSS(`body[data-mc="1000"]`)))
	t.Logf("Monte Carlo of 1,000 draws in the worker: %.2f s", eval[float64](t, b, `window.chipsimTimings.mc`)/1000)
	paths := eval[int](t, b, `document.querySelectorAll("#chart-mc canvas").length`)
	if paths == 0 {
		t.Error("no Monte Carlo chart")
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, u := range b.requests {
		if !strings.HasPrefix(u, "file:") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("the page asked the network for %s", u)
		}
	}
	for _, c := range b.console {
		if strings.HasPrefix(c, "exception") {
			t.Errorf("console: %s", c)
		}
	}
}

// waitRuns waits until the page has run more than n times.
func (b *browser) waitRuns(t *testing.T, n int) {
	t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](fmt.Sprintf(`+document.body.dataset.runs > %d`, n), chromedp.WithPollingTimeout(time.Minute))); err != nil {
		b.mu.Lock()
		defer b.mu.Unlock()
		t.Fatalf("waiting for a run: %v; console: %v", err, b.console)
	}
}
