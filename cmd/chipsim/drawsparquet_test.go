package main

import (
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// Draws written as Parquet hold exactly the values of the CSV, in run order.
func TestDrawsParquetMatchesCSV(t *testing.T) {
	dir := t.TempDir()
	scn := filepath.Join(dir, "unc.yaml")
	os.WriteFile(scn, []byte("extends: baseline\nname: unc\nfoundry:\n  smic_n2:\n    learning_rate: {dist: pert, min: 0.65, mode: 0.75, max: 0.9}\npackaging:\n  yield: {dist: uniform, min: 0.8, max: 0.95}\n"), 0o644)
	pq, cs := filepath.Join(dir, "d.parquet"), filepath.Join(dir, "d.csv")
	for _, d := range []string{pq, cs} {
		if code := execCLI([]string{"mc", scn, "-n", "150", "--seed", "4", "-j", "2", "-q", "-o", dir, "--draws", d}, io.Discard, io.Discard); code != 0 {
			t.Fatalf("mc --draws %s: exit %d", d, code)
		}
	}
	fc, _ := os.Open(cs)
	defer fc.Close()
	recs, err := csv.NewReader(fc).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(pq)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	if got := pf.NumRows(); got != int64(len(recs)-1) {
		t.Fatalf("parquet has %d rows, want %d", got, len(recs)-1)
	}
	head := recs[0]
	cols := make([]int, len(head))
	for i, name := range head {
		c, ok := pf.Schema().Lookup(name)
		if !ok {
			t.Fatalf("parquet has no column %q", name)
		}
		cols[i] = c.ColumnIndex
	}
	r := parquet.NewReader(f)
	rows := make([]parquet.Row, len(recs)-1)
	n, err := r.ReadRows(rows)
	if err != nil && err != io.EOF {
		t.Fatal(err)
	}
	if n != len(rows) {
		t.Fatalf("read %d rows, want %d", n, len(rows))
	}
	for i, row := range rows {
		if got, want := row[cols[0]].Int64(), int64(i); got != want {
			t.Fatalf("row %d: run = %d, want %d", i, got, want)
		}
		for j := 1; j < len(head); j++ {
			want, _ := strconv.ParseFloat(recs[i+1][j], 64)
			if got := row[cols[j]].Double(); got != want {
				t.Fatalf("row %d, %s = %v, want %v as in the CSV", i, head[j], got, want)
			}
		}
	}
}
