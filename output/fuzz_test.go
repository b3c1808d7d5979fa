package output_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/chipsim/chipsim/output"
)

// FuzzReadCSV checks that ReadCSV never panics, that what it refuses is a
// *CSVError at a line of the input, and that what it accepts is frames
// whose annual tables can be read (as charts and reports read them) and
// which read back the same when written out as the CSV they came from.
func FuzzReadCSV(f *testing.F) {
	// The first two quarters of the baseline's headline results: every
	// headline metric, a ratio among them.
	golden, err := os.Open("testdata/baseline_headline.csv")
	if err != nil {
		f.Fatal(err)
	}
	var head bytes.Buffer
	sc := bufio.NewScanner(golden)
	for i := 0; i < 21 && sc.Scan(); i++ {
		head.WriteString(sc.Text() + "\n")
	}
	golden.Close()
	f.Add(head.Bytes())
	const h = "scenario,period,metric,entity,value,unit\n"
	for _, s := range []string{
		// A ratio with its numerator and denominator, over a year and a bit.
		h + "a,2024Q4,ai.ssr_compute,all,0.5,ratio\na,2024Q4,ai.h100e_domestic,all,1,H100e\na,2024Q4,ai.delivered_h100e,all,2,H100e\n" +
			"a,2025Q1,ai.ssr_compute,all,0.25,ratio\na,2025Q1,ai.h100e_domestic,all,1,H100e\na,2025Q1,ai.delivered_h100e,all,4,H100e\n",
		// A metric that carries a backlog, by month; +Inf and an entity.
		h + "b,2025-01,ai.unmet_h100e,all,3,H100e\nb,2025-01,ai.backlog_h100e,all,+Inf,H100e\nb,2025-02,ai.unmet_h100e,all,1,H100e\nb,2025-02,ai.backlog_h100e,all,0,H100e\n",
		// Two scenarios by year, one quoted with a comma and a formula escape.
		h + "c,2025,ai.units_delivered,all,1e6,units\n\"'=d,e\",2025,ai.units_delivered,all,-0,units\n",
		// A value given twice, a missing value. (Periods out of order are
		// in testdata/fuzz/FuzzReadCSV.)
		h + "d,2025Q1,ai.units_delivered,all,1,units\nd,2025Q1,ai.units_delivered,all,2,units\n",
		h + "d,2025Q1,ai.units_delivered,all,1,units\nd,2025Q2,ai.units_domestic,all,1,units\n",
		h + "e,2025Q1,product.units,H200,1,units\ne,2025Q1,product.units,\"x\ny\",NaN,units\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		frames, err := output.ReadCSV("fuzz.csv", bytes.NewReader(data))
		if err != nil {
			var ce *output.CSVError
			if !errors.As(err, &ce) || ce.File != "fuzz.csv" || ce.Line < 1 || ce.Line > bytes.Count(data, []byte("\n"))+2 {
				t.Fatalf("ReadCSV(%q) error %v, want a *CSVError at a line of the input", data, err)
			}
			if frames != nil {
				t.Fatalf("ReadCSV(%q) = %d frames and an error", data, len(frames))
			}
			return
		}
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		w.Write(output.CSVHeader)
		for _, fr := range frames {
			fr.Years()
			for _, m := range fr.Metrics() {
				for _, e := range fr.Entities(m) {
					fr.Annual(m, e)
				}
			}
			for i, label := range fr.Labels {
				for _, m := range fr.Metrics() {
					for _, e := range fr.Entities(m) {
						s, _ := fr.Series(m, e)
						w.Write([]string{fr.Scenario, label, m, e, strconv.FormatFloat(s[i], 'g', -1, 64), fr.Unit(m)})
					}
				}
			}
		}
		w.Flush()
		again, err := output.ReadCSV("again.csv", &out)
		if err != nil {
			t.Fatalf("ReadCSV of the frames of %q written out: %v", data, err)
		}
		if len(again) != len(frames) {
			t.Fatalf("ReadCSV(%q) = %d frames, written out and read again %d", data, len(frames), len(again))
		}
		for k, fr := range frames {
			g := again[k]
			if g.Scenario != fr.Scenario || g.Step != fr.Step || !slices.Equal(g.Labels, fr.Labels) || !slices.Equal(g.Metrics(), fr.Metrics()) {
				t.Fatalf("ReadCSV(%q) frame %d: %q %v %q %q, read again %q %v %q %q", data, k,
					fr.Scenario, fr.Step, fr.Labels, fr.Metrics(), g.Scenario, g.Step, g.Labels, g.Metrics())
			}
			for _, m := range fr.Metrics() {
				for _, e := range fr.Entities(m) {
					a, _ := fr.Series(m, e)
					b, _ := g.Series(m, e)
					for i := range a {
						if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
							t.Fatalf("ReadCSV(%q) %s %s %s = %v, read again %v", data, fr.Scenario, m, e, a, b)
						}
					}
				}
			}
		}
	})
}
