package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress draws a progress bar with an ETA on a terminal; elsewhere, or
// with --quiet, it draws nothing.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	total int
	start time.Time
	last  time.Time
	on    bool
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func newProgress(w io.Writer, total int, quiet bool) *progress {
	return &progress{w: w, total: total, start: time.Now(), on: !quiet && isTerminal(w)}
}

func (p *progress) update(done int) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond && done < p.total {
		return
	}
	p.last = now
	frac := float64(done) / float64(max(p.total, 1))
	const width = 30
	n := int(frac * width)
	eta := "?"
	if done > 0 {
		rem := time.Duration(float64(now.Sub(p.start)) * (1 - frac) / frac)
		eta = rem.Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%% %d/%d ETA %s ", strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100, done, p.total, eta)
}

func (p *progress) finish() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
