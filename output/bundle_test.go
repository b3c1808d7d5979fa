package output_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chipsim/chipsim/output"
)

// listTree maps every file under dir (hidden ones included) to its
// content; folders map to "/".
func listTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			m[filepath.ToSlash(rel)] = "/"
			return nil
		}
		data, err := os.ReadFile(p)
		m[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// visible keeps the files of a listTree map that are not hidden nor in a
// hidden folder.
func visible(m map[string]string) map[string]string {
	v := map[string]string{}
	for k, c := range m {
		hidden := c == "/"
		for _, el := range strings.Split(k, "/") {
			hidden = hidden || strings.HasPrefix(el, ".")
		}
		if !hidden {
			v[k] = c
		}
	}
	return v
}

func keys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// age sets the times of everything under p to d ago.
func age(t *testing.T, p string, d time.Duration) {
	t.Helper()
	when := time.Now().Add(-d)
	err := filepath.WalkDir(p, func(q string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(q, when, when)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// writeSet stages the set of files of TestBundleCrash.
func writeSet(b *output.Bundle, gen string) error {
	if err := b.Data("a.csv", []byte("a "+gen+"\n")); err != nil {
		return err
	}
	if err := b.File("b.json", writeString("b "+gen+"\n")); err != nil {
		return err
	}
	return b.File("c.csv", writeString("c "+gen+"\n"))
}

func TestBundleCommit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	b := &output.Bundle{Dir: dir}
	defer b.Abort()
	if err := writeSet(b, "new"); err != nil {
		t.Fatal(err)
	}
	// Until Commit no file is at its name.
	if got := visible(listTree(t, dir)); len(got) != 0 {
		t.Errorf("before Commit the folder shows %v, want nothing", keys(got))
	}
	if w := b.Wrote(); len(w) != 0 {
		t.Errorf("Wrote() before Commit = %v, want none", w)
	}
	files, err := b.Commit()
	if err != nil {
		t.Fatalf("Commit() error = %v", err)
	}
	want := []string{filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.json"), filepath.Join(dir, "c.csv")}
	if !slices.Equal(files, want) || !slices.Equal(b.Wrote(), want) {
		t.Errorf("Commit() = %v, Wrote() = %v, want %v", files, b.Wrote(), want)
	}
	got := listTree(t, dir)
	wantTree := map[string]string{"a.csv": "a new\n", "b.json": "b new\n", "c.csv": "c new\n"}
	if fmt.Sprint(got) != fmt.Sprint(wantTree) {
		t.Errorf("after Commit the folder holds %v, want %v (no staging left)", got, wantTree)
	}
	for _, f := range files {
		if fi, _ := os.Stat(f); fi.Mode().Perm() != 0o644 {
			t.Errorf("%s has mode %v, want 0644", f, fi.Mode().Perm())
		}
	}
	// Abort after Commit keeps the files; a closed bundle writes nothing.
	b.Abort()
	b.Abort()
	if got := listTree(t, dir); len(got) != 3 {
		t.Errorf("Abort after Commit left %v, want the 3 files", keys(got))
	}
	if err := b.Data("d.csv", nil); !errors.Is(err, output.ErrClosed) {
		t.Errorf("Data() after Commit: error = %v, want %v", err, output.ErrClosed)
	}
	if _, err := b.Commit(); !errors.Is(err, output.ErrClosed) {
		t.Errorf("second Commit(): error = %v, want %v", err, output.ErrClosed)
	}
}

func TestBundleAbort(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out", "sub")
	b := &output.Bundle{Dir: dir}
	if err := writeSet(b, "new"); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := b.File("d.csv", func(w io.Writer) error { io.WriteString(w, "half"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("File() with a failing writer: error = %v, want %v", err, boom)
	}
	b.Abort()
	b.Abort() // idempotent
	if got := listTree(t, parent); len(got) != 0 {
		t.Errorf("after Abort %s holds %v, want nothing (not even the folders made for the bundle)", parent, keys(got))
	}
	if err := b.Data("e.csv", nil); !errors.Is(err, output.ErrClosed) {
		t.Errorf("Data() after Abort: error = %v, want %v", err, output.ErrClosed)
	}
	if _, err := b.Commit(); !errors.Is(err, output.ErrClosed) {
		t.Errorf("Commit() after Abort: error = %v, want %v", err, output.ErrClosed)
	}

	// A folder that was there stays, with what it held.
	dir = t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.csv"), []byte("a old\n"), 0o644)
	b = &output.Bundle{Dir: dir}
	if err := writeSet(b, "new"); err != nil {
		t.Fatal(err)
	}
	b.Abort()
	if got, want := listTree(t, dir), map[string]string{"a.csv": "a old\n"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after Abort the folder holds %v, want %v", got, want)
	}
}

// TestBundleCrashHelper is the process TestBundleCrash kills: it stages
// two files and, half-way through the third, waits to be killed.
func TestBundleCrashHelper(t *testing.T) {
	dir := os.Getenv("CHIPSIM_CRASH_DIR")
	if dir == "" {
		t.Skip("run by TestBundleCrash")
	}
	b := &output.Bundle{Dir: dir}
	b.Data("a.csv", []byte("a new\n"))
	b.File("b.json", writeString("b new\n"))
	b.File("c.csv", func(w io.Writer) error {
		io.WriteString(w, "c ne")
		fmt.Println("staged")
		select {} // killed here
	})
	t.Fatal("not killed")
}

// TestBundleCrash kills a process writing a bundle: the folder keeps the
// previous set whole, and running again gives the bytes of a run never
// interrupted; the staging folder left is removed once stale.
func TestBundleCrash(t *testing.T) {
	dir := t.TempDir()
	old := map[string]string{"a.csv": "a old\n", "b.json": "b old\n", "c.csv": "c old\n"}
	for n, c := range old {
		os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBundleCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CHIPSIM_CRASH_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	staged := make(chan bool)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "staged" {
				staged <- true
				return
			}
		}
		staged <- false
	}()
	select {
	case ok := <-staged:
		if !ok {
			cmd.Wait()
			t.Fatal("the helper ended without staging")
		}
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatal("the helper did not stage in a minute")
	}
	cmd.Process.Kill()
	cmd.Wait()

	if got := visible(listTree(t, dir)); fmt.Sprint(got) != fmt.Sprint(old) {
		t.Errorf("after a crash the folder shows %v, want the old set %v", got, old)
	}
	left := listTree(t, dir)
	for k := range left {
		if strings.HasPrefix(k, ".") && !strings.HasPrefix(k, ".chipsim-stage-") {
			t.Errorf("a crash left %s, want its files in a staging folder", k)
		}
	}

	// Run again, and once into a fresh folder: the same bytes.
	clean := t.TempDir()
	for _, d := range []string{dir, clean} {
		b := &output.Bundle{Dir: d}
		if err := writeSet(b, "new"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	got, want := visible(listTree(t, dir)), listTree(t, clean)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rerun after a crash gives %v, want %v as a clean run", got, want)
	}
	// The crashed staging folder is young: it could be another chipsim's
	// still writing, so it stays until stale.
	if len(listTree(t, dir)) == len(want) {
		t.Errorf("a young staging folder was removed")
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".chipsim-stage-") {
			age(t, filepath.Join(dir, e.Name()), 2*output.StaleAfter)
		}
	}
	b := &output.Bundle{Dir: dir}
	if err := writeSet(b, "new"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := listTree(t, dir); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after a stale staging folder is swept the folder holds %v, want %v", keys(got), keys(want))
	}
}

// TestBundleSweep: a commit removes stale staging folders and stale
// temporary files of WriteFile for the names it writes, and nothing else.
func TestBundleSweep(t *testing.T) {
	dir := t.TempDir()
	mk := func(name string, stale bool) {
		p := filepath.Join(dir, name)
		if strings.HasSuffix(name, "/") {
			os.MkdirAll(filepath.Join(p, "charts"), 0o755)
			os.WriteFile(filepath.Join(p, "charts", "x.png"), []byte("x"), 0o644)
		} else {
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte("x"), 0o644)
		}
		if stale {
			age(t, p, 2*output.StaleAfter)
		}
	}
	mk(".chipsim-stage-111/", true)
	mk(".chipsim-stage-222/", false)
	mk(".a.csv.tmp-123", true)
	mk(".a.csv.tmp-456", false)
	mk("charts/.x.csv.tmp-7", true)
	mk(".other.csv.tmp-9", true)         // not one of the bundle's names
	mk(".a.csv.tmp-notes", true)         // not WriteFile's pattern
	mk(".chipsim-stage-notes.txt", true) // a file, not a staging folder
	b := &output.Bundle{Dir: dir}
	if err := b.Data("a.csv", []byte("a")); err != nil {
		t.Fatal(err)
	}
	r, err := b.Records(filepath.Join(dir, "charts", "x.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Row(0)
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range keys(listTree(t, dir)) {
		if !strings.HasPrefix(k, ".chipsim-stage-222/") {
			got = append(got, k)
		}
	}
	want := []string{".a.csv.tmp-456", ".a.csv.tmp-notes", ".chipsim-stage-222", ".chipsim-stage-notes.txt", ".other.csv.tmp-9", "a.csv", "charts", "charts/x.csv"}
	if !slices.Equal(got, want) {
		t.Errorf("after the sweep the folder holds %q, want %q", got, want)
	}
}

func TestBundleSubfolderAndRecords(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	elsewhere := filepath.Join(root, "draws", "d.csv")
	b := &output.Bundle{Dir: dir}
	defer b.Abort()
	if err := b.Data("a.csv", []byte("a\n")); err != nil {
		t.Fatal(err)
	}
	rec, err := b.RunRecords(filepath.Join(dir, "runs.parquet"), elsewhere, []string{"=cmd|' /C calc'!A0", "x"}, []string{"y"})
	if err != nil {
		t.Fatal(err)
	}
	for run := range 3 {
		if err := rec.Record(run, []float64{float64(run), -0.5}, []float64{1, 2}); err != nil {
			t.Fatal(err)
		}
	}
	// The records appear only with the rest of the bundle.
	if got := visible(listTree(t, root)); len(got) != 0 {
		t.Errorf("before Commit %s shows %v, want nothing", root, keys(got))
	}
	files, err := b.Commit()
	if err != nil {
		t.Fatalf("Commit() error = %v", err)
	}
	want := []string{filepath.Join(dir, "a.csv"), filepath.Join(dir, "runs.parquet"), elsewhere}
	if !slices.Equal(files, want) {
		t.Errorf("Commit() = %v, want %v", files, want)
	}
	data, err := os.ReadFile(elsewhere)
	if err != nil {
		t.Fatal(err)
	}
	wantCSV := "run,'=cmd|' /C calc'!A0,x\n0,0,-0.5\n1,1,-0.5\n2,2,-0.5\n"
	if string(data) != wantCSV {
		t.Errorf("draws CSV = %q, want %q", data, wantCSV)
	}
	if fi, err := os.Stat(filepath.Join(dir, "runs.parquet")); err != nil || fi.Size() == 0 {
		t.Errorf("runs.parquet: %v, want a Parquet file", err)
	}
	for _, d := range []string{root, dir, filepath.Dir(elsewhere)} {
		ents, _ := os.ReadDir(d)
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("Commit left %s in %s", e.Name(), d)
			}
		}
	}
	rec.Abort() // after the bundle's Commit: nothing happens
	if _, err := os.Stat(elsewhere); err != nil {
		t.Errorf("RunRecords.Abort after Commit removed %s", elsewhere)
	}
}

// TestNewRunRecords: run records outside a bundle still work alone.
func TestNewRunRecords(t *testing.T) {
	dir := t.TempDir()
	outcomes, draws := filepath.Join(dir, "o.csv"), filepath.Join(dir, "sub", "d.parquet")
	rec, err := output.NewRunRecords(outcomes, draws, []string{"a"}, []string{"y"})
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Record(0, []float64{1}, []float64{2, 3}); err != nil {
		t.Fatal(err)
	}
	if got := visible(listTree(t, dir)); len(got) != 0 {
		t.Errorf("before Commit the folder shows %v", keys(got))
	}
	files, err := rec.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{outcomes, draws}; !slices.Equal(files, want) {
		t.Errorf("Commit() = %v, want %v", files, want)
	}
	if data, _ := os.ReadFile(outcomes); string(data) != "run,a,y\n0,1,2\n" {
		t.Errorf("%s = %q", outcomes, data)
	}
	rec.Abort()
	if _, err := os.Stat(draws); err != nil {
		t.Errorf("Abort after Commit: %v", err)
	}

	// Aborted: nothing, not even the folder made for it.
	dir = t.TempDir()
	rec, err = output.NewRunRecords(filepath.Join(dir, "o.csv"), filepath.Join(dir, "sub", "d.csv"), []string{"a"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec.Record(0, []float64{1}, nil)
	rec.Abort()
	if got := listTree(t, dir); len(got) != 0 {
		t.Errorf("after Abort the folder holds %v", keys(got))
	}

	// The same file twice is refused.
	if _, err := output.NewRunRecords(outcomes, outcomes, []string{"a"}, nil); !errors.Is(err, output.ErrOverwrite) {
		t.Errorf("NewRunRecords of one file twice: error = %v, want %v", err, output.ErrOverwrite)
	}
}

func TestNewRecordsExt(t *testing.T) {
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{"d.csv", true},
		{"D.CSV", true},
		{"d.parquet", true},
		{"d.Parquet", true},
		{"d.xlsx", false},
		{"d", false},
		{"d.csv.gz", false},
		{"csv", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			r, err := output.NewRecords(filepath.Join(dir, tt.name), []string{"a"})
			if tt.ok {
				if err != nil {
					t.Fatalf("NewRecords(%q) error = %v, want none", tt.name, err)
				}
				r.Abort()
			} else {
				if !errors.Is(err, output.ErrRecordsExt) || !strings.Contains(err.Error(), tt.name) {
					t.Errorf("NewRecords(%q) error = %v, want %v naming the file", tt.name, err, output.ErrRecordsExt)
				}
				if r != nil {
					r.Abort()
				}
			}
			if got := listTree(t, dir); len(got) != 0 {
				t.Errorf("NewRecords(%q) then Abort left %v", tt.name, keys(got))
			}
		})
	}
	b := &output.Bundle{Dir: t.TempDir()}
	defer b.Abort()
	if _, err := b.Records(filepath.Join(b.Dir, "d.xlsx"), nil); !errors.Is(err, output.ErrRecordsExt) {
		t.Errorf("Bundle.Records(d.xlsx) error = %v, want %v", err, output.ErrRecordsExt)
	}
}

func TestCheckFileName(t *testing.T) {
	for _, tt := range []struct {
		name, err string // err: part of the message; "" for none
	}{
		{"baseline.csv", ""},
		{"h200-blocked-sweep.csv", ""},
		{"Zürich 2030.csv", ""},
		{".hidden", ""},
		{"", "empty"},
		{".", "not a file name"},
		{"..", "not a file name"},
		{"a/b.csv", "path separator"},
		{"/etc/passwd", "path separator"},
		{`..\x.csv`, "path separator"},
		{"a\x00b", "control character U+0000"},
		{"a\nb.csv", "control character U+000A"},
		{"a\x7f", "control character U+007F"},
		{"a\u0085", "control character U+0085"},
		{"\xff.csv", "not valid UTF-8"},
		{".chipsim-stage-1", "staging"},
	} {
		err := output.CheckFileName(tt.name)
		if tt.err == "" {
			if err != nil {
				t.Errorf("CheckFileName(%q) = %v, want nil", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, output.ErrBadName) || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), fmt.Sprintf("%q", tt.name)) {
			t.Errorf("CheckFileName(%q) = %v, want %v naming it: %s", tt.name, err, output.ErrBadName, tt.err)
		}
	}
}

// TestBundleRefuses: a bundle writes over no input, no file of its own
// twice, no folder, and no name that is not a file name.
func TestBundleRefuses(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(in, []byte("scenario\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sweep := filepath.Join(dir, "inputs.csv")
	if err := os.WriteFile(sweep, []byte("a,b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "folder.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	links := map[string]bool{}
	if os.Symlink(in, filepath.Join(dir, "sym.yaml")) == nil {
		links["sym.yaml"] = true
	}
	if os.Link(in, filepath.Join(dir, "hard.yaml")) == nil {
		links["hard.yaml"] = true
	}
	chart, err := sobolFixture()
	if err != nil {
		t.Fatal(err)
	}
	bad := &output.Chart{Name: "../up"}

	b := &output.Bundle{Dir: dir, Formats: []string{"svg"}}
	defer b.Abort()
	b.Input(in, sweep)
	if err := b.Data("x.csv", []byte("x")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		what  string
		write func() error
		want  error
		names []string // what the message must name
		link  string   // the link the case needs
	}{
		{"input", func() error { return b.Data("s.yaml", nil) }, output.ErrOverwrite, []string{filepath.Join(dir, "s.yaml"), in}, ""},
		{"records over input", func() error { _, err := b.Records(sweep, nil); return err }, output.ErrOverwrite, []string{sweep}, ""},
		{"symbolic link to input", func() error { return b.Data("sym.yaml", nil) }, output.ErrOverwrite, []string{"sym.yaml", in}, "sym.yaml"},
		{"hard link to input", func() error { return b.Data("hard.yaml", nil) }, output.ErrOverwrite, []string{"hard.yaml", in}, "hard.yaml"},
		{"twice", func() error { return b.Data("x.csv", nil) }, output.ErrOverwrite, []string{"x.csv"}, ""},
		{"folder", func() error { return b.Data("folder.csv", nil) }, output.ErrOverwrite, []string{"folder.csv", "folder"}, ""},
		{"separator", func() error { return b.Data("a/b.csv", nil) }, output.ErrBadName, []string{`"a/b.csv"`}, ""},
		{"dot-dot", func() error { return b.File("..", writeString("")) }, output.ErrBadName, []string{`".."`}, ""},
		{"empty", func() error { return b.Data("", nil) }, output.ErrBadName, []string{`""`}, ""},
		{"NUL", func() error { return b.Data("a\x00.csv", nil) }, output.ErrBadName, []string{`"a\x00.csv"`}, ""},
		{"chart prefix", func() error { return b.Charts("a/", []*output.Chart{chart}) }, output.ErrBadName, []string{"a/" + chart.Name + ".svg"}, ""},
		{"chart name", func() error { return b.Charts("", []*output.Chart{bad}) }, output.ErrBadName, []string{"../up.svg"}, ""},
		{"records", func() error { _, err := b.Records(filepath.Join(dir, "x.csv"), nil); return err }, output.ErrOverwrite, []string{"x.csv"}, ""},
		{"records name", func() error { _, err := b.Records(filepath.Join(dir, "a\tb.csv"), nil); return err }, output.ErrBadName, []string{`"a\tb.csv"`}, ""},
	} {
		t.Run(tt.what, func(t *testing.T) {
			if tt.link != "" && !links[tt.link] {
				t.Skip("links not supported here")
			}
			err := tt.write()
			if tt.want == nil {
				if err != nil {
					t.Errorf("error = %v, want none", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			for _, n := range tt.names {
				if !strings.Contains(err.Error(), n) {
					t.Errorf("error %q does not name %s", err, n)
				}
			}
		})
	}
	// An input registered after a file was staged stops the Commit.
	if err := b.Data("late.yaml", []byte("output")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "late.yaml"), []byte("an input\n"), 0o644)
	b.Input(filepath.Join(dir, "late.yaml"))
	if _, err := b.Commit(); !errors.Is(err, output.ErrOverwrite) {
		t.Errorf("Commit() over a late input: error = %v, want %v", err, output.ErrOverwrite)
	}
	if data, _ := os.ReadFile(in); string(data) != "scenario\n" {
		t.Errorf("the input now holds %q", data)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "late.yaml")); string(data) != "an input\n" {
		t.Errorf("the late input now holds %q", data)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.csv")); err == nil {
		t.Errorf("a refused Commit moved x.csv into place")
	}
}

// TestBundleConcurrent: goroutines may stage into one bundle; Commit lists
// the files in the order they were staged.
func TestBundleConcurrent(t *testing.T) {
	dir := t.TempDir()
	b := &output.Bundle{Dir: dir}
	defer b.Abort()
	errs := make(chan error)
	for i := range 20 {
		go func() { errs <- b.Data(fmt.Sprintf("f%02d.csv", i), []byte{byte(i)}) }()
	}
	for range 20 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	files, err := b.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 20 || len(listTree(t, dir)) != 20 {
		t.Errorf("Commit() = %d files, folder %v, want 20", len(files), keys(listTree(t, dir)))
	}
}

// TestReportStaged: a report joins a bundle as one unit, and a report that
// cannot be finished leaves the previous one whole.
func TestReportStaged(t *testing.T) {
	in, _ := reportInput(t, "baseline")
	in.Charts = in.Charts[:2]
	dir := t.TempDir()
	b := &output.Bundle{Dir: dir}
	defer b.Abort()
	if err := b.Report([]output.ReportInput{in}, nil, reportOpts); err != nil {
		t.Fatal(err)
	}
	if got := visible(listTree(t, dir)); len(got) != 0 {
		t.Errorf("before Commit the report folder shows %v, want nothing", keys(got))
	}
	files, err := b.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 4 || filepath.Base(files[2]) != "report.md" || filepath.Base(files[3]) != "report.html" {
		t.Fatalf("Commit() = %v, want 2 charts then report.md and report.html", files)
	}
	first := listTree(t, dir)
	if len(first) != 5 { // charts/ and 4 files
		t.Errorf("report folder holds %v", keys(first))
	}

	// A second report into the same folder that fails: report.html is in
	// the way. The first report stays as it was, charts and pages.
	in2, _ := reportInput(t, "baseline")
	in2.Charts = in.Charts
	in2.Description = "a new description"
	if err := os.Remove(filepath.Join(dir, "report.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "report.html"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "charts", filepath.Base(files[0])), []byte("old chart"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := listTree(t, dir)
	if _, err := output.WriteReport(dir, []output.ReportInput{in2}, nil, reportOpts); err == nil {
		t.Fatalf("WriteReport() over a folder named report.html: no error")
	}
	if after := listTree(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a failed report changed the folder: %v, want %v as before", keys(after), keys(before))
	}
}

func ExampleBundle() {
	dir, _ := os.MkdirTemp("", "chipsim-example-")
	defer os.RemoveAll(dir)
	scenario := filepath.Join(dir, "baseline.yaml")
	os.WriteFile(scenario, []byte("name: baseline\n"), 0o644)

	b := &output.Bundle{Dir: dir}
	defer b.Abort() // discards what was staged unless committed
	b.Input(scenario)
	if err := b.Data("baseline.csv", []byte("scenario,value\nbaseline,1\n")); err != nil {
		fmt.Println(err)
		return
	}
	if err := b.Data("baseline.yaml", []byte("oops")); err != nil {
		fmt.Println(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""))
	}
	files, err := b.Commit()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range files {
		fmt.Println("wrote", filepath.Base(f))
	}
	// Output:
	// output: refusing to overwrite: baseline.yaml is the input baseline.yaml
	// wrote baseline.csv
}
