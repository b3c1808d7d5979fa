package output_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/chipsim/chipsim/output"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "x.csv")
	if err := output.WriteFile(p, func(w io.Writer) error { _, err := io.WriteString(w, "old\n"); return err }); err != nil {
		t.Fatal(err)
	}
	// A writer that fails half-way must leave the old file whole and no
	// temporary file behind.
	boom := errors.New("boom")
	err := output.WriteFile(p, func(w io.Writer) error {
		io.WriteString(w, "new partial")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WriteFile error = %v, want %v", err, boom)
	}
	got, _ := os.ReadFile(p)
	if string(got) != "old\n" {
		t.Errorf("after a failed write the file holds %q, want the old content", got)
	}
	ents, _ := os.ReadDir(filepath.Dir(p))
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v, want only x.csv", names)
	}
}
