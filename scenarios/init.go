package scenarios

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"text/template"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// initText is the template of a new scenario. Its name does not end in
// .yaml, so Shipped does not list it.
//
//go:embed init.yaml.tmpl
var initText string

var initTmpl = template.Must(template.New("init.yaml.tmpl").Option("missingkey=error").Parse(initText))

// MaxNameLen is the longest name InitTemplate accepts.
const MaxNameLen = 64

// ErrInvalidName is returned, wrapped, by InitTemplate for a name that is
// not a plain file name.
var ErrInvalidName = errors.New("invalid scenario name")

var initNameRe = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_-]*$`)

// InitTemplate returns the text of a new scenario file named name: it
// extends the baseline and shows, each with a comment on how it works, a
// changed parameter with its unit and source, every kind of policy event,
// uncertain inputs (a parameter, and an event's value, start and duration)
// and a correlation between two of them. It loads without errors or
// warnings and runs, and its changes move the baseline's results, so a
// user can run it at once and then edit it.
//
// name must be a plain file name: 1 to 64 ASCII letters, digits, '-' or
// '_', not starting with '-'. Anything else returns an error wrapping
// ErrInvalidName.
func InitTemplate(name string) ([]byte, error) {
	if err := checkInitName(name); err != nil {
		return nil, err
	}
	// Quote the name where YAML would read it as something other than
	// text, such as null, true or 1e3.
	yn, err := yaml.Marshal(name)
	if err != nil {
		return nil, fmt.Errorf("init %s: %w", name, err)
	}
	var b bytes.Buffer
	data := struct{ Name, YAMLName string }{name, strings.TrimSuffix(string(yn), "\n")}
	if err := initTmpl.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("init %s: %w", name, err)
	}
	return b.Bytes(), nil
}

func checkInitName(name string) error {
	const want = "want 1 to 64 ASCII letters, digits, - or _, not starting with - (such as my-scenario)"
	switch {
	case name == "":
		return fmt.Errorf("%w: empty; %s", ErrInvalidName, want)
	case utf8.RuneCountInString(name) > MaxNameLen:
		return fmt.Errorf("%w %q: %d characters long; %s", ErrInvalidName, name, utf8.RuneCountInString(name), want)
	case strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"):
		return fmt.Errorf("%w %q: give the name without .yaml (the file is NAME.yaml); %s", ErrInvalidName, name, want)
	case !initNameRe.MatchString(name):
		return fmt.Errorf("%w %q: %s", ErrInvalidName, name, want)
	}
	return nil
}
