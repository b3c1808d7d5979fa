package output

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// Records streams a table of numbers, a row per run in run order, to a
// staged file that appears at its name only when committed: CSV when the
// name ends in .csv, Parquet when it ends in .parquet. Abort removes the
// staged file.
type Records interface {
	// Row writes run's values: the row is run, then each slice's values in
	// order.
	Row(run int, vals ...[]float64) error
	// Commit finishes the file and moves it into place; for records of a
	// Bundle it only finishes the file, which the bundle's Commit moves.
	Commit() error
	Abort()
}

// ErrRecordsExt is returned for a records file whose name ends neither in
// .csv nor in .parquet: chipsim would not know which to write.
var ErrRecordsExt = errors.New("output: a records file's name must end in .csv or .parquet")

// NewRecords starts a records file at path with columns "run" and names.
// The name must end in .csv or .parquet (in any case); any other ending,
// or none, is an error wrapping ErrRecordsExt rather than a guess.
func NewRecords(path string, names []string) (Records, error) {
	b := &Bundle{}
	r, err := b.Records(path, names)
	if err != nil {
		b.Abort()
		return nil, err
	}
	r.(*stagedRecords).own = true
	return r, nil
}

// Records starts a records file at path (see NewRecords), staged with the
// bundle's other files: it appears at path on the bundle's Commit, which
// finishes it if its own Commit was not called. Unlike the names of File,
// path is a path, relative to the working directory, as a user gives it;
// it may lie outside Dir.
func (b *Bundle) Records(path string, names []string) (Records, error) {
	var newWriter func(io.Writer, []string) (recordWriter, error)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		newWriter = newCSVRecords
	case ".parquet":
		newWriter = newParquetRecords
	default:
		return nil, fmt.Errorf("%w: %s", ErrRecordsExt, path)
	}
	r := &stagedRecords{b: b}
	e, f, err := b.open(path, func() error { return r.close() }, func() { r.f.Close() })
	if err != nil {
		return nil, err
	}
	r.e, r.f = e, f
	if r.w, err = newWriter(f, names); err != nil {
		b.discard(e)
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return r, nil
}

// recordWriter writes records in a format.
type recordWriter interface {
	Row(run int, vals ...[]float64) error
	Close() error // writes what is buffered; does not close the file
}

// stagedRecords is a records file staged in a bundle.
type stagedRecords struct {
	b   *Bundle
	e   *staged
	f   *os.File
	w   recordWriter
	own bool // the bundle is the records' own: Commit commits it
	// committed: Commit succeeded, so Abort does nothing.
	committed bool
}

func (r *stagedRecords) Row(run int, vals ...[]float64) error { return r.w.Row(run, vals...) }

// close finishes the file: called once, by the bundle.
func (r *stagedRecords) close() error {
	err := r.w.Close()
	if err == nil {
		err = r.f.Chmod(0o644)
	}
	if err == nil {
		err = r.f.Sync()
	}
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (r *stagedRecords) Commit() error {
	if r.committed {
		return nil
	}
	if err := r.b.finish(r.e); err != nil {
		return err
	}
	if r.own {
		if _, err := r.b.Commit(); err != nil {
			return err
		}
	}
	r.committed = true
	return nil
}

func (r *stagedRecords) Abort() {
	if r.committed {
		return
	}
	if r.own {
		r.b.Abort()
		return
	}
	r.b.discard(r.e)
}

// csvRecords streams records as CSV.
type csvRecords struct {
	w   *csv.Writer
	buf []string
}

func newCSVRecords(w io.Writer, names []string) (recordWriter, error) {
	d := &csvRecords{w: csv.NewWriter(w)}
	head := make([]string, 0, len(names)+1)
	head = append(head, "run")
	for _, n := range names {
		head = append(head, SafeCell(n))
	}
	d.buf = make([]string, len(head))
	return d, d.w.Write(head)
}

func (d *csvRecords) Row(run int, vals ...[]float64) error {
	d.buf[0] = strconv.Itoa(run)
	i := 1
	for _, vs := range vals {
		for _, v := range vs {
			d.buf[i] = strconv.FormatFloat(v, 'g', -1, 64)
			i++
		}
	}
	return d.w.Write(d.buf)
}

func (d *csvRecords) Close() error {
	d.w.Flush()
	return d.w.Error()
}

// parquetRecords streams records to a Parquet file: a column run (INT64)
// and a DOUBLE column per name, named as in the CSV.
type parquetRecords struct {
	w    *parquet.Writer
	cols []int // column index of run, then of each input
	rows []parquet.Row
}

func newParquetRecords(w io.Writer, names []string) (recordWriter, error) {
	g := parquet.Group{"run": parquet.Int(64)}
	for _, n := range names {
		g[n] = parquet.Leaf(parquet.DoubleType)
	}
	schema := parquet.NewSchema("draws", g)
	p := &parquetRecords{}
	col, _ := schema.Lookup("run")
	p.cols = append(p.cols, col.ColumnIndex)
	for _, n := range names {
		col, _ := schema.Lookup(n)
		p.cols = append(p.cols, col.ColumnIndex)
	}
	p.w = parquet.NewWriter(w, schema)
	return p, nil
}

func (p *parquetRecords) Row(run int, vals ...[]float64) error {
	r := make(parquet.Row, len(p.cols))
	r[p.cols[0]] = parquet.Int64Value(int64(run)).Level(0, 0, p.cols[0])
	i := 1
	for _, vs := range vals {
		for _, v := range vs {
			c := p.cols[i]
			r[c] = parquet.DoubleValue(v).Level(0, 0, c)
			i++
		}
	}
	p.rows = append(p.rows, r)
	if len(p.rows) == 4096 {
		return p.flush()
	}
	return nil
}

func (p *parquetRecords) flush() error {
	_, err := p.w.WriteRows(p.rows)
	p.rows = p.rows[:0]
	return err
}

func (p *parquetRecords) Close() error {
	if err := p.flush(); err != nil {
		return err
	}
	return p.w.Close()
}

// RunRecords records a Monte Carlo run by run: every run's inputs and
// chosen outcomes to one file, and/or its inputs alone to another. The
// files appear together, only on Commit (of the bundle, for RunRecords of
// a Bundle).
type RunRecords struct {
	b         *Bundle
	own       bool // b is the records' own bundle
	committed bool
	files     []Records
	paths     []string
	both      Records // inputs and outcomes
	draws     Records // inputs
	nout      int
}

// NewRunRecords opens the files asked for: outcomesPath (columns run,
// inputs, outcomes) and drawsPath (run, inputs); "" skips one.
func NewRunRecords(outcomesPath, drawsPath string, inputs, outcomes []string) (*RunRecords, error) {
	r, err := (&Bundle{}).RunRecords(outcomesPath, drawsPath, inputs, outcomes)
	if err != nil {
		return nil, err
	}
	r.own = true
	return r, nil
}

// RunRecords opens run records (see NewRunRecords) staged with the
// bundle's other files: they appear on the bundle's Commit.
func (b *Bundle) RunRecords(outcomesPath, drawsPath string, inputs, outcomes []string) (*RunRecords, error) {
	r := &RunRecords{b: b, nout: len(outcomes)}
	var err error
	if outcomesPath != "" {
		if r.both, err = b.Records(outcomesPath, append(append([]string{}, inputs...), outcomes...)); err != nil {
			return nil, err
		}
		r.files, r.paths = append(r.files, r.both), append(r.paths, outcomesPath)
	}
	if drawsPath != "" {
		if r.draws, err = b.Records(drawsPath, inputs); err != nil {
			r.Abort()
			return nil, err
		}
		r.files, r.paths = append(r.files, r.draws), append(r.paths, drawsPath)
	}
	return r, nil
}

// Empty reports whether nothing is recorded.
func (r *RunRecords) Empty() bool { return len(r.files) == 0 }

// Record writes run's row to each file; outcomes beyond the first named
// ones are ignored.
func (r *RunRecords) Record(run int, inputs, outcomes []float64) error {
	if r.both != nil {
		if err := r.both.Row(run, inputs, outcomes[:r.nout]); err != nil {
			return err
		}
	}
	if r.draws != nil {
		return r.draws.Row(run, inputs)
	}
	return nil
}

// Commit finishes the files and, for records of NewRunRecords, moves them
// into place and returns their paths. For RunRecords of a Bundle it
// returns no paths: the bundle's Commit moves and lists them.
func (r *RunRecords) Commit() ([]string, error) {
	if r.committed {
		return nil, nil
	}
	for _, f := range r.files {
		if err := f.Commit(); err != nil {
			r.Abort()
			return nil, err
		}
	}
	var files []string
	if r.own && len(r.files) > 0 {
		var err error
		if files, err = r.b.Commit(); err != nil {
			return files, err
		}
	}
	r.committed = true
	return files, nil
}

// Abort removes what was written of files not committed; after Commit it
// does nothing.
func (r *RunRecords) Abort() {
	if r.committed {
		return
	}
	if r.own {
		r.b.Abort()
		return
	}
	for _, f := range r.files {
		f.Abort()
	}
}
