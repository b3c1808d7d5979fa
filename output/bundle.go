package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Bundle writes a command's files as one unit: File, Data, Charts, Records
// and Report stage each file in a hidden staging folder, and only Commit
// moves them all to their names, so that an interrupted or failed command
// leaves the previous outputs (or none), never half a set. Abort removes
// what was staged. The usual shape is
//
//	b := &output.Bundle{Dir: dir}
//	defer b.Abort()
//	b.Input(scenarioFile)
//	if err := b.File(name+".csv", write); err != nil {
//		return err
//	}
//	files, err := b.Commit()
//
// A bundle refuses to write over one of its inputs (see Input), to write a
// name twice, or to replace a folder; file names must pass CheckFileName.
//
// Staging folders are named .chipsim-stage-* and sit in Dir (and in the
// folder of a records file given a path outside Dir), so that every
// rename stays within one file system. Commit renames the files in the
// order they were staged, then syncs the folders that changed. A process
// killed between the first and the last rename of Commit (a few
// milliseconds) may leave some new files beside old ones; each file is
// whole, and running the command again restores a consistent set.
//
// A staging folder or a temporary file of WriteFile that a crash left
// behind is removed by a later Commit into the same folder once it has not
// been touched for StaleAfter; until then it is ignored (its name is
// hidden and never an output's). An open bundle touches its staging
// folders every few minutes, so that a chipsim still running in the same
// folder, however long, keeps its own. Two commands writing the same names
// into one folder at once each commit whole files; the last rename of a
// name wins.
//
// The methods may be called from several goroutines. A Bundle must not be
// copied after first use.
type Bundle struct {
	Dir     string       // folder of the files; "" for the working directory
	Formats []string     // chart file formats: png, svg, pdf
	Chart   ChartOptions // size, resolution, date and history of charts

	mu      sync.Mutex
	state   bundleState
	files   []*staged          // in the order given
	targets map[string]*staged // by clean absolute path
	inputs  []input
	stages  map[string]*stage // by clean absolute folder
	created []string          // folders made for the bundle, parents first
	wrote   []string
	alive   *keeper
}

// StaleAfter is how long a staging folder or a temporary file may go
// untouched before a bundle committing into the same folder removes it as
// the leftover of a crashed run.
const StaleAfter = time.Hour

// heartbeat is how often an open bundle touches its staging folders.
var heartbeat = StaleAfter / 6

// stagePrefix begins the name of every staging folder.
const stagePrefix = ".chipsim-stage-"

// Errors of bundles.
var (
	// ErrBadName is returned for a file name that CheckFileName refuses.
	ErrBadName = errors.New("output: bad file name")
	// ErrOverwrite is returned for a file a bundle refuses to write: an
	// input, another of the bundle's files, or a folder.
	ErrOverwrite = errors.New("output: refusing to overwrite")
	// ErrClosed is returned by a bundle used after Commit or Abort.
	ErrClosed = errors.New("output: bundle already committed or aborted")
)

type bundleState int

const (
	bundleOpen bundleState = iota
	bundleCommitted
	bundleAborted
)

// staged is one file of a bundle.
type staged struct {
	path string // the file's name, as given or as Dir/NAME
	abs  string // its clean absolute path
	st   *stage // nil for a file added
	tmp  string // where it is staged
	done bool   // written whole
	// finish completes a file still being written (records); abort
	// discards it.
	finish func() error
	abort  func()
}

// stage is a staging folder.
type stage struct {
	root string // the folder the staged files go to
	dir  string // the staging folder, inside root
}

// input is a file a bundle reads.
type input struct {
	path, abs string
	fi        fs.FileInfo // nil when it could not be stat'ed
}

// CheckFileName reports whether name can name a file in a folder: it must
// not be empty, "." or "..", hold a path separator (/ or \), a NUL or
// other control character, or be invalid UTF-8, and must not begin as
// chipsim's staging folders do. Names of files often come from scenario
// names: callers may check those early, so that errors name the scenario.
func CheckFileName(name string) error {
	bad := func(why string) error { return fmt.Errorf("%w %q: %s", ErrBadName, name, why) }
	switch {
	case name == "":
		return bad("empty")
	case name == "." || name == "..":
		return bad("not a file name")
	case strings.ContainsAny(name, `/\`):
		return bad("contains a path separator")
	case !utf8.ValidString(name):
		return bad("not valid UTF-8")
	case strings.HasPrefix(name, stagePrefix):
		return bad("begins as chipsim's staging folders do")
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return bad(fmt.Sprintf("contains the control character %U", r))
		}
	}
	return nil
}

// Input registers files the command reads (scenario files, sweep files,
// shards): the bundle refuses to write over them, by name, through a
// symbolic link or as a hard link. Paths are relative to the working
// directory.
func (b *Bundle) Input(paths ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range paths {
		in := input{path: p, abs: absPath(p)}
		if fi, err := os.Stat(p); err == nil {
			in.fi = fi
		}
		b.inputs = append(b.inputs, in)
	}
}

// File writes DIR/NAME with write, staged until Commit.
func (b *Bundle) File(name string, write func(io.Writer) error) error {
	e, f, err := b.reserveName(name)
	if err != nil {
		return err
	}
	return b.write(e, f, write)
}

// Data writes DIR/NAME holding data, staged until Commit.
func (b *Bundle) Data(name string, data []byte) error {
	return b.File(name, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// Charts writes each chart as DIR/PREFIX+CHART.FORMAT in every format,
// staged until Commit. Every name is checked before any chart is drawn.
func (b *Bundle) Charts(prefix string, charts []*Chart) error {
	type job struct {
		c      *Chart
		format string
		e      *staged
		f      *os.File
	}
	var jobs []job
	for _, c := range charts {
		for _, format := range b.Formats {
			e, f, err := b.reserveName(prefix + c.Name + "." + format)
			if err != nil {
				for _, j := range jobs {
					b.drop(j.e, j.f)
				}
				return err
			}
			jobs = append(jobs, job{c, format, e, f})
		}
	}
	w, h, dpi := b.Chart.Size()
	for i, j := range jobs {
		if err := b.write(j.e, j.f, func(out io.Writer) error { return j.c.WriteTo(out, j.format, w, h, dpi) }); err != nil {
			for _, k := range jobs[i+1:] {
				b.drop(k.e, k.f)
			}
			return err
		}
	}
	return nil
}

// Add lists files written by other means among the bundle's: Wrote and
// Commit list them in their place, and the bundle refuses to write them
// again. A path the bundle stages already is not listed twice.
func (b *Bundle) Add(files ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range files {
		abs := absPath(p)
		if b.targets[abs] != nil {
			continue
		}
		e := &staged{path: p, abs: abs, done: true}
		b.files = append(b.files, e)
		if b.targets == nil {
			b.targets = map[string]*staged{}
		}
		b.targets[abs] = e
	}
}

// Wrote lists the files the bundle put in place, in the order they were
// given: none before Commit, those Commit moved (and those added) after.
func (b *Bundle) Wrote() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.wrote...)
}

// Commit finishes records still open, moves every staged file to its name,
// syncs the folders, removes the staging folders and those that crashed
// runs left (see StaleAfter), and returns the files in the order they
// were given. On an error it discards what it did not move and returns
// the files it did. A bundle cannot be used after Commit.
func (b *Bundle) Commit() ([]string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state != bundleOpen {
		return nil, ErrClosed
	}
	// Finish records still being written.
	for _, e := range b.files {
		if e.st != nil && !e.done && e.finish != nil {
			if err := e.finish(); err != nil {
				b.abortLocked()
				return nil, fmt.Errorf("write %s: %w", e.path, err)
			}
			e.done, e.finish, e.abort = true, nil, nil
		}
	}
	// Check every file before moving any: its folder, inputs registered
	// since it was staged, a folder in its place.
	dirs := map[string]bool{}
	for _, e := range b.files {
		if e.st == nil {
			continue
		}
		if !e.done {
			b.abortLocked()
			return nil, fmt.Errorf("output: %s: still being written", e.path)
		}
		if err := b.checkTarget(e.path, e.abs); err != nil {
			b.abortLocked()
			return nil, err
		}
		d := filepath.Dir(e.path)
		if !dirs[d] {
			dirs[d] = true
			if err := b.mkdirs(d); err != nil {
				b.abortLocked()
				return nil, err
			}
		}
	}
	var moved []string
	for _, e := range b.files {
		if e.st != nil {
			if err := os.Rename(e.tmp, e.path); err != nil {
				b.abortLocked()
				b.wrote = moved
				return moved, err
			}
		}
		moved = append(moved, e.path)
	}
	b.wrote = moved
	for _, s := range b.stages {
		os.RemoveAll(s.dir)
	}
	b.alive.stop()
	b.state = bundleCommitted
	b.sweep()
	// Make the renames durable: sync each folder a file moved into, and
	// the parent of each folder made.
	for _, d := range b.created {
		dirs[filepath.Dir(d)] = true
	}
	for _, s := range b.stages {
		dirs[s.root] = true
	}
	for d := range dirs {
		if err := syncDir(d); err != nil {
			return moved, fmt.Errorf("output: sync %s: %w", d, err)
		}
	}
	return moved, nil
}

// Abort discards everything staged, and the folders made only for it. It
// does nothing after Commit or a first Abort.
func (b *Bundle) Abort() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == bundleOpen {
		b.abortLocked()
	}
}

func (b *Bundle) abortLocked() {
	for _, e := range b.files {
		if e.abort != nil {
			e.abort()
			e.abort, e.finish = nil, nil
		}
	}
	for _, s := range b.stages {
		os.RemoveAll(s.dir)
	}
	for i := len(b.created) - 1; i >= 0; i-- {
		os.Remove(b.created[i]) // only if empty
	}
	b.alive.stop()
	b.state = bundleAborted
}

// dir is the bundle's folder.
func (b *Bundle) dir() string {
	if b.Dir == "" {
		return "."
	}
	return b.Dir
}

// reserveName checks NAME and stages DIR/NAME.
func (b *Bundle) reserveName(name string) (*staged, *os.File, error) {
	if err := CheckFileName(name); err != nil {
		return nil, nil, err
	}
	return b.reserve(filepath.Join(b.dir(), name))
}

// reserveRel stages DIR/REL, where rel is slash-separated and each of its
// elements a file name.
func (b *Bundle) reserveRel(rel string) (*staged, *os.File, error) {
	for _, el := range strings.Split(rel, "/") {
		if err := CheckFileName(el); err != nil {
			return nil, nil, err
		}
	}
	return b.reserve(filepath.Join(b.dir(), filepath.FromSlash(rel)))
}

// reserve checks path, creates its staged file and lists it.
func (b *Bundle) reserve(path string) (*staged, *os.File, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state != bundleOpen {
		return nil, nil, ErrClosed
	}
	abs := absPath(path)
	if e := b.targets[abs]; e != nil {
		if e.path != path {
			return nil, nil, fmt.Errorf("%w: %s is %s, already one of this command's files", ErrOverwrite, path, e.path)
		}
		return nil, nil, fmt.Errorf("%w: %s is already one of this command's files", ErrOverwrite, path)
	}
	if err := b.checkTarget(path, abs); err != nil {
		return nil, nil, err
	}
	// Files under Dir are staged in Dir's staging folder, sub-folders
	// included; any other file in a staging folder of its own folder.
	root := b.dir()
	rel, err := filepath.Rel(absPath(root), abs)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		root, rel = filepath.Dir(path), filepath.Base(path)
	}
	s, err := b.stage(root)
	if err != nil {
		return nil, nil, err
	}
	tmp := filepath.Join(s.dir, rel)
	if err := os.MkdirAll(filepath.Dir(tmp), 0o755); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		// Another of the bundle's names is the same file here: the file
		// system ignores case, say.
		return nil, nil, fmt.Errorf("%w: %s is the same file as another of this command's", ErrOverwrite, path)
	}
	if err != nil {
		return nil, nil, err
	}
	e := &staged{path: path, abs: abs, st: s, tmp: tmp}
	b.files = append(b.files, e)
	if b.targets == nil {
		b.targets = map[string]*staged{}
	}
	b.targets[abs] = e
	return e, f, nil
}

// checkTarget refuses to write path over an input or a folder.
func (b *Bundle) checkTarget(path, abs string) error {
	fi, statErr := os.Stat(path)
	for _, in := range b.inputs {
		if in.abs == abs || (statErr == nil && in.fi != nil && os.SameFile(in.fi, fi)) {
			return fmt.Errorf("%w: %s is the input %s", ErrOverwrite, path, in.path)
		}
	}
	if statErr == nil && fi.IsDir() {
		return fmt.Errorf("%w: %s is a folder", ErrOverwrite, path)
	}
	return nil
}

// stage returns the staging folder in root, making it (and root) if
// needed.
func (b *Bundle) stage(root string) (*stage, error) {
	key := absPath(root)
	if s := b.stages[key]; s != nil {
		return s, nil
	}
	if err := b.mkdirs(root); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(root, stagePrefix+"*")
	if err != nil {
		return nil, err
	}
	s := &stage{root: root, dir: dir}
	if b.stages == nil {
		b.stages = map[string]*stage{}
	}
	b.stages[key] = s
	if b.alive == nil {
		b.alive = newKeeper()
		runtime.AddCleanup(b, func(k *keeper) { k.stop() }, b.alive)
	}
	b.alive.add(dir)
	return s, nil
}

// mkdirs makes dir and its missing parents, noting those it made.
func (b *Bundle) mkdirs(dir string) error {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := len(missing) - 1; i >= 0; i-- {
		b.created = append(b.created, missing[i])
	}
	return nil
}

// write writes e's staged file f with write.
func (b *Bundle) write(e *staged, f *os.File, write func(io.Writer) error) error {
	if err := writeSync(f, write); err != nil {
		b.drop(e, nil)
		return fmt.Errorf("write %s: %w", e.path, err)
	}
	b.mu.Lock()
	e.done = true
	b.mu.Unlock()
	return nil
}

// drop discards a staged file, closing f if not nil.
func (b *Bundle) drop(e *staged, f *os.File) {
	if f != nil {
		f.Close()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	os.Remove(e.tmp)
	for i, x := range b.files {
		if x == e {
			b.files = append(b.files[:i:i], b.files[i+1:]...)
			break
		}
	}
	if b.targets[e.abs] == e {
		delete(b.targets, e.abs)
	}
}

// open stages path for a writer that finishes later, such as records:
// finish completes the file and abort discards it.
func (b *Bundle) open(path string, finish func() error, abort func()) (*staged, *os.File, error) {
	if err := CheckFileName(filepath.Base(path)); err != nil {
		return nil, nil, err
	}
	e, f, err := b.reserve(path)
	if err != nil {
		return nil, nil, err
	}
	b.mu.Lock()
	e.finish, e.abort = finish, abort
	b.mu.Unlock()
	return e, f, nil
}

// finish completes e, a file of open, now rather than on Commit.
func (b *Bundle) finish(e *staged) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state != bundleOpen {
		return ErrClosed
	}
	if e.done || e.finish == nil {
		return nil
	}
	err := e.finish()
	e.finish = nil
	if err != nil {
		return fmt.Errorf("write %s: %w", e.path, err)
	}
	e.done, e.abort = true, nil
	return nil
}

// discard drops e, a file of open.
func (b *Bundle) discard(e *staged) {
	b.mu.Lock()
	if b.state != bundleOpen {
		b.mu.Unlock()
		return
	}
	if e.abort != nil {
		e.abort()
		e.abort, e.finish = nil, nil
	}
	b.mu.Unlock()
	b.drop(e, nil)
}

// sweep removes what crashed runs left where the bundle wrote: staging
// folders, and temporary files of WriteFile for the bundle's names, not
// touched for StaleAfter. Errors are ignored: the leftovers stay hidden.
func (b *Bundle) sweep() {
	old := time.Now().Add(-StaleAfter)
	seen := map[string]bool{}
	for _, s := range b.stages {
		if seen[s.root] {
			continue
		}
		seen[s.root] = true
		ents, _ := os.ReadDir(s.root)
		for _, d := range ents {
			p := filepath.Join(s.root, d.Name())
			if d.IsDir() && strings.HasPrefix(d.Name(), stagePrefix) && untouchedSince(p, old) {
				os.RemoveAll(p)
			}
		}
	}
	byDir := map[string][]string{} // folder -> the bundle's names in it
	for _, e := range b.files {
		if e.st != nil {
			byDir[filepath.Dir(e.path)] = append(byDir[filepath.Dir(e.path)], filepath.Base(e.path))
		}
	}
	for dir, names := range byDir {
		ents, _ := os.ReadDir(dir)
		for _, d := range ents {
			if !d.Type().IsRegular() {
				continue
			}
			for _, n := range names {
				if isTempOf(d.Name(), n) {
					if p := filepath.Join(dir, d.Name()); untouchedSince(p, old) {
						os.Remove(p)
					}
					break
				}
			}
		}
	}
}

// isTempOf reports whether file is a temporary file of WriteFile for
// name: .NAME.tmp-DIGITS.
func isTempOf(file, name string) bool {
	rest, ok := strings.CutPrefix(file, "."+name+".tmp-")
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// untouchedSince reports whether nothing in the tree at p was modified
// after t.
func untouchedSince(p string, t time.Time) bool {
	fresh := false
	filepath.WalkDir(p, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			fresh = true // unsure: keep it
			return filepath.SkipAll
		}
		fi, err := d.Info()
		if err != nil || fi.ModTime().After(t) {
			fresh = true
			return filepath.SkipAll
		}
		return nil
	})
	return !fresh
}

// absPath is p cleaned and absolute, as far as the working directory can
// be known.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// keeper touches staging folders every heartbeat while a bundle is open,
// so that other processes do not take them for leftovers.
type keeper struct {
	mu   sync.Mutex
	dirs []string
	quit chan struct{}
	once sync.Once
}

func newKeeper() *keeper {
	k := &keeper{quit: make(chan struct{})}
	every := heartbeat
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-k.quit:
				return
			case now := <-t.C:
				k.mu.Lock()
				for _, d := range k.dirs {
					os.Chtimes(d, now, now)
				}
				k.mu.Unlock()
			}
		}
	}()
	return k
}

func (k *keeper) add(dir string) {
	k.mu.Lock()
	k.dirs = append(k.dirs, dir)
	k.mu.Unlock()
}

// stop ends the heartbeat; it may be called on a nil keeper and more than
// once.
func (k *keeper) stop() {
	if k != nil {
		k.once.Do(func() { close(k.quit) })
	}
}
