package study

import (
	"fmt"
	"sync"
)

// failure keeps the failure of the lowest-numbered run among workers, so
// that a failed study reports the same run for any number of workers.
type failure struct {
	mu  sync.Mutex
	run int
	err error
}

// set records run's error unless a lower run failed already.
func (f *failure) set(run int, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil || run < f.run {
		f.run, f.err = run, err
	}
}

// get returns the recorded failure, or nil.
func (f *failure) get() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil {
		return nil
	}
	return fmt.Errorf("study: run %d: %w", f.run, f.err)
}
