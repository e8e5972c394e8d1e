package libcontainer

import (
	"fmt"
	"os"
	"strconv"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/internal/sysfile"
	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/caps"
	"github.com/ocirun/ocirun/libcontainer/internal/initproc"
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
	return planCovers(cfg, p, filter)
}

// planCovers says whether an exec plan carries everything the process
// asks for: no LSM label, scheduling attribute or seccomp listener.
func planCovers(cfg *configs.Config, p *configs.Process, filter *configs.SeccompProgram) bool {
	if p.ApparmorProfile != "" || p.SelinuxLabel != "" || p.Scheduler != nil || p.IOPriority != nil ||
		p.CPUAffinity != nil || cfg.Personality != nil || cfg.MemoryPolicy != nil {
		return false
	}
	return filter == nil || !filter.Notify()
}

// writeOomScoreAdj sets process.oomScoreAdj for a process the C stage
// sets up (the Go init writes its own).
func writeOomScoreAdj(pid int, adj *int) error {
	if adj == nil {
		return nil
	}
	path := "/proc/" + strconv.Itoa(pid) + "/oom_score_adj"
	if err := sysfile.Write(path, strconv.Itoa(*adj)); err != nil {
		return fmt.Errorf("process.oomScoreAdj: %w", err)
	}
	return nil
}

// execPlan resolves what the Go init would look up for the process: HOME
// from the container's /etc/passwd, the program's candidate paths, the
// capability masks.
func (c *Container) execPlan(p *configs.Process, preserveFds int, filter *configs.SeccompProgram) *syncproto.ExecPlan {
	env := initproc.WithHome(p.Env, func() string { return c.homeDir(p.User.UID) })
	plan := &syncproto.ExecPlan{
		NoNewPrivileges: p.NoNewPrivileges,
		Seccomp:         filter,
		PreserveFds:     preserveFds,
		Terminal:        p.Terminal,
		ConsoleSize:     p.ConsoleSize,
		Args:            p.Args,
		Env:             env,
		Paths:           initproc.ProgramPaths(p.Args[0], env),
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
	return plan
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

// homeDir reads uid's home from the container's /etc/passwd through the
// container init's root, resolved inside it; "/" when it cannot be read,
// as in the Go init.
func (c *Container) homeDir(uid uint32) string {
	root, err := unix.Open("/proc/"+strconv.Itoa(c.state.InitPid)+"/root", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return "/"
	}
	defer unix.Close(root)
	return user.HomeDirIn(root, uid)
}
