package libcontainer

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/caps"
	"github.com/ocirun/ocirun/libcontainer/internal/syncproto"
	"github.com/ocirun/ocirun/libcontainer/internal/user"
)

// envExecGo forces the Go init for `exec` (tests cover both paths with it).
const envExecGo = "OCIRUN_EXEC_GO_INIT"

// useExecStage says whether the C stage can set the exec'd process up on
// its own (see syncproto.ExecPlan): then no Go runtime starts in the
// container, which is most of an exec's cost. Everything else goes to
// the Go init: an LSM label, scheduling attributes, a seccomp listener, a
// user namespace (groups and id checks), a paused container.
func (c *Container) useExecStage(p *configs.Process, filter *configs.SeccompProgram, paused bool) bool {
	cfg := c.state.Config
	if os.Getenv(envExecGo) == "1" || paused {
		return false
	}
	if _, userns := cfg.Namespace(configs.NEWUSER); userns {
		return false
	}
	if p.ApparmorProfile != "" || p.SelinuxLabel != "" || p.Scheduler != nil || p.IOPriority != nil ||
		p.CPUAffinity != nil || cfg.Personality != nil || cfg.MemoryPolicy != nil {
		return false
	}
	return filter == nil || !filter.Notify()
}

// execPlan resolves what the Go init would look up for the process: HOME
// from the container's /etc/passwd, the program's candidate paths, the
// capability masks.
func (c *Container) execPlan(p *configs.Process, preserveFds int, filter *configs.SeccompProgram) (*syncproto.ExecPlan, error) {
	env, err := c.withHome(p)
	if err != nil {
		return nil, err
	}
	plan := &syncproto.ExecPlan{
		NoNewPrivileges: p.NoNewPrivileges,
		Seccomp:         filter,
		PreserveFds:     preserveFds,
		Terminal:        p.Terminal,
		ConsoleSize:     p.ConsoleSize,
		Args:            p.Args,
		Env:             env,
		Paths:           programPaths(p.Args[0], env),
		Rlimits:         p.Rlimits,
		UID:             p.User.UID,
		GID:             p.User.GID,
		Umask:           user.Umask(p.User),
		Groups:          p.User.AdditionalGids,
		LastCap:         uint32(caps.LastCap()),
		Cwd:             p.Cwd,
	}
	if !c.state.Config.NoNewKeyring {
		plan.Keyring = "_ses." + c.state.ID
	}
	plan.Bounding, plan.Effective, plan.Permitted, plan.Inheritable, plan.Ambient = caps.Masks(p.Capabilities)
	plan.Ambient = raisableAmbient(plan.Ambient, plan.Permitted&plan.Inheritable)
	return plan, nil
}

// raisableAmbient keeps the ambient capabilities the kernel will raise
// (those also permitted and inheritable) and warns about the others, as
// runc does: the spec is legal, just ineffective.
func raisableAmbient(ambient, allowed uint64) uint64 {
	if dropped := ambient &^ allowed; dropped != 0 {
		logrus.Warnf("process.capabilities.ambient: %#x not raised: a capability must also be in the permitted and inheritable sets", dropped)
	}
	return ambient & allowed
}

// withHome adds HOME from the container's /etc/passwd when process.env has
// none, as the Go init does; the file is read through the container init's
// root, resolved inside it.
func (c *Container) withHome(p *configs.Process) ([]string, error) {
	for _, kv := range p.Env {
		if strings.HasPrefix(kv, "HOME=") {
			return p.Env, nil
		}
	}
	root, err := unix.Open("/proc/"+strconv.Itoa(c.state.InitPid)+"/root", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("exec: open the container's root: %w", err)
	}
	defer unix.Close(root)
	return append(p.Env[:len(p.Env):len(p.Env)], "HOME="+user.HomeDirIn(root, p.User.UID)), nil
}

// programPaths lists where the C stage looks for the program, in order:
// the name itself if it has a slash, else each directory of the
// container's PATH (process.env's, the last one set).
func programPaths(name string, env []string) []string {
	if strings.Contains(name, "/") {
		return []string{name}
	}
	path := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
		}
	}
	var paths []string
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		paths = append(paths, filepath.Join(dir, name))
	}
	return paths
}
