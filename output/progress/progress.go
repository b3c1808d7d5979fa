// Package progress draws a one-line progress bar with an ETA for long batch
// runs (Monte Carlo, sweeps, sensitivity designs) on a terminal.
//
// A Bar draws only when its writer is an *os.File that is a terminal, as
// golang.org/x/term reports it; on anything else (a buffer, a file,
// /dev/null, a pipe) it writes nothing, so redirected output stays clean.
// The line fits the terminal: it is at most width−1 runes long, the bar
// shrinking first, then the ETA, the counts and the label giving way, and
// on a terminal narrower than 20 columns only the percentage is shown. At
// 80, 40 and 15 columns:
//
//	mc baseline-uncertain [========               ]  37%  37000/100000 ETA 12s
//	mc baseline-uncertain [=====     ]  50%
//	50%
//
// Updates may come from several goroutines; they are drawn at most ten
// times a second, except the last (done = total), which is always drawn.
// Finish clears the line.
package progress

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/term"
)

// Interval is the least time between two drawings of a bar, except the
// final one.
const Interval = 100 * time.Millisecond

// Widths used to lay out the line.
const (
	defaultWidth = 80 // when the width is neither given nor known
	narrowWidth  = 20 // below it only the percentage is drawn
	minCells     = 10 // fewest cells of a bar worth drawing
	maxCells     = 40 // most cells of a bar
)

// Options configures a Bar.
type Options struct {
	// Quiet turns the bar off.
	Quiet bool
	// Label is drawn before the bar, such as the scenario's name.
	Label string
	// Width is the width of the terminal in columns; 0 asks the terminal,
	// and assumes 80 if it cannot tell.
	Width int
	// Force draws the bar even when the writer is not a terminal, as tests
	// and callers that know better need.
	Force bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Bar is a progress bar on one line of a terminal. Its methods may be
// called from several goroutines at once.
type Bar struct {
	w     io.Writer
	total int
	label string
	width int // fixed width, or 0 to ask the terminal
	fd    int // the terminal's file descriptor, or -1
	now   func() time.Time
	on    bool // set by New only

	mu       sync.Mutex
	start    time.Time
	last     time.Time // when the bar was last drawn
	done     int       // the highest count seen
	drew     bool      // something is on the line
	final    bool      // the last update has been drawn
	finished bool
}

// New returns a bar counting up to total on w. It draws nothing unless w is
// a terminal or opts.Force is set, and nothing with opts.Quiet.
func New(w io.Writer, total int, opts Options) *Bar {
	b := &Bar{w: w, total: total, label: opts.Label, width: opts.Width, fd: -1, now: opts.Now}
	if b.now == nil {
		b.now = time.Now
	}
	if f, ok := w.(*os.File); ok && f != nil {
		if fd := int(f.Fd()); term.IsTerminal(fd) {
			b.fd = fd
		}
	}
	b.on = w != nil && !opts.Quiet && (opts.Force || b.fd >= 0)
	if b.on {
		b.start = b.now()
	}
	return b
}

// Enabled reports whether the bar draws anything.
func (b *Bar) Enabled() bool { return b.on }

// Update records that done of the total are complete and redraws the bar,
// unless it was drawn less than Interval ago. The final update (done ≥
// total) is always drawn. A count lower than one already seen, as
// goroutines reporting out of order give, is ignored.
func (b *Bar) Update(done int) {
	if !b.on {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished || b.final || done < b.done {
		return
	}
	b.done = done
	now := b.now()
	last := done >= b.total
	if b.drew && !last && now.Sub(b.last) < Interval {
		return
	}
	b.last = now
	b.final = last
	line := b.line(now)
	if line == "" {
		return
	}
	io.WriteString(b.w, "\r"+line+"\033[K")
	b.drew = true
}

// Finish clears the line if the bar drew on it. Later updates draw nothing.
func (b *Bar) Finish() {
	if !b.on {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.drew && !b.finished {
		io.WriteString(b.w, "\r\033[K")
	}
	b.finished = true
}

// columns returns the width of the terminal.
func (b *Bar) columns() int {
	if b.width > 0 {
		return b.width
	}
	if b.fd >= 0 {
		if w, _, err := term.GetSize(b.fd); err == nil && w > 0 {
			return w
		}
	}
	return defaultWidth
}

// line lays out the bar for the count b.done at now, in at most
// columns()−1 runes, leaving the last column free so that the terminal
// never wraps.
func (b *Bar) line(now time.Time) string {
	avail := b.columns() - 1
	frac := 1.0
	if b.total > 0 {
		frac = min(max(float64(b.done)/float64(b.total), 0), 1)
	}
	pct := fmt.Sprintf("%3d%%", int(frac*100)) // floored: 100% only when done
	if avail+1 < narrowWidth {
		return truncate(strings.TrimLeft(pct, " "), avail)
	}
	// The counts and the ETA keep a steady width, so that the bar does not
	// jump as they change.
	tot := strconv.Itoa(b.total)
	counts := field{fmt.Sprintf("%*d/%s", len(tot), b.done, tot), 0}
	eta := field{"ETA ?", len("ETA 1h00m00s")}
	if frac >= 1 {
		eta.text = "ETA 0s"
	} else if frac > 0 {
		rem := time.Duration(float64(now.Sub(b.start)) * (1 - frac) / frac)
		eta.text = "ETA " + rem.Round(time.Second).String()
	}
	label := ""
	if b.label != "" {
		label = b.label + " "
	}
	// Drop what matters least until a bar of at least minCells fits: the
	// ETA, then the counts, then the label.
	layouts := []struct {
		label string
		tail  []field
	}{{label, []field{counts, eta}}, {label, []field{counts}}, {label, nil}, {"", nil}}
	for _, l := range layouts {
		rest := utf8.RuneCountInString(l.label) + len("[] ") + len(pct)
		for _, f := range l.tail {
			rest += 1 + max(utf8.RuneCountInString(f.text), f.width)
		}
		cells := min(avail-rest, maxCells)
		if cells < minCells {
			continue
		}
		n := int(frac * float64(cells))
		var sb strings.Builder
		sb.WriteString(l.label)
		sb.WriteByte('[')
		sb.WriteString(strings.Repeat("=", n))
		sb.WriteString(strings.Repeat(" ", cells-n))
		sb.WriteString("] ")
		sb.WriteString(pct)
		for _, f := range l.tail {
			sb.WriteByte(' ')
			sb.WriteString(f.text)
		}
		return sb.String()
	}
	return truncate(pct, avail)
}

// field is a part of the line and the width kept for it.
type field struct {
	text  string
	width int
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
