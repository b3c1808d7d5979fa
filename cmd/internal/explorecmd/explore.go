// Package explorecmd is chipsim explore: it writes the explorer, one
// offline HTML file in which the model runs live.
package explorecmd

import (
	"io"
	"path/filepath"
	"strings"

	"github.com/chipsim/chipsim/cmd/internal/cmdutil"
	"github.com/chipsim/chipsim/output"
	"github.com/chipsim/chipsim/output/explore"
	"github.com/chipsim/chipsim/output/explore/engine"
	"github.com/chipsim/chipsim/scenarios"
	"github.com/spf13/cobra"
)

// NewCmdExplore returns the explore command.
func NewCmdExplore(a *cmdutil.App) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "explore SCENARIO... [-o FILE.html]",
		Short: "Write an offline HTML page in which the model runs live: sliders, events, charts, Monte Carlo",
		Long: `Write one self-contained HTML file (under 4 MB) that opens from disk with no network and
runs the whole model in the browser (the engine compiled to WebAssembly). Pick one of
the scenarios given; move sliders for its uncertain inputs and for key parameters
(SMIC capacity and learning, domestic HBM, packaging, demand growth, the H200's status,
fee and cap, China's stance, enforcement: what-ifs from 2026Q1 on); turn policy events
off or move their start; read the self-sufficiency ratios with the events marked,
supply by source against demand, the limit that binds domestic output, and the yearly
headline table with its difference from the unmodified scenario; run a Monte Carlo of
the uncertain inputs in the background; download the run as chipsim's tidy CSV. The
page's address holds its settings, so a link reproduces a view. Its numbers are
chipsim run's for the same settings.

A scenario file may extend shipped scenarios, not other files: the page embeds its text.`,
		Example: `  chipsim explore baseline -o baseline.html
  chipsim explore baseline baseline-uncertain h200-blocked my-scenario.yaml -o meeting.html`,
		Args:              cmdutil.ArgsRange(1, -1, "at least one scenario"),
		ValidArgsFunction: cmdutil.CompleteScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			return run(a, args, out)
		},
	}
	c.Flags().StringVarP(&out, "out", "o", "explore.html", "the page to write: a `file` ending in .html")
	return c
}

func run(a *cmdutil.App, refs []string, out string) error {
	if !strings.HasSuffix(out, ".html") {
		return cmdutil.Usagef("-o %s: want a file name ending in .html", out)
	}
	var srcs []engine.Source
	for _, ref := range refs {
		if ref == "-" {
			return cmdutil.Usagef("explore embeds each scenario file's text: give a file, not standard input")
		}
	}
	loaded, err := a.LoadAll(refs)
	if err != nil {
		return err
	}
	for i, s := range loaded {
		ref := refs[i]
		if !scenarios.IsPath(ref) {
			srcs = append(srcs, engine.Source{Name: ref})
			continue
		}
		for _, parent := range s.Chain[1:] {
			if !strings.HasPrefix(parent, scenarios.ShippedDir+"/") {
				return cmdutil.Usagef("%s extends %s: the page embeds one file per scenario, so a scenario file given to explore may extend shipped scenarios only", ref, parent)
			}
		}
		data, err := scenarios.ReadFile(ref, "scenario")
		if err != nil {
			return cmdutil.UsageError{Err: err}
		}
		srcs = append(srcs, engine.Source{Name: filepath.Base(ref), YAML: string(data)})
	}
	b := &output.Bundle{Dir: filepath.Dir(out)}
	defer b.Abort()
	err = b.File(filepath.Base(out), func(w io.Writer) error {
		return explore.Write(w, srcs, explore.Options{Title: "chipsim explorer: " + strings.Join(names(loaded), ", "), Version: a.Version()})
	})
	return a.Done(b, err)
}

func names(ss []*scenarios.Scenario) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return out
}
