// Package system holds small Linux helpers shared by the parent side.
package system

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/ocirun/ocirun/internal/sysfile"
)

// ProcStat is what ocirun needs from /proc/<pid>/stat.
type ProcStat struct {
	// State is the one-letter process state (R, S, D, Z, X, T...).
	State byte
	// PPid is the parent's pid.
	PPid int
	// StartTime is the start time in clock ticks since boot: with the pid
	// it identifies a process across pid reuse.
	StartTime uint64
}

// Stat reads /proc/<pid>/stat.
func Stat(pid int) (ProcStat, error) {
	data, err := sysfile.Read("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ProcStat{}, err
	}
	return parseStat(data)
}

// parseStat parses a stat line. The command name (field 2) may contain
// spaces and parentheses, so fields are counted from the last ')'.
func parseStat(data []byte) (ProcStat, error) {
	i := bytes.LastIndexByte(data, ')')
	if i < 0 || i+2 >= len(data) {
		return ProcStat{}, fmt.Errorf("parse /proc stat: no command field")
	}
	fields := bytes.Fields(data[i+2:])
	// fields[0] is field 3 (state); starttime is field 22.
	if len(fields) < 20 {
		return ProcStat{}, fmt.Errorf("parse /proc stat: %d fields", len(fields)+2)
	}
	start, err := strconv.ParseUint(string(fields[19]), 10, 64)
	if err != nil {
		return ProcStat{}, fmt.Errorf("parse /proc stat start time: %w", err)
	}
	ppid, err := strconv.Atoi(string(fields[1]))
	if err != nil {
		return ProcStat{}, fmt.Errorf("parse /proc stat parent pid: %w", err)
	}
	return ProcStat{State: fields[0][0], PPid: ppid, StartTime: start}, nil
}
