package outcome

import (
	"strings"
	"unicode/utf8"
)

// suggest returns " (did you mean X?)" for the candidates closest to s (by
// edit distance, ignoring case) if they are close enough and at most three,
// else " (otherwise)", or "" when otherwise is empty.
func suggest(s string, cands []string, otherwise string) string {
	var best []string
	bestD := -1
	ls := strings.ToLower(s)
	for _, c := range cands {
		d := levenshtein(ls, strings.ToLower(c))
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

// levenshtein returns the edit distance between a and b in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
