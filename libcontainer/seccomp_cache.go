package libcontainer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/seccomp"
)

// Compiled filters are cached under the state root: engines give every
// container the same default profile, and compiling it costs libseccomp
// tens of milliseconds, more than the rest of a container start. The
// directory name has a character container ids may not use, so it can
// never be taken for (or by) a container.
const seccompCacheDir = "~cache/seccomp"

// cachedCompile returns the compiled program for s, from the cache when
// this binary on this kernel compiled the same config before.
func cachedCompile(root string, s *configs.Seccomp) (*configs.SeccompProgram, error) {
	if s == nil {
		return nil, nil
	}
	key, err := seccompCacheKey(s)
	if err != nil {
		logrus.Debugf("seccomp cache: %v", err)
		return seccomp.Compile(s)
	}
	path := filepath.Join(root, seccompCacheDir, key+".json")
	if prog := readProgram(path); prog != nil {
		return prog, nil
	}
	prog, err := seccomp.Compile(s)
	if err != nil || prog == nil {
		return prog, err
	}
	if err := writeProgram(path, prog); err != nil {
		logrus.Debugf("seccomp cache: %v", err)
	}
	return prog, nil
}

// seccompCacheKey names a compiled program by everything it depends on:
// the config, this very binary (its libseccomp and compiler) and the
// kernel (the flags it supports).
func seccompCacheKey(s *configs.Seccomp) (string, error) {
	exe, err := os.Stat("/proc/self/exe")
	if err != nil {
		return "", err
	}
	st := exe.Sys().(*syscall.Stat_t)
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		return "", err
	}
	h := sha256.New()
	if err := json.NewEncoder(h).Encode(s); err != nil {
		return "", err
	}
	fmt.Fprintf(h, "%d:%d:%d:%d:%s", st.Dev, st.Ino, st.Size, exe.ModTime().UnixNano(), unix.ByteSliceToString(uts.Release[:]))
	return hex.EncodeToString(h.Sum(nil)), nil
}

func readProgram(path string) *configs.SeccompProgram {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	prog := new(configs.SeccompProgram)
	if json.Unmarshal(b, prog) != nil || len(prog.Filter) == 0 {
		return nil
	}
	return prog
}

// writeProgram stores prog atomically: readers see a whole file or none.
func writeProgram(path string, prog *configs.SeccompProgram) error {
	b, err := json.Marshal(prog)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".new-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
