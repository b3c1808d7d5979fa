package study

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

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

const magic = "chipsim-mc-shard-v3\n"

// EncodeSummaries encodes a Monte Carlo shard: its header, its summaries
// and a SHA-256 checksum of both.
func EncodeSummaries(h Header, s *Summaries) ([]byte, error) {
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
	writeUvarint(&b, uint64(len(s.Outcome)))
	for _, sum := range append(append([]*uq.Summary(nil), s.Sum...), s.Outcome...) {
		data, err := sum.MarshalBinary()
		if err != nil {
			return nil, err
		}
		writeUvarint(&b, uint64(len(data)))
		b.Write(data)
	}
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return b.Bytes(), nil
}

func writeUvarint(b *bytes.Buffer, x uint64) {
	var tmp [binary.MaxVarintLen64]byte
	b.Write(tmp[:binary.PutUvarint(tmp[:], x)])
}

// ErrNotShard reports a file that is not a chipsim Monte Carlo shard.
var ErrNotShard = errors.New("not a chipsim Monte Carlo shard")

// ErrDamaged reports a shard whose checksum does not match its contents.
var ErrDamaged = errors.New("study: damaged shard (checksum mismatch)")

// DecodeSummaries decodes a shard written by EncodeSummaries.
func DecodeSummaries(data []byte) (Header, *Summaries, error) {
	var h Header
	if !bytes.HasPrefix(data, []byte(magic)) {
		if bytes.HasPrefix(data, []byte("chipsim-mc-shard-")) {
			return h, nil, fmt.Errorf("%w: written by another version of chipsim (want %q): rerun the shards", ErrNotShard, magic[:len(magic)-1])
		}
		return h, nil, ErrNotShard
	}
	if len(data) < len(magic)+sha256.Size {
		return h, nil, fmt.Errorf("%w: truncated", ErrNotShard)
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return h, nil, ErrDamaged
	}
	r := bytes.NewReader(body[len(magic):])
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
	no := u()
	if err != nil || no > 1<<20 {
		return h, nil, fmt.Errorf("%w: bad header", ErrNotShard)
	}
	total := len(s.Slots)*s.N + int(no)
	for i := 0; i < total && err == nil; i++ {
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
		if i < len(s.Slots)*s.N {
			s.Sum = append(s.Sum, sum)
		} else {
			s.Outcome = append(s.Outcome, sum)
		}
	}
	if err != nil {
		return h, nil, fmt.Errorf("%w: %v", ErrNotShard, err)
	}
	if r.Len() != 0 {
		return h, nil, fmt.Errorf("%w: %d trailing bytes", ErrNotShard, r.Len())
	}
	return h, s, nil
}

// MergeShards checks that shards (decoded Monte Carlo shards, with their
// headers) are every shard of one job, once each, and merges their
// summaries: the result equals the unsharded run's. An error about one
// shard is a *ShardError naming its index.
func MergeShards(headers []Header, sums []*Summaries) (Header, *Summaries, error) {
	if len(headers) == 0 || len(headers) != len(sums) {
		return Header{}, nil, errors.New("study: no shards to merge")
	}
	h0 := headers[0]
	seen := map[int]int{}
	for i, h := range headers {
		if h.Digest != h0.Digest || h.Shards != h0.Shards || h.Scenario != h0.Scenario || h.Runs != h0.Runs || h.Seed != h0.Seed {
			return h0, nil, &ShardError{Index: i, Other: -1, Err: errors.New("belongs to another job (scenario, inputs, runs, seed or metrics differ)")}
		}
		if j, dup := seen[h.Shard]; dup {
			return h0, nil, &ShardError{Index: i, Other: j, Err: fmt.Errorf("are both shard %d of %d", h.Shard+1, h.Shards)}
		}
		seen[h.Shard] = i
	}
	var missing []string
	for k := 0; k < h0.Shards; k++ {
		if _, ok := seen[k]; !ok {
			missing = append(missing, strconv.Itoa(k+1))
		}
	}
	if len(missing) > 0 {
		return h0, nil, fmt.Errorf("study: shards %s of %d are missing", strings.Join(missing, ", "), h0.Shards)
	}
	out := sums[seen[0]]
	for k := 1; k < h0.Shards; k++ {
		if err := out.Merge(sums[seen[k]]); err != nil {
			return h0, nil, &ShardError{Index: seen[k], Other: -1, Err: err}
		}
	}
	h0.Shard, h0.Shards = 0, 1
	return h0, out, nil
}
