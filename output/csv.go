package output

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/chipsim/chipsim/sim"
)

// CSVHeader is the header of chipsim's tidy results CSV.
var CSVHeader = []string{"scenario", "period", "metric", "entity", "value", "unit"}

// WriteCSV writes r as tidy long CSV: one row per scenario, period, metric
// and entity, with the metric's unit. Values are written with the fewest
// digits that read back exactly; +Inf marks an unbounded limit.
func WriteCSV(w io.Writer, scenario string, r *sim.Result, header bool) error {
	cw := csv.NewWriter(w)
	if header {
		if err := cw.Write(CSVHeader); err != nil {
			return err
		}
	}
	m := r.Model()
	cal := m.Calendar()
	labels := make([]string, cal.N)
	for t := range labels {
		labels[t] = cal.Label(t)
	}
	row := make([]string, 6)
	buf := make([]byte, 0, 32)
	for t := 0; t < cal.N; t++ {
		for s, slot := range m.Slots() {
			buf = strconv.AppendFloat(buf[:0], r.At(s, t), 'g', -1, 64)
			row[0], row[1], row[2], row[3], row[4], row[5] = scenario, labels[t], slot.Metric.Name, slot.Entity, string(buf), slot.Metric.Unit
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
