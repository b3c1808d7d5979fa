package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/parquet-go/parquet-go"
)

// drawSink receives raw Monte Carlo draws in run order and makes them a
// file only when the run completes.
type drawSink interface {
	row(run int, vals []float64) error
	commit() error
	abort()
}

// newDrawSink writes draws as Parquet when the path ends in .parquet,
// otherwise as CSV.
func newDrawSink(path string, s *scenarios.Scenario) (drawSink, error) {
	if strings.HasSuffix(strings.ToLower(path), ".parquet") {
		return newParquetDraws(path, s)
	}
	return newDrawWriter(path, s)
}

// parquetDraws streams draws to a Parquet file: a column run (INT64) and
// a DOUBLE column per uncertain input, named as in the CSV.
type parquetDraws struct {
	path string
	f    *os.File
	w    *parquet.Writer
	cols []int // column index of run, then of each input
	rows []parquet.Row
}

func newParquetDraws(path string, s *scenarios.Scenario) (*parquetDraws, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	g := parquet.Group{"run": parquet.Int(64)}
	for _, q := range s.Quantities() {
		g[q.Name] = parquet.Leaf(parquet.DoubleType)
	}
	schema := parquet.NewSchema("draws", g)
	p := &parquetDraws{path: path}
	col, _ := schema.Lookup("run")
	p.cols = append(p.cols, col.ColumnIndex)
	for _, q := range s.Quantities() {
		col, _ := schema.Lookup(q.Name)
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

func (p *parquetDraws) row(run int, vals []float64) error {
	r := make(parquet.Row, len(p.cols))
	r[p.cols[0]] = parquet.Int64Value(int64(run)).Level(0, 0, p.cols[0])
	for i, v := range vals {
		c := p.cols[i+1]
		r[c] = parquet.DoubleValue(v).Level(0, 0, c)
	}
	p.rows = append(p.rows, r)
	if len(p.rows) == 4096 {
		return p.flush()
	}
	return nil
}

func (p *parquetDraws) flush() error {
	_, err := p.w.WriteRows(p.rows)
	p.rows = p.rows[:0]
	return err
}

func (p *parquetDraws) commit() error {
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

func (p *parquetDraws) abort() {
	if p.f != nil {
		p.f.Close()
		os.Remove(p.f.Name())
	}
}
