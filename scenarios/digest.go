package scenarios

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Digest identifies the scenario's resolved inputs: every parameter's
// value in every period (with the splits of periods an event dated by day
// divides), every uncertain input's distribution and their correlations.
// Shards of one job carry it, so that a merge refuses shards of another
// scenario or of an edited file.
func (s *Scenario) Digest() string {
	h := sha256.New()
	for _, f := range s.Spec.Fields() {
		fmt.Fprintf(h, "%s=%s\n", f.Path, Summary(f, s.Spec.Calendar))
		if f.Num != nil {
			for _, v := range *f.Num {
				fmt.Fprintf(h, "%x,", v)
			}
		}
		if pt := f.Part; pt != nil && pt.Share != nil {
			for _, v := range pt.Share {
				fmt.Fprintf(h, "%x;", v)
			}
			if f.PartIndex < len(pt.Alt) {
				for _, v := range pt.Alt[f.PartIndex] {
					fmt.Fprintf(h, "%x;", v)
				}
			}
		}
	}
	for _, q := range s.Quantities() {
		fmt.Fprintf(h, "%s~%s\n", q.Name, q.Dist)
	}
	fmt.Fprintf(h, "corr=%x\n", s.Correlation())
	return hex.EncodeToString(h.Sum(nil))
}
