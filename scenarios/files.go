package scenarios

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Files expands folders and globs into scenario files (*.yaml, *.yml), in
// the order given, each folder's and glob's files sorted, each file once.
func Files(args []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(f string) {
		key := f
		if a, err := filepath.Abs(f); err == nil {
			key = a
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, f)
		}
	}
	isScenario := func(name string) bool {
		ext := strings.ToLower(filepath.Ext(name))
		return ext == ".yaml" || ext == ".yml"
	}
	for _, arg := range args {
		var found []string
		if st, err := os.Stat(arg); err == nil {
			if !st.IsDir() {
				add(arg)
				continue
			}
			ents, err := os.ReadDir(arg)
			if err != nil {
				return nil, fmt.Errorf("cannot read %s: %v", arg, errors.Unwrap(err))
			}
			for _, e := range ents {
				if !e.IsDir() && isScenario(e.Name()) {
					found = append(found, filepath.Join(arg, e.Name()))
				}
			}
			if len(found) == 0 {
				return nil, fmt.Errorf("%s: no scenario files (*.yaml) in this folder", arg)
			}
		} else if strings.ContainsAny(arg, "*?[") {
			matches, err := filepath.Glob(arg)
			if err != nil {
				return nil, fmt.Errorf("%s: bad pattern: %v", arg, err)
			}
			for _, m := range matches {
				if st, err := os.Stat(m); err == nil && !st.IsDir() {
					found = append(found, m)
				}
			}
			if len(found) == 0 {
				return nil, fmt.Errorf("%s: no file matches", arg)
			}
		} else {
			hint := ""
			if !IsPath(arg) {
				for _, n := range ShippedNames() {
					if n == arg {
						hint = fmt.Sprintf(" (batch runs files; the shipped scenario runs with chipsim run %s)", arg)
					}
				}
			}
			return nil, fmt.Errorf("%s: no such file or folder%s", arg, hint)
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return out, nil
}
