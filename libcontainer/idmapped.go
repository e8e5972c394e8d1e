package libcontainer

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// An idmapped mount needs a user namespace with the mount's mappings, to
// hand to mount_setattr(MOUNT_ATTR_IDMAP). A user namespace lives only as
// long as a process (or an open fd) holds it, and a multi-threaded Go
// process cannot unshare one, so the parent starts one small "holder"
// process per distinct mapping set: our own binary, cloned with
// CLONE_NEWUSER and the mappings, which waits on stdin. The init opens
// /proc/<holder>/ns/user; the holders are killed once the container is
// ready (or its creation failed).

// idmapHolderEnv marks our binary's exec as a holder; Init checks it, so
// embedders that call Init get holders without any change of their own.
const idmapHolderEnv = "_OCIRUN_IDMAP_HOLDER"

// isIDMapHolder reports whether this process was started as a holder.
func isIDMapHolder() bool { return os.Getenv(idmapHolderEnv) == "1" }

// idmapHolderMain keeps the user namespace alive until the parent closes
// our stdin (or dies, which closes it too), then exits.
func idmapHolderMain() {
	_, _ = io.Copy(io.Discard, os.Stdin)
	os.Exit(0)
}

// idmapHolder is one running holder process.
type idmapHolder struct {
	cmd   *exec.Cmd
	stdin io.Closer
}

// startIDMapHolders starts a holder for each distinct mapping set of cfg's
// idmapped mounts and records its user namespace path in the mounts. The
// returned stop kills and reaps them all; it is safe to call more than once.
func startIDMapHolders(cfg *configs.Config) (stop func(), err error) {
	var holders []*idmapHolder
	stop = func() {
		for _, h := range holders {
			h.stop()
		}
		holders = nil
	}
	byMapping := map[string]string{} // mapping key → userns path
	for i, m := range cfg.Mounts {
		if !m.IsIDMapped() {
			continue
		}
		key := fmt.Sprint(m.UIDMappings, m.GIDMappings)
		if path, ok := byMapping[key]; ok {
			m.IDMapUserns = path
			continue
		}
		h, err := startIDMapHolder(m.UIDMappings, m.GIDMappings)
		if err != nil {
			stop()
			return nil, fmt.Errorf("mounts[%d]: user namespace for the idmapped mount: %w", i, err)
		}
		holders = append(holders, h)
		m.IDMapUserns = "/proc/" + strconv.Itoa(h.cmd.Process.Pid) + "/ns/user"
		byMapping[key] = m.IDMapUserns
	}
	return stop, nil
}

// startIDMapHolder runs our binary in a new user namespace with the given
// mappings. exec.Cmd writes the maps before the child execs, so the
// namespace is complete when Start returns.
func startIDMapHolder(uids, gids []configs.IDMap) (*idmapHolder, error) {
	const self = "/proc/self/exe"
	cmd := exec.Command(self, "init")
	cmd.Env = []string{idmapHolderEnv + "=1"}
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:  unix.CLONE_NEWUSER,
		UidMappings: sysIDMaps(uids),
		GidMappings: sysIDMaps(gids),
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("holder stdin: %w", err)
	}
	if err := cmd.Start(); err != nil {
		_ = stdin.Close()
		return nil, fmt.Errorf("start holder %s: %w", self, err)
	}
	return &idmapHolder{cmd: cmd, stdin: stdin}, nil
}

func sysIDMaps(maps []configs.IDMap) []syscall.SysProcIDMap {
	out := make([]syscall.SysProcIDMap, 0, len(maps))
	for _, m := range maps {
		out = append(out, syscall.SysProcIDMap{ContainerID: int(m.ContainerID), HostID: int(m.HostID), Size: int(m.Size)})
	}
	return out
}

// stop kills the holder and reaps it, so no process or namespace is left.
func (h *idmapHolder) stop() {
	_ = h.stdin.Close()
	_ = h.cmd.Process.Kill()
	_ = h.cmd.Wait()
}
