package uq

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// An encoding is canonical only if every varint is in its shortest form:
// UnmarshalBinary refuses a padded varint (0x80 0x00 for 0, which
// binary.Uvarint reads) and one longer than ten bytes, so that
// MarshalBinary(UnmarshalBinary(data)) == data for all data it accepts.
func TestSummaryUnmarshalRefusesLongVarints(t *testing.T) {
	s, err := NewLinearSummary(0, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []float64{0.05, 0.5, 0.55, 2} {
		s.Add(v)
	}
	good, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if err := new(Summary).UnmarshalBinary(good); err != nil {
		t.Fatalf("UnmarshalBinary(MarshalBinary()) = %v", err)
	}
	// The number of bins is the first varint, after the magic, the scale
	// and two float64s; 10 fits in one byte.
	const at = len(summaryMagic) + 1 + 16
	if good[at] != 10 {
		t.Fatalf("test data: byte %d = %d, want 10 bins", at, good[at])
	}
	replace := func(with ...byte) []byte {
		return bytes.Join([][]byte{good[:at], with, good[at+1:]}, nil)
	}
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"padded to two bytes", replace(0x80|10, 0x00)},
		{"padded to ten bytes", replace(0x80|10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)},
		{"eleven bytes", replace(0x80|10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)},
		{"overflowing", replace(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)},
		{"the largest value", replace(binary.AppendUvarint(nil, 1<<64-1)...)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var u Summary
			if err := u.UnmarshalBinary(tt.data); err == nil {
				out, _ := u.MarshalBinary()
				t.Errorf("UnmarshalBinary(% x) = nil, want an error (it re-encodes as % x)", tt.data, out)
			}
		})
	}
}
