package cmdutil

import (
	"strings"

	"github.com/chipsim/chipsim/scenarios"
	"github.com/spf13/cobra"
)

// NoArgs refuses arguments as an unknown subcommand of c, suggesting the
// nearest.
func NoArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return Usagef("unknown command %q for %s%s\nRun '%s --help' for usage.", args[0], c.CommandPath(), SuggestCmd(c, args[0]), c.CommandPath())
	}
	return nil
}

// SuggestCmd returns " (did you mean NAME?)" naming the subcommands of c
// that s may have meant, or "".
func SuggestCmd(c *cobra.Command, s string) string {
	// Commands the word begins are the likeliest meaning; otherwise the
	// nearest by spelling.
	var prefix []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() && s != "" && strings.HasPrefix(sub.Name(), s) {
			prefix = append(prefix, sub.Name())
		}
	}
	if len(prefix) > 0 {
		return " (did you mean " + strings.Join(prefix, " or ") + "?)"
	}
	if sug := c.SuggestionsFor(s); len(sug) > 0 {
		return " (did you mean " + strings.Join(sug, " or ") + "?)"
	}
	return ""
}

// ArgsRange accepts from lo to hi arguments (hi < 0: no limit); what
// says what the command wants, for the error.
func ArgsRange(lo, hi int, what string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) < lo || (hi >= 0 && len(args) > hi) {
			return Usagef("%s: want %s, got %d argument(s)\nRun '%s --help' for usage.", c.CommandPath(), what, len(args), c.CommandPath())
		}
		return nil
	}
}

// CompleteScenarios offers shipped scenario names and YAML files.
func CompleteScenarios(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, s := range scenarios.Shipped() {
		if strings.HasPrefix(s.Name, toComplete) {
			out = append(out, s.Name+"\t"+s.Description)
		}
	}
	return out, cobra.ShellCompDirectiveDefault
}
