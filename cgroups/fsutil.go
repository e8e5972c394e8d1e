package cgroups

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ocirun/ocirun/internal/sysfile"
)

// mkdirChain creates dir and its missing parents and returns the ones it
// made, parents first. Existence is decided by Mkdir itself (EEXIST), so a
// directory created concurrently by someone else is never claimed.
func mkdirChain(dir string) ([]string, error) {
	missing, err := missingDirs(dir)
	if err != nil {
		return nil, err
	}
	var created []string
	for i := len(missing) - 1; i >= 0; i-- {
		err := os.Mkdir(missing[i], 0o755)
		if err == nil {
			created = append(created, missing[i])
			continue
		}
		if !errors.Is(err, fs.ErrExist) {
			return created, fmt.Errorf("cgroup: create %s: %w", missing[i], err)
		}
	}
	return created, nil
}

// missingDirs lists dir and its ancestors up to the first existing one.
func missingDirs(dir string) ([]string, error) {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		_, err := os.Stat(d)
		if err == nil {
			return missing, nil
		}
		if !errors.Is(err, fs.ErrNotExist) || d == "/" {
			return nil, fmt.Errorf("cgroup: create %s: %w", dir, err)
		}
		missing = append(missing, d)
	}
}

// writeCgroupFile writes one value to a cgroup control file. No O_CREAT:
// a missing control file means a missing controller, not a file to make.
// O_TRUNC is a no-op on cgroupfs (as with a shell's ">") but makes plain
// files used as fake cgroups in tests hold exactly the last value.
// Errors are *fs.PathError naming the file.
func writeCgroupFile(dir, file, value string) error {
	return sysfile.Write(filepath.Join(dir, file), value)
}

// readCgroupFile reads a control file with surrounding whitespace trimmed.
func readCgroupFile(dir, file string) (string, error) {
	b, err := sysfile.Read(filepath.Join(dir, file))
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// bareErr drops the operation and path an *fs.PathError repeats, for
// messages that already name the file.
func bareErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// addPid moves pid into the cgroup at dir.
func addPid(dir string, pid int) error {
	if err := writeCgroupFile(dir, "cgroup.procs", strconv.Itoa(pid)); err != nil {
		return fmt.Errorf("cgroup: add pid %d to %s: %w", pid, filepath.Join(dir, "cgroup.procs"), bareErr(err))
	}
	return nil
}
