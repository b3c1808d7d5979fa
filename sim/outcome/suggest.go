package outcome

import (
	"strings"
	"unicode/utf8"

	"github.com/chipsim/chipsim/sim/suggest"
)

// didYouMean returns " (did you mean X?)" for the candidates closest to s (by
// edit distance, ignoring case) if they are close enough and at most three,
// else " (otherwise)", or "" when otherwise is empty.
func didYouMean(s string, cands []string, otherwise string) string {
	var best []string
	bestD := -1
	ls := strings.ToLower(s)
	for _, c := range cands {
		d := suggest.Distance(ls, strings.ToLower(c))
		if d >= utf8.RuneCountInString(c) { // nothing in common
			continue
		}
		switch {
		case bestD < 0 || d < bestD:
			best, bestD = []string{c}, d
		case d == bestD:
			best = append(best, c)
		}
	}
	if limit := max(2, utf8.RuneCountInString(s)/3); bestD >= 0 && bestD <= limit && len(best) <= 3 {
		alts := best[0]
		if n := len(best); n > 1 {
			alts = strings.Join(best[:n-1], ", ") + " or " + best[n-1]
		}
		return " (did you mean " + alts + "?)"
	}
	if otherwise == "" {
		return ""
	}
	return " (" + otherwise + ")"
}
