package study

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseShard reads which shard of a job to run: "" for the whole job
// (shard 0 of 1); "K/N" for shard K (from 1) of N; or "auto", which reads
// a job array's task from the environment through getenv: Slurm's
// SLURM_ARRAY_TASK_ID (counted from SLURM_ARRAY_TASK_MIN, 0 when unset)
// and SLURM_ARRAY_TASK_COUNT, or Kubernetes' JOB_COMPLETION_INDEX (from 0)
// with shards, the number of shards, given. It returns this shard, from
// 0, and the number of shards.
func ParseShard(spec string, shards int, getenv func(string) string) (k, n int, err error) {
	switch spec {
	case "":
		if shards != 0 {
			return 0, 0, fmt.Errorf("--shards: only with --shard auto")
		}
		return 0, 1, nil
	case "auto":
		return autoShard(getenv, shards)
	}
	if shards != 0 {
		return 0, 0, fmt.Errorf("--shards: only with --shard auto (--shard %s names N already)", spec)
	}
	a, b, ok := strings.Cut(spec, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return 0, 0, fmt.Errorf("--shard %q: want K/N with 1 ≤ K ≤ N, such as 3/10, or auto", spec)
	}
	return k - 1, n, nil
}

func autoShard(getenv func(string) string, shards int) (k, n int, err error) {
	num := func(name string) (int, bool, error) {
		v := getenv(name)
		if v == "" {
			return 0, false, nil
		}
		x, err := strconv.Atoi(v)
		if err != nil || x < 0 {
			return 0, true, fmt.Errorf("--shard auto: $%s=%q is not a whole number", name, v)
		}
		return x, true, nil
	}
	id, slurm, err := num("SLURM_ARRAY_TASK_ID")
	if err != nil {
		return 0, 0, err
	}
	if slurm {
		count, ok, err := num("SLURM_ARRAY_TASK_COUNT")
		if err != nil || !ok {
			return 0, 0, fmt.Errorf("--shard auto: $SLURM_ARRAY_TASK_ID is set but $SLURM_ARRAY_TASK_COUNT is not (Slurm sets both for a job array)")
		}
		lo, _, err := num("SLURM_ARRAY_TASK_MIN")
		switch {
		case err != nil:
			return 0, 0, err
		case shards != 0 && shards != count:
			return 0, 0, fmt.Errorf("--shards %d: the Slurm array has %d tasks", shards, count)
		case id-lo < 0 || id-lo >= count:
			return 0, 0, fmt.Errorf("--shard auto: task %d of an array of %d from %d: use a dense array such as --array=0-%d", id, count, lo, count-1)
		}
		return id - lo, count, nil
	}
	idx, ok, err := num("JOB_COMPLETION_INDEX")
	switch {
	case err != nil:
		return 0, 0, err
	case !ok:
		return 0, 0, fmt.Errorf("--shard auto: no job array found: set $SLURM_ARRAY_TASK_ID and $SLURM_ARRAY_TASK_COUNT (Slurm) or $JOB_COMPLETION_INDEX with --shards N (Kubernetes), or give --shard K/N")
	case shards < 1:
		return 0, 0, fmt.Errorf("--shard auto: $JOB_COMPLETION_INDEX is set: give the number of shards with --shards N (the Job's completions)")
	case idx >= shards:
		return 0, 0, fmt.Errorf("--shard auto: $JOB_COMPLETION_INDEX=%d is not below --shards %d", idx, shards)
	}
	return idx, shards, nil
}
