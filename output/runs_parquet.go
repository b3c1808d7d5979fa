package output

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// ReadRunsParquet reads a Parquet table of runs, as Records writes it
// (chipsim mc --outcomes FILE.parquet): the names of its columns, in the
// file's order, and a row per run, in the file's order, of their values.
// Integer and floating-point columns are read as float64, a null as NaN;
// a column of any other type, or a repeated one, is an error naming it.
func ReadRunsParquet(r io.ReaderAt, size int64) (names []string, rows [][]float64, err error) {
	f, err := parquet.OpenFile(r, size)
	if err != nil {
		return nil, nil, err
	}
	schema := f.Schema()
	for _, path := range schema.Columns() {
		name := strings.Join(path, ".")
		leaf, _ := schema.Lookup(path...)
		switch k := leaf.Node.Type().Kind(); {
		case leaf.MaxRepetitionLevel > 0:
			return nil, nil, fmt.Errorf("column %s: repeated values; want one number a run", name)
		case k != parquet.Int32 && k != parquet.Int64 && k != parquet.Float && k != parquet.Double:
			return nil, nil, fmt.Errorf("column %s: %s values; want numbers", name, k)
		}
		names = append(names, name)
	}
	buf := make([]parquet.Row, 1024)
	for _, rg := range f.RowGroups() {
		rr := rg.Rows()
		for {
			n, err := rr.ReadRows(buf)
			for _, row := range buf[:n] {
				vals := make([]float64, len(names))
				row.Range(func(i int, vs []parquet.Value) bool {
					if i < len(vals) && len(vs) > 0 {
						vals[i] = number(vs[0])
					}
					return true
				})
				rows = append(rows, vals)
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rr.Close()
				return nil, nil, err
			}
		}
		if err := rr.Close(); err != nil {
			return nil, nil, err
		}
	}
	return names, rows, nil
}

// number is a numeric Parquet value as float64: NaN for a null.
func number(v parquet.Value) float64 {
	switch {
	case v.IsNull():
		return math.NaN()
	case v.Kind() == parquet.Int32:
		return float64(v.Int32())
	case v.Kind() == parquet.Int64:
		return float64(v.Int64())
	case v.Kind() == parquet.Float:
		return float64(v.Float())
	}
	return v.Double()
}
