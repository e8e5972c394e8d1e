package libcontainer

import (
	"fmt"
	"path/filepath"

	"github.com/sirupsen/logrus"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/seccomp"
)

// seccompFile keeps the container's compiled filter beside state.json, so
// that exec loads the very program the init got without compiling it
// again: libseccomp takes tens of milliseconds for an engine's default
// profile.
const seccompFile = "seccomp.json"

// prepareSeccomp compiles the filter of a new container (nil without
// linux.seccomp), through the cache, and saves it for exec.
func (c *Container) prepareSeccomp(cfg *configs.Config) (*configs.SeccompProgram, error) {
	prog, err := cachedCompile(filepath.Dir(c.dir), cfg.Seccomp)
	if err != nil || prog == nil {
		return nil, err
	}
	if err := writeProgram(filepath.Join(c.dir, seccompFile), prog); err != nil {
		return nil, fmt.Errorf("linux.seccomp: save compiled filter: %w", err)
	}
	return prog, nil
}

// execSeccomp is the filter for a process joining the container: the saved
// program, or a fresh compile of the saved config when there is none (a
// container created by an older ocirun).
func (c *Container) execSeccomp() (*configs.SeccompProgram, error) {
	if c.state.Config.Seccomp == nil {
		return nil, nil
	}
	if prog := readProgram(filepath.Join(c.dir, seccompFile)); prog != nil {
		return prog, nil
	}
	logrus.Debug("seccomp: no usable saved filter, compiling again")
	return seccomp.Compile(c.state.Config.Seccomp)
}
