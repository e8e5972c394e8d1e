package cgroups

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Readers for the statistics files. Every error names the file; a missing
// file keeps fs.ErrNotExist in its chain, so callers can tell "this host
// does not have it" (tolerated where runc tolerates it) from a bad file.

// statErr is the error of a statistics file that could not be used.
func statErr(dir, file string, err error) error {
	return fmt.Errorf("cgroup: stats: %s: %w", filepath.Join(dir, file), bareErr(err))
}

// isMissing reports a file (or cgroup) that does not exist.
func isMissing(err error) bool {
	return errors.Is(err, fs.ErrNotExist)
}

// readStatFile reads a statistics file, trimmed.
func readStatFile(dir, file string) (string, error) {
	s, err := readCgroupFile(dir, file)
	if err != nil {
		return "", statErr(dir, file, err)
	}
	return s, nil
}

// parseStatUint parses one counter the way runc does: "max" is unlimited
// (math.MaxUint64) and a negative number, which some v1 files print for
// "unset", is 0.
func parseStatUint(s string) (uint64, error) {
	if s == "max" {
		return math.MaxUint64, nil
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err == nil {
		return v, nil
	}
	if n, ierr := strconv.ParseInt(s, 10, 64); ierr == nil && n < 0 {
		return 0, nil
	}
	return 0, fmt.Errorf("%q is not a counter", s)
}

// statUint reads a file holding one counter.
func statUint(dir, file string) (uint64, error) {
	s, err := readStatFile(dir, file)
	if err != nil {
		return 0, err
	}
	v, err := parseStatUint(s)
	if err != nil {
		return 0, statErr(dir, file, err)
	}
	return v, nil
}

// statInt reads a file holding one signed number.
func statInt(dir, file string) (int64, error) {
	s, err := readStatFile(dir, file)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, statErr(dir, file, fmt.Errorf("%q is not a number", s))
	}
	return v, nil
}

// statUintList reads a file of space-separated counters (per-CPU usage).
func statUintList(dir, file string) ([]uint64, error) {
	s, err := readStatFile(dir, file)
	if err != nil {
		return nil, err
	}
	var out []uint64
	for _, f := range strings.Fields(s) {
		v, err := parseStatUint(f)
		if err != nil {
			return nil, statErr(dir, file, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// statKeyValues reads a flat keyed file ("key value" per line), such as
// memory.stat, cpu.stat or memory.events.
func statKeyValues(dir, file string) (map[string]uint64, error) {
	s, err := readStatFile(dir, file)
	if err != nil {
		return nil, err
	}
	out := map[string]uint64{}
	for i, line := range strings.Split(s, "\n") {
		if line == "" {
			continue
		}
		k, v, err := parseKeyValue(line)
		if err != nil {
			return nil, statErr(dir, file, fmt.Errorf("line %d: %w", i+1, err))
		}
		out[k] = v
	}
	return out, nil
}

// parseKeyValue splits "key value" into its parts.
func parseKeyValue(line string) (string, uint64, error) {
	f := strings.Fields(line)
	if len(f) != 2 {
		return "", 0, fmt.Errorf("%q: want \"key value\"", line)
	}
	v, err := parseStatUint(f[1])
	if err != nil {
		return "", 0, fmt.Errorf("%q: %w", line, err)
	}
	return f[0], v, nil
}

// statKey reads one key of a flat keyed file; a missing key is an error.
func statKey(dir, file, key string) (uint64, error) {
	kv, err := statKeyValues(dir, file)
	if err != nil {
		return 0, err
	}
	v, ok := kv[key]
	if !ok {
		return 0, statErr(dir, file, fmt.Errorf("no %q line", key))
	}
	return v, nil
}

// statCPUList reads a cpuset list such as "0-3,8,10-11".
func statCPUList(dir, file string) ([]uint16, error) {
	s, err := readStatFile(dir, file)
	if err != nil {
		return nil, err
	}
	list, err := parseCPUList(s)
	if err != nil {
		return nil, statErr(dir, file, err)
	}
	return list, nil
}

// parseCPUList expands the kernel's list format into single numbers.
func parseCPUList(s string) ([]uint16, error) {
	var out []uint16
	if s == "" {
		return out, nil
	}
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		first, err := strconv.ParseUint(lo, 10, 16)
		if err != nil {
			return nil, fmt.Errorf("%q is not a list like 0-3,8", s)
		}
		last := first
		if isRange {
			if last, err = strconv.ParseUint(hi, 10, 16); err != nil || last < first {
				return nil, fmt.Errorf("%q is not a list like 0-3,8", s)
			}
		}
		for n := first; n <= last; n++ {
			out = append(out, uint16(n))
		}
	}
	return out, nil
}

// hugePageSizesDir lists the host's huge page sizes (a variable so tests
// can point it at a fake tree).
var hugePageSizesDir = "/sys/kernel/mm/hugepages"

// hugePageSizes returns the host's huge page sizes as cgroup files name
// them ("2MB", "1GB"), from hugepages-<N>kB directory names.
func hugePageSizes() ([]string, error) {
	entries, err := os.ReadDir(hugePageSizesDir)
	if isMissing(err) {
		return nil, nil // no hugetlb support: nothing to report
	}
	if err != nil {
		return nil, fmt.Errorf("cgroup: stats: list huge page sizes: %w", err)
	}
	var sizes []string
	for _, e := range entries {
		kb, ok := strings.CutPrefix(e.Name(), "hugepages-")
		kb, ok2 := strings.CutSuffix(kb, "kB")
		n, err := strconv.ParseUint(kb, 10, 64)
		if !ok || !ok2 || err != nil {
			continue
		}
		sizes = append(sizes, pageSizeName(n))
	}
	return sizes, nil
}

// pageSizeName renders a size in KiB as the kernel's hugetlb file names
// do: the largest unit that divides it.
func pageSizeName(kb uint64) string {
	switch {
	case kb >= 1<<20 && kb%(1<<20) == 0:
		return strconv.FormatUint(kb>>20, 10) + "GB"
	case kb >= 1<<10 && kb%(1<<10) == 0:
		return strconv.FormatUint(kb>>10, 10) + "MB"
	}
	return strconv.FormatUint(kb, 10) + "KB"
}

// readMemoryStat fills the raw memory.stat counters and the page cache
// (cacheKey: "cache" on v1, "file" on v2); ok is false when the cgroup
// has no memory.stat (no memory controller).
func readMemoryStat(dir string, st *Stats, cacheKey string) (ok bool, err error) {
	raw, err := statKeyValues(dir, "memory.stat")
	if isMissing(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	st.Memory.Raw = raw
	st.Memory.Cache = raw[cacheKey]
	return true, nil
}
