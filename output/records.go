package output

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// Records streams a table of numbers, a row per run in run order, to a
// temporary file renamed into place only when Commit is called: CSV, or
// Parquet when the path ends in .parquet. Abort removes the temporary
// file.
type Records interface {
	// Row writes run's values: the row is run, then each slice's values in
	// order.
	Row(run int, vals ...[]float64) error
	Commit() error
	Abort()
}

// NewRecords starts a records file at path with columns "run" and names.
func NewRecords(path string, names []string) (Records, error) {
	if strings.HasSuffix(strings.ToLower(path), ".parquet") {
		return newParquetRecords(path, names)
	}
	return newCSVRecords(path, names)
}

// csvRecords streams records as CSV.
type csvRecords struct {
	path string
	f    *os.File
	w    *csv.Writer
	buf  []string
}

func newCSVRecords(path string, names []string) (*csvRecords, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	d := &csvRecords{path: path, f: f, w: csv.NewWriter(f)}
	head := append([]string{"run"}, names...)
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

func (d *csvRecords) Commit() error {
	d.w.Flush()
	if err := d.w.Error(); err != nil {
		return err
	}
	if err := d.f.Sync(); err != nil {
		return err
	}
	if err := d.f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(d.f.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(d.f.Name(), d.path); err != nil {
		return err
	}
	d.f = nil
	return nil
}

func (d *csvRecords) Abort() {
	if d.f != nil {
		d.f.Close()
		os.Remove(d.f.Name())
	}
}

// parquetRecords streams records to a Parquet file: a column run (INT64)
// and a DOUBLE column per name, named as in the CSV.
type parquetRecords struct {
	path string
	f    *os.File
	w    *parquet.Writer
	cols []int // column index of run, then of each input
	rows []parquet.Row
}

func newParquetRecords(path string, names []string) (*parquetRecords, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	g := parquet.Group{"run": parquet.Int(64)}
	for _, n := range names {
		g[n] = parquet.Leaf(parquet.DoubleType)
	}
	schema := parquet.NewSchema("draws", g)
	p := &parquetRecords{path: path}
	col, _ := schema.Lookup("run")
	p.cols = append(p.cols, col.ColumnIndex)
	for _, n := range names {
		col, _ := schema.Lookup(n)
		p.cols = append(p.cols, col.ColumnIndex)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	p.f = f
	p.w = parquet.NewWriter(f, schema)
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

func (p *parquetRecords) Commit() error {
	if err := p.flush(); err != nil {
		return err
	}
	if err := p.w.Close(); err != nil {
		return err
	}
	if err := p.f.Sync(); err != nil {
		return err
	}
	if err := p.f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(p.f.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(p.f.Name(), p.path); err != nil {
		return err
	}
	p.f = nil
	return nil
}

func (p *parquetRecords) Abort() {
	if p.f != nil {
		p.f.Close()
		os.Remove(p.f.Name())
	}
}

// RunRecords records a Monte Carlo run by run: every run's inputs and
// chosen outcomes to one file, and/or its inputs alone to another. The
// files appear only on Commit.
type RunRecords struct {
	files []Records
	paths []string
	both  Records // inputs and outcomes
	draws Records // inputs
	nout  int
}

// NewRunRecords opens the files asked for: outcomesPath (columns run,
// inputs, outcomes) and drawsPath (run, inputs); "" skips one.
func NewRunRecords(outcomesPath, drawsPath string, inputs, outcomes []string) (*RunRecords, error) {
	r := &RunRecords{nout: len(outcomes)}
	var err error
	if outcomesPath != "" {
		if r.both, err = NewRecords(outcomesPath, append(append([]string{}, inputs...), outcomes...)); err != nil {
			return nil, err
		}
		r.files, r.paths = append(r.files, r.both), append(r.paths, outcomesPath)
	}
	if drawsPath != "" {
		if r.draws, err = NewRecords(drawsPath, inputs); err != nil {
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

// Commit moves the files into place and returns their paths.
func (r *RunRecords) Commit() ([]string, error) {
	for i, f := range r.files {
		if err := f.Commit(); err != nil {
			return r.paths[:i], err
		}
	}
	r.files = nil
	return r.paths, nil
}

// Abort removes what was written of files not committed.
func (r *RunRecords) Abort() {
	for _, f := range r.files {
		f.Abort()
	}
}
