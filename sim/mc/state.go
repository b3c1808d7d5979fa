package mc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/chipsim/chipsim/sim/uq"
)

// Header identifies the job a shard belongs to, so that merge refuses to
// mix shards of different jobs.
type Header struct {
	Scenario string
	Ref      string // the scenario as named on the command line: a shipped name or a path
	Digest   string // of the scenario's resolved inputs and the job's settings
	Runs     int
	Seed     uint64
	Shard    int
	Shards   int
}

const magic = "chipsim-mc-shard-v2\n"

// Encode writes a shard: its header and its summaries.
func Encode(h Header, s *Summaries) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(magic)
	str := func(x string) { writeUvarint(&b, uint64(len(x))); b.WriteString(x) }
	str(h.Scenario)
	str(h.Ref)
	str(h.Digest)
	writeUvarint(&b, uint64(h.Runs))
	writeUvarint(&b, h.Seed)
	writeUvarint(&b, uint64(h.Shard))
	writeUvarint(&b, uint64(h.Shards))
	writeUvarint(&b, uint64(s.N))
	writeUvarint(&b, uint64(len(s.Slots)))
	for _, sl := range s.Slots {
		writeUvarint(&b, uint64(sl))
	}
	for _, sum := range s.Sum {
		data, err := sum.MarshalBinary()
		if err != nil {
			return nil, err
		}
		writeUvarint(&b, uint64(len(data)))
		b.Write(data)
	}
	return b.Bytes(), nil
}

func writeUvarint(b *bytes.Buffer, x uint64) {
	var tmp [binary.MaxVarintLen64]byte
	b.Write(tmp[:binary.PutUvarint(tmp[:], x)])
}

// ErrNotShard reports a file that is not a chipsim Monte Carlo shard.
var ErrNotShard = errors.New("not a chipsim Monte Carlo shard")

// Decode reads a shard written by Encode.
func Decode(data []byte) (Header, *Summaries, error) {
	var h Header
	if !bytes.HasPrefix(data, []byte(magic)) {
		return h, nil, ErrNotShard
	}
	r := bytes.NewReader(data[len(magic):])
	var err error
	u := func() uint64 {
		if err != nil {
			return 0
		}
		var x uint64
		x, err = binary.ReadUvarint(r)
		return x
	}
	str := func() string {
		n := u()
		if err != nil || n > uint64(r.Len()) {
			err = fmt.Errorf("%w: truncated", ErrNotShard)
			return ""
		}
		buf := make([]byte, n)
		r.Read(buf)
		return string(buf)
	}
	h.Scenario, h.Ref, h.Digest = str(), str(), str()
	h.Runs, h.Seed, h.Shard, h.Shards = int(u()), u(), int(u()), int(u())
	s := &Summaries{N: int(u())}
	ns := u()
	if err != nil || ns > 1<<20 || s.N > 1<<20 {
		return h, nil, fmt.Errorf("%w: bad header", ErrNotShard)
	}
	for i := uint64(0); i < ns; i++ {
		s.Slots = append(s.Slots, int(u()))
	}
	for i := 0; i < len(s.Slots)*s.N && err == nil; i++ {
		n := u()
		if err != nil || n > uint64(r.Len()) {
			return h, nil, fmt.Errorf("%w: truncated", ErrNotShard)
		}
		buf := make([]byte, n)
		r.Read(buf)
		sum := new(uq.Summary)
		if e := sum.UnmarshalBinary(buf); e != nil {
			return h, nil, fmt.Errorf("%w: %v", ErrNotShard, e)
		}
		s.Sum = append(s.Sum, sum)
	}
	if err != nil {
		return h, nil, fmt.Errorf("%w: %v", ErrNotShard, err)
	}
	if r.Len() != 0 {
		return h, nil, fmt.Errorf("%w: %d trailing bytes", ErrNotShard, r.Len())
	}
	return h, s, nil
}
