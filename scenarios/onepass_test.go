package scenarios

import (
	"strings"
	"testing"
)

// TestParseOnePass checks that independent problems of a file come out of
// one run: a misspelt key does not hide the bad values beside it, in a
// block, a distribution, an event or a shortcut.
func TestParseOnePass(t *testing.T) {
	in := `extends: baseline
demand:
  growht: 0.3
  growth: {dist: uniform, min: 0, max: 500, mode: 1}
events:
  - at: 2026Q1
    nmae: export ban
    set: {packaging.yield: 1.5}
  - at: 2027Q1
    ramp: -1
    scale: {grey.cloud_h100e: fast}
  - at: 2027Q1
    equipment_control: {process: smic_n2, capacity_scale: fast, ramp_up: 2}
  - at: 2028Q1
    export_status: {product: H300, stauts: banned, fee_share: 2}
`
	want := []string{
		"t.yaml:3:3: demand: unknown key growht (did you mean growth?)",
		"t.yaml:4:11: demand.growth: Uniform(0, 500) reaches [0, 500], outside the valid range [-1, 100] (1/year); truncate it with lo and hi",
		"t.yaml:4:45: demand.growth: uniform distribution takes no key mode; it takes min, max",
		"t.yaml:7:5: event: unknown key nmae (did you mean name?); want at, end, ramp, name, source or an action: set, scale, add, export_status, import_stance, equipment_control, subsidy, hbm_control, entity_listing",
		"t.yaml:8:28: packaging.yield: 1.5 is above the maximum 1 (share 0..1)",
		"t.yaml:10:11: event ramp: want a whole number of periods ≥ 0, got the number -1",
		"t.yaml:11:31: event scale grey.cloud_h100e: want a number, got the text \"fast\"",
		"t.yaml:13:59: event scale foundry.smic_n2.capacity_wpm: want a number, got the text \"fast\"",
		"t.yaml:13:65: equipment_control: unknown key ramp_up; want process, capacity_scale, learning_rate",
		"t.yaml:15:30: export_status: no foreign product \"H300\" (did you mean H800 or H200 or B300?)",
		"t.yaml:15:36: export_status: unknown key stauts (did you mean status?); want product, status, fee_share, cap_share",
	}
	_, err := Parse("t.yaml", []byte(in))
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("Parse(%q) error =\n%v\nwant\n%s", in, err, strings.Join(want, "\n"))
	}
}

// TestParseOnePassNoEcho checks that a misspelt key that may be the one
// missing is not reported twice: once as unknown, then as missing.
func TestParseOnePassNoEcho(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"misspelt at", "extends: baseline\nevents:\n  - att: 2026Q1\n    set: {demand.growth: 0.1}\n",
			"t.yaml:3:5: event: unknown key att (did you mean at?); want at, end, ramp, name, source or an action: set, scale, add, export_status, import_stance, equipment_control, subsidy, hbm_control, entity_listing"},
		{"misspelt action", "extends: baseline\nevents:\n  - at: 2026Q1\n    sett: {demand.growth: 0.1}\n",
			"t.yaml:4:5: event: unknown key sett (did you mean set?); want at, end, ramp, name, source or an action: set, scale, add, export_status, import_stance, equipment_control, subsidy, hbm_control, entity_listing"},
		{"misspelt shortcut target", "extends: baseline\nevents:\n  - at: 2026Q1\n    subsidy: {proces: smic_n2, capacity_scale: 2}\n",
			"t.yaml:4:15: subsidy: unknown key proces (did you mean process?); want process, capacity_scale, ai_share"},
		{"misspelt distribution key", "extends: baseline\ndemand:\n  growth: {dist: triangular, min: 0, mdoe: 0.1, max: 0.2}\n",
			"t.yaml:3:38: demand.growth: triangular distribution takes no key mdoe (did you mean mode?); it takes min, mode, max"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse(%q) error = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}
