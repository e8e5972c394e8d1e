package cgroups

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/sirupsen/logrus"
)

// errNotSupported marks a control file that is missing from an existing
// cgroup: the kernel does not offer that feature on this host.
var errNotSupported = errors.New("not supported by this host (no such file)")

// cgroupWrite is the one place resource values reach the kernel; tests
// swap it to record the order of writes.
var cgroupWrite = writeCgroupFile

// writeField writes value to dir/file for linux.resources.<field>.
func writeField(field, dir, file, value string) error {
	if err := cgroupWrite(dir, file, value); err != nil {
		return fieldWriteErr(field, dir, file, err)
	}
	return nil
}

// fieldWriteErr is the one-line error of a failed write:
// "linux.resources.<field>: write <file>: <err>".
func fieldWriteErr(field, dir, file string, err error) error {
	p := filepath.Join(dir, file)
	if errors.Is(err, fs.ErrNotExist) && isDir(dir) {
		return fieldErrorf(field, "%s: %w", p, errNotSupported)
	}
	return fieldErrorf(field, "write %s: %w", p, bareErr(err))
}

// fieldErrorf prefixes a message with the config field it is about.
func fieldErrorf(field, format string, args ...any) error {
	return fmt.Errorf("linux.resources."+field+": "+format, args...)
}

// warnField logs a setting that is accepted but has no effect.
func warnField(field, why string) {
	logrus.Warnf("linux.resources.%s: %s", field, why)
}

// ignoreUnsupported turns a missing-file error into a warning, for
// settings runc also skips on kernels that lack them.
func ignoreUnsupported(err error) error {
	if errors.Is(err, errNotSupported) {
		logrus.Warn(err.Error() + "; ignored")
		return nil
	}
	return err
}

// readUint reads a control file holding one unsigned number.
func readUint(dir, file string) (uint64, error) {
	s, err := readCgroupFile(dir, file)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("parse %s: %w", filepath.Join(dir, file), err)
	}
	return v, nil
}

func fileExists(dir, file string) bool {
	_, err := os.Stat(filepath.Join(dir, file))
	return err == nil
}

func isDir(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.IsDir()
}

// named pairs a config field with whether it asks for a write.
type named struct {
	field string
	set   bool
}

// firstSet returns the first field that is set, or "" when none is: the
// name used when the controller those fields need is missing.
func firstSet(fields ...named) string {
	for _, f := range fields {
		if f.set {
			return f.field
		}
	}
	return ""
}

// Small readers for the spec's optional fields: nil means unset (0).
func i64(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func u64(p *uint64) uint64 {
	if p == nil {
		return 0
	}
	return *p
}

func isTrue(p *bool) bool { return p != nil && *p }

// indexed names a list element: indexed("devices", 2) is "devices[2]".
func indexed(field string, i int) string {
	return field + "[" + strconv.Itoa(i) + "]"
}
