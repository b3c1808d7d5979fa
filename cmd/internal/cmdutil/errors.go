package cmdutil

import (
	"context"
	"errors"
	"fmt"

	"github.com/chipsim/chipsim/output"
)

// Exit statuses.
const (
	ExitOK          = 0   // success
	ExitFail        = 1   // a run failed although its input was good
	ExitUsage       = 2   // bad usage or bad input
	ExitInterrupted = 130 // 128 + SIGINT, as shells report it
)

// UsageError marks bad usage or bad input: exit status 2.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }

func (e UsageError) Unwrap() error { return e.Err }

// Usagef returns a UsageError with a formatted message.
func Usagef(format string, a ...any) error { return UsageError{Err: fmt.Errorf(format, a...)} }

// ErrInterrupted reports a command stopped by a signal, its outputs not
// written.
var ErrInterrupted = errors.New("interrupted: no results written")

// Interrupted turns a run that ctx cancelled into ErrInterrupted.
func Interrupted(ctx context.Context, err error) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return ErrInterrupted
	}
	return err
}

// OutputError makes a refused output path bad usage (exit 2).
func OutputError(err error) error {
	if errors.Is(err, output.ErrBadName) || errors.Is(err, output.ErrOverwrite) || errors.Is(err, output.ErrRecordsExt) {
		return UsageError{Err: err}
	}
	return err
}
