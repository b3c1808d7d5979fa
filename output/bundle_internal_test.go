package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBundleHeartbeat: an open bundle keeps its staging folder fresh, so
// that another bundle committing into the same folder does not take it for
// a crash's leftover, however long the first runs.
func TestBundleHeartbeat(t *testing.T) {
	defer func(d time.Duration) { heartbeat = d }(heartbeat)
	heartbeat = 10 * time.Millisecond

	dir := t.TempDir()
	long := &Bundle{Dir: dir}
	defer long.Abort()
	if err := long.Data("long.csv", []byte("long\n")); err != nil {
		t.Fatal(err)
	}
	var stage string
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), stagePrefix) {
			stage = filepath.Join(dir, e.Name())
		}
	}
	if stage == "" {
		t.Fatalf("no staging folder in %v", ents)
	}
	// As if the bundle had been open for hours.
	old := time.Now().Add(-2 * StaleAfter)
	for _, p := range []string{filepath.Join(stage, "long.csv"), stage} {
		os.Chtimes(p, old, old)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		fi, err := os.Stat(stage)
		if err != nil {
			t.Fatal(err)
		}
		if fi.ModTime().After(old.Add(StaleAfter)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the staging folder's time stayed %v", fi.ModTime())
		}
		time.Sleep(5 * time.Millisecond)
	}
	short := &Bundle{Dir: dir}
	if err := short.Data("short.csv", []byte("short\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := short.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := long.Commit(); err != nil {
		t.Fatalf("the long bundle's Commit after another's: %v", err)
	}
	for _, n := range []string{"long.csv", "short.csv"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Error(err)
		}
	}
}
