//go:build unix

package scenarios

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestLoadTooLargeFromPipe checks that a file with no size to look at (a
// pipe) is read only up to the limit.
func TestLoadTooLargeFromPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		for i := 0; i < 2*MaxFileSize/len(bigText(1<<16)); i++ {
			if _, err := f.Write(bigText(1 << 16)); err != nil {
				return // the reader stopped at the limit
			}
		}
	}()
	_, err := Load(fifo)
	want := fifo + " holds more than the 4 MiB a scenario file may have"
	if err == nil || err.Error() != want {
		t.Errorf("Load(fifo) error = %v, want %v", err, want)
	}
}

// parseWithin runs Parse, failing the test rather than hanging when Parse
// blocks (as reading a pipe with no writer does).
func parseWithin(t *testing.T, in string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := Parse("t.yaml", []byte(in))
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		t.Fatalf("Parse(%q) did not return", in)
		return nil
	}
}

// TestExtendsNotRegular checks that extends refuses anything but a regular
// file before reading it: a device such as /dev/zero is read without end,
// a pipe such as /dev/stdin blocks.
func TestExtendsNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	tests := []struct{ target, want string }{
		{fifo, fifo + " is a named pipe, not a scenario file: an extended file must be a regular file"},
		{dir, dir + " is a folder, not a scenario file"},
	}
	for _, dev := range []string{"/dev/null", "/dev/zero"} {
		if st, err := os.Stat(dev); err == nil && st.Mode()&os.ModeDevice != 0 {
			tests = append(tests, struct{ target, want string }{dev, dev + " is a device, not a scenario file: an extended file must be a regular file"})
		}
	}
	for _, tt := range tests {
		in := "name: x\nextends: " + tt.target + "\n"
		err := parseWithin(t, in)
		want := "t.yaml:2:10: extends: " + tt.want
		if err == nil || err.Error() != want {
			t.Errorf("Parse(%q) error = %v, want %v", in, err, want)
		}
	}
}
