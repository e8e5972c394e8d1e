package cgroups

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// rdmaLine is one rdma.max write: "<device> hca_handle=N hca_object=M",
// with only the limits that are set.
type rdmaLine struct {
	field string
	line  string
}

// rdmaLines renders linux.resources.rdma in device name order (the map has
// none) and skips devices without limits, as runc does.
func rdmaLines(rdma map[string]specs.LinuxRdma) []rdmaLine {
	var out []rdmaLine
	for _, dev := range slices.Sorted(maps.Keys(rdma)) {
		l := rdma[dev]
		parts := []string{dev}
		if l.HcaHandles != nil {
			parts = append(parts, fmt.Sprintf("hca_handle=%d", *l.HcaHandles))
		}
		if l.HcaObjects != nil {
			parts = append(parts, fmt.Sprintf("hca_object=%d", *l.HcaObjects))
		}
		if len(parts) > 1 {
			out = append(out, rdmaLine{fmt.Sprintf("rdma[%q]", dev), strings.Join(parts, " ")})
		}
	}
	return out
}

func rdmaField(rdma map[string]specs.LinuxRdma) string {
	if lines := rdmaLines(rdma); len(lines) > 0 {
		return lines[0].field
	}
	return ""
}

// validateRdma: a device name is the first word of an rdma.max line.
func validateRdma(rdma map[string]specs.LinuxRdma) error {
	for dev := range rdma {
		if !isWord(dev) {
			return fieldErrorf(fmt.Sprintf("rdma[%q]", dev), "not a device name")
		}
	}
	return nil
}

// setRdma writes rdma.max lines through write (v1 dir or v2 cgroup).
func setRdma(rdma map[string]specs.LinuxRdma, write func(field, file, value string) error) error {
	for _, l := range rdmaLines(rdma) {
		if err := write(l.field, "rdma.max", l.line); err != nil {
			return err
		}
	}
	return nil
}

// isWord reports a non-empty string without spaces or control characters.
func isWord(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
}
