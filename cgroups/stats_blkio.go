package cgroups

import (
	"fmt"
	"strconv"
	"strings"
)

// blkioFile binds a v1 blkio statistics file to the list it fills.
type blkioFile struct {
	name string
	dst  func(*BlkioStats) *[]BlkioEntry
}

func blkServiceBytes(b *BlkioStats) *[]BlkioEntry { return &b.IoServiceBytesRecursive }
func blkServiced(b *BlkioStats) *[]BlkioEntry     { return &b.IoServicedRecursive }
func blkQueued(b *BlkioStats) *[]BlkioEntry       { return &b.IoQueuedRecursive }
func blkServiceTime(b *BlkioStats) *[]BlkioEntry  { return &b.IoServiceTimeRecursive }
func blkWaitTime(b *BlkioStats) *[]BlkioEntry     { return &b.IoWaitTimeRecursive }
func blkMerged(b *BlkioStats) *[]BlkioEntry       { return &b.IoMergedRecursive }
func blkIoTime(b *BlkioStats) *[]BlkioEntry       { return &b.IoTimeRecursive }
func blkSectors(b *BlkioStats) *[]BlkioEntry      { return &b.SectorsRecursive }

// blkioGroupsV1 are the v1 file sets in runc's order of preference. Which
// one has data depends on the I/O scheduler (BFQ with or without its debug
// files, the legacy CFQ) and, failing those, the throttling layer, which
// counts every request. The first group whose first file has data wins.
var blkioGroupsV1 = [][]blkioFile{
	{ // BFQ with CONFIG_BFQ_CGROUP_DEBUG
		{"blkio.bfq.sectors_recursive", blkSectors},
		{"blkio.bfq.io_service_time_recursive", blkServiceTime},
		{"blkio.bfq.io_wait_time_recursive", blkWaitTime},
		{"blkio.bfq.io_merged_recursive", blkMerged},
		{"blkio.bfq.io_queued_recursive", blkQueued},
		{"blkio.bfq.time_recursive", blkIoTime},
		{"blkio.bfq.io_serviced_recursive", blkServiced},
		{"blkio.bfq.io_service_bytes_recursive", blkServiceBytes},
	},
	{ // BFQ
		{"blkio.bfq.io_serviced_recursive", blkServiced},
		{"blkio.bfq.io_service_bytes_recursive", blkServiceBytes},
	},
	{ // CFQ (kernels before 5.0)
		{"blkio.sectors_recursive", blkSectors},
		{"blkio.io_service_time_recursive", blkServiceTime},
		{"blkio.io_wait_time_recursive", blkWaitTime},
		{"blkio.io_merged_recursive", blkMerged},
		{"blkio.io_queued_recursive", blkQueued},
		{"blkio.time_recursive", blkIoTime},
		{"blkio.io_serviced_recursive", blkServiced},
		{"blkio.io_service_bytes_recursive", blkServiceBytes},
	},
	{ // throttling layer
		{"blkio.throttle.io_serviced_recursive", blkServiced},
		{"blkio.throttle.io_service_bytes_recursive", blkServiceBytes},
	},
	{ // throttling layer, kernels without the recursive files
		{"blkio.throttle.io_serviced", blkServiced},
		{"blkio.throttle.io_service_bytes", blkServiceBytes},
	},
}

// blkioStatsV1 fills Blkio from the first file group that has data.
// Missing files are skipped; a malformed one is an error.
func blkioStatsV1(dir string, st *Stats) error {
	for _, group := range blkioGroupsV1 {
		first, err := blkioEntries(dir, group[0].name)
		if err != nil && !isMissing(err) {
			return err
		}
		if len(first) == 0 {
			continue
		}
		*group[0].dst(&st.Blkio) = first
		for _, f := range group[1:] {
			entries, err := blkioEntries(dir, f.name)
			if err != nil && !isMissing(err) {
				return err
			}
			*f.dst(&st.Blkio) = entries
		}
		return nil
	}
	return nil
}

// blkioEntries parses one v1 blkio file: "MAJ:MIN OP VALUE" lines, or
// "MAJ:MIN VALUE" for files without operations. The closing
// "Total VALUE" line sums all devices and is not a device entry.
func blkioEntries(dir, file string) ([]BlkioEntry, error) {
	s, err := readStatFile(dir, file)
	if err != nil {
		return nil, err
	}
	var out []BlkioEntry
	for i, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || (len(f) == 2 && f[0] == "Total") {
			continue
		}
		e, err := parseBlkioLine(f)
		if err != nil {
			return nil, statErr(dir, file, fmt.Errorf("line %d: %q: %w", i+1, line, err))
		}
		out = append(out, e)
	}
	return out, nil
}

func parseBlkioLine(f []string) (BlkioEntry, error) {
	if len(f) != 2 && len(f) != 3 {
		return BlkioEntry{}, fmt.Errorf("want \"MAJ:MIN [OP] VALUE\"")
	}
	var e BlkioEntry
	var err error
	if e.Major, e.Minor, err = parseDevice(f[0]); err != nil {
		return BlkioEntry{}, err
	}
	if len(f) == 3 {
		e.Op = f[1]
	}
	if e.Value, err = strconv.ParseUint(f[len(f)-1], 10, 64); err != nil {
		return BlkioEntry{}, fmt.Errorf("%q is not a counter", f[len(f)-1])
	}
	return e, nil
}

// parseDevice parses "MAJ:MIN".
func parseDevice(s string) (uint64, uint64, error) {
	maj, min, ok := strings.Cut(s, ":")
	major, err1 := strconv.ParseUint(maj, 10, 64)
	minor, err2 := strconv.ParseUint(min, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("%q is not a device MAJ:MIN", s)
	}
	return major, minor, nil
}

// ioStatKeys maps v2 io.stat keys to the list and operation runc reports
// them as; other keys (rusec, cost.*, ...) are not reported.
var ioStatKeys = map[string]struct {
	dst func(*BlkioStats) *[]BlkioEntry
	op  string
}{
	"rbytes": {blkServiceBytes, "Read"},
	"wbytes": {blkServiceBytes, "Write"},
	"dbytes": {blkServiceBytes, "Discard"},
	"rios":   {blkServiced, "Read"},
	"wios":   {blkServiced, "Write"},
	"dios":   {blkServiced, "Discard"},
}

// ioStatsV2 parses io.stat: one line per device,
// "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N".
func ioStatsV2(dir string, st *Stats) error {
	s, err := readStatFile(dir, "io.stat")
	if isMissing(err) {
		return nil // no io controller in this cgroup
	}
	if err != nil {
		return err
	}
	for i, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if err := parseIOStatLine(line, &st.Blkio); err != nil {
			return statErr(dir, "io.stat", fmt.Errorf("line %d: %q: %w", i+1, line, err))
		}
	}
	return nil
}

func parseIOStatLine(line string, b *BlkioStats) error {
	f := strings.Fields(line)
	major, minor, err := parseDevice(f[0])
	if err != nil {
		return err
	}
	for _, kv := range f[1:] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("%q: want key=value", kv)
		}
		key, known := ioStatKeys[k]
		if !known {
			continue
		}
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return fmt.Errorf("%q: %q is not a counter", kv, v)
		}
		dst := key.dst(b)
		*dst = append(*dst, BlkioEntry{Major: major, Minor: minor, Op: key.op, Value: n})
	}
	return nil
}
