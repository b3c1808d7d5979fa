package progress_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chipsim/chipsim/output/progress"
)

// clock is a fake clock that moves only when told to.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// lines splits what a bar wrote into the lines it drew, without the
// carriage returns and the erase-to-end-of-line codes.
func lines(out string) []string {
	var ls []string
	for _, s := range strings.Split(out, "\r") {
		s = strings.ReplaceAll(s, "\033[K", "")
		if s != "" {
			ls = append(ls, s)
		}
	}
	return ls
}

// run updates a bar of total from 0 to total, a second apart, and finishes.
func run(b *progress.Bar, c *clock, total int) {
	for i := 0; i <= total; i++ {
		b.Update(i)
		c.Advance(time.Second)
	}
	b.Finish()
}

func TestNotATerminal(t *testing.T) {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	tmp, err := os.Create(t.TempDir() + "/out.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer tmp.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	var buf bytes.Buffer

	tests := []struct {
		name string
		w    io.Writer
	}{
		{"buffer", &buf},
		{"devnull", devnull},
		{"file", tmp},
		{"pipe", pw},
		{"nil", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			b := progress.New(tt.w, 10, progress.Options{Label: "mc", Now: c.Now})
			if b.Enabled() {
				t.Errorf("New(%s).Enabled() = true, want false", tt.name)
			}
			run(b, c, 10)
		})
	}
	if buf.Len() != 0 {
		t.Errorf("buffer got %q, want nothing", buf.String())
	}
	if st, err := tmp.Stat(); err != nil || st.Size() != 0 {
		t.Errorf("file got %v bytes (%v), want none", st.Size(), err)
	}
	pw.Close()
	if got, err := io.ReadAll(pr); err != nil || len(got) != 0 {
		t.Errorf("pipe got %q (%v), want nothing", got, err)
	}
}

func TestQuiet(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := progress.New(&buf, 10, progress.Options{Quiet: true, Force: true, Now: c.Now})
	if b.Enabled() {
		t.Error("Enabled() with Quiet = true, want false")
	}
	run(b, c, 10)
	if buf.Len() != 0 {
		t.Errorf("quiet bar wrote %q, want nothing", buf.String())
	}
}

func TestWidth(t *testing.T) {
	tests := []struct {
		width int
		label string
		total int
		want  []string // substrings of the final line
		not   []string // substrings no line may have
	}{
		{80, "mc baseline-uncertain", 100000, []string{"mc baseline-uncertain [", "100%", "100000/100000", "ETA 0s"}, nil},
		{80, "", 7, []string{"[", "100%", "7/7", "ETA"}, nil},
		{40, "mc baseline-uncertain", 100000, []string{"[", "100%"}, nil},
		{40, "", 100, []string{"[", "100%", "100/100"}, nil},
		{30, "sweep", 1000000, []string{"[", "100%"}, []string{"ETA"}},
		{20, "a-very-long-label-indeed", 100, []string{"[", "100%"}, []string{"ETA", "label"}},
		{19, "mc", 100, []string{"100%"}, []string{"[", "mc"}},
		{15, "mc", 100000, []string{"100%"}, []string{"[", "mc", "ETA", "/"}},
		{4, "", 10, []string{"100"}, nil}, // room for 3 runes: "100%" is cut
		{1, "", 10, nil, nil},
		{80, "模拟 蒙特卡洛 场景 基线 不确定 模拟 蒙特卡洛 场景 基线 不确定 模拟 蒙特卡洛 场景 基线 不确定", 1000, []string{"100%"}, nil},
		{40, "蒙特卡洛", 1000, []string{"蒙特卡洛 [", "100%"}, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%s", tt.width, tt.label), func(t *testing.T) {
			var buf bytes.Buffer
			c := newClock()
			b := progress.New(&buf, tt.total, progress.Options{Label: tt.label, Width: tt.width, Force: true, Now: c.Now})
			for _, done := range []int{0, 1, tt.total / 3, tt.total / 2, tt.total - 1, tt.total} {
				b.Update(done)
				c.Advance(time.Minute)
			}
			ls := lines(buf.String())
			if tt.width <= 1 {
				if len(ls) != 0 {
					t.Fatalf("width %d drew %q, want nothing", tt.width, ls)
				}
				return
			}
			if len(ls) != 6 {
				t.Fatalf("drew %d lines %q, want 6", len(ls), ls)
			}
			for _, l := range ls {
				if n := utf8.RuneCountInString(l); n > tt.width-1 {
					t.Errorf("line %q has %d runes, want at most %d", l, n, tt.width-1)
				}
				for _, s := range tt.not {
					if strings.Contains(l, s) {
						t.Errorf("line %q has %q, want it dropped at width %d", l, s, tt.width)
					}
				}
			}
			last := ls[len(ls)-1]
			for _, s := range tt.want {
				if !strings.Contains(last, s) {
					t.Errorf("final line %q lacks %q", last, s)
				}
			}
		})
	}
}

func TestLine(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := progress.New(&buf, 100, progress.Options{Label: "mc", Width: 60, Force: true, Now: c.Now})
	b.Update(0)
	c.Advance(10 * time.Second)
	b.Update(25)
	c.Advance(time.Hour)
	b.Update(99) // 99.x% shows 99%, never 100% before the end
	want := []string{
		"mc [                            ]   0%   0/100 ETA ?",
		"mc [=======                     ]  25%  25/100 ETA 30s",
		"mc [=========================== ]  99%  99/100 ETA 36s",
	}
	got := lines(buf.String())
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines = %q, want %q", got, want)
	}
}

func TestThrottle(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := progress.New(&buf, 10, progress.Options{Width: 80, Force: true, Now: c.Now})
	steps := []struct {
		advance time.Duration
		done    int
		draws   bool
	}{
		{0, 1, true}, // the first update draws
		{50 * time.Millisecond, 2, false},
		{40 * time.Millisecond, 3, false},
		{10 * time.Millisecond, 4, true}, // Interval since the last drawing
		{time.Millisecond, 5, false},
		{time.Second, 3, false}, // lower than seen: ignored
		{time.Millisecond, 10, true},
		{time.Second, 10, false}, // the end is drawn once
	}
	n := 0
	for i, s := range steps {
		c.Advance(s.advance)
		b.Update(s.done)
		got := len(lines(buf.String()))
		if s.draws {
			n++
		}
		if got != n {
			t.Fatalf("step %d: Update(%d) after %v: %d lines, want %d", i, s.done, s.advance, got, n)
		}
	}
	if ls := lines(buf.String()); !strings.Contains(ls[len(ls)-1], "100%") {
		t.Errorf("final line = %q, want 100%%", ls[len(ls)-1])
	}
}

func TestFinish(t *testing.T) {
	t.Run("drew", func(t *testing.T) {
		var buf bytes.Buffer
		b := progress.New(&buf, 10, progress.Options{Force: true, Width: 80})
		b.Update(5)
		b.Finish()
		b.Finish()
		b.Update(10)
		out := buf.String()
		if !strings.HasSuffix(out, "\r\033[K") {
			t.Errorf("output %q does not end by clearing the line", out)
		}
		if n := strings.Count(out, "\r"); n != 2 {
			t.Errorf("output %q has %d carriage returns, want 2 (one drawing, one clear)", out, n)
		}
	})
	t.Run("nothing drawn", func(t *testing.T) {
		var buf bytes.Buffer
		b := progress.New(&buf, 10, progress.Options{Force: true, Width: 80})
		b.Finish()
		if buf.Len() != 0 {
			t.Errorf("Finish with nothing drawn wrote %q, want nothing", buf.String())
		}
	})
}

func TestConcurrent(t *testing.T) {
	const workers, each = 8, 500
	var w bytes.Buffer // the bar serialises its writes: a plain buffer must do
	c := newClock()
	b := progress.New(&w, workers*each, progress.Options{Label: "mc", Width: 50, Force: true, Now: c.Now})
	var done sync.Mutex
	n := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				done.Lock()
				n++
				k := n
				done.Unlock()
				c.Advance(time.Millisecond)
				b.Update(k)
			}
		})
	}
	wg.Wait()
	b.Finish()
	ls := lines(w.String())
	if len(ls) == 0 || !strings.Contains(ls[len(ls)-1], "100%") {
		t.Fatalf("final line of %d = %q, want 100%%", len(ls), ls[len(ls)-1:])
	}
	if len(ls) > workers*each/100+2 {
		t.Errorf("drew %d lines for %v of updates, want at most ~10 a second", len(ls), workers*each*time.Millisecond)
	}
	for _, l := range ls {
		if utf8.RuneCountInString(l) > 49 {
			t.Errorf("line %q wider than 49 runes", l)
		}
	}
}

// A bar on a buffer draws only when forced; each update rewrites the line
// after a carriage return, and Finish erases it.
func Example() {
	var buf bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	bar := progress.New(&buf, 4000, progress.Options{
		Label: "mc baseline-uncertain",
		Width: 80,
		Force: true, // os.Stderr on a terminal needs no Force
		Now:   func() time.Time { return now },
	})
	for done := 1000; done <= 4000; done += 1000 {
		now = now.Add(5 * time.Second)
		bar.Update(done)
	}
	bar.Finish()
	for _, l := range strings.Split(buf.String(), "\r") {
		fmt.Printf("%q\n", l)
	}
	// Output:
	// ""
	// "mc baseline-uncertain [======                     ]  25% 1000/4000 ETA 15s\x1b[K"
	// "mc baseline-uncertain [=============              ]  50% 2000/4000 ETA 10s\x1b[K"
	// "mc baseline-uncertain [====================       ]  75% 3000/4000 ETA 5s\x1b[K"
	// "mc baseline-uncertain [===========================] 100% 4000/4000 ETA 0s\x1b[K"
	// "\x1b[K"
}
