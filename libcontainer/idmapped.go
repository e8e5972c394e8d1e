package libcontainer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/syncproto"
)

// An idmapped mount needs a user namespace with the mount's mappings, to
// hand to mount_setattr(MOUNT_ATTR_IDMAP). A user namespace lives only as
// long as a process (or an open fd) holds it, and a multi-threaded Go
// process cannot unshare one, so the parent starts one small "holder"
// process per distinct mapping set: our own binary, cloned with
// CLONE_NEWUSER and the mappings, which waits on stdin. The parent hands
// /proc/<holder>/ns/user to MOUNT_ATTR_IDMAP on a detached clone of the
// source and sends the clone to the init with the config; the holders are
// killed once the container is ready (or its creation failed).

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

// errIDMapUnsupported is returned when the kernel or the source's
// filesystem cannot idmap a mount.
var errIDMapUnsupported = errors.New("idmapped mounts are not supported by this kernel or filesystem")

// openIDMappedTrees makes, for each idmapped bind mount of cfg, a detached
// clone of its source (recursive for rbind) idmapped with the mount's
// holder user namespace (every mount of the tree for ridmap). It returns
// the mounts' indexes and the trees' fds, for the init to attach; close
// them once sent. The parent makes them because MOUNT_ATTR_IDMAP on a host
// filesystem needs CAP_SYS_ADMIN in the host's user namespace.
func openIDMappedTrees(cfg *configs.Config) (idx, fds []int, err error) {
	for i, m := range cfg.Mounts {
		if !m.IsIDMapped() {
			continue
		}
		if len(fds) == syncproto.MaxFds {
			err = fmt.Errorf("mounts[%d]: more than %d idmapped mounts", i, syncproto.MaxFds)
			break
		}
		var tree int
		if tree, err = openIDMappedTree(m); err != nil {
			err = fmt.Errorf("mounts[%d]: %w", i, err)
			break
		}
		idx, fds = append(idx, i), append(fds, tree)
	}
	if err != nil {
		closeFds(fds)
		return nil, nil, err
	}
	return idx, fds, nil
}

func openIDMappedTree(m *configs.Mount) (int, error) {
	flags := unix.OPEN_TREE_CLONE | unix.OPEN_TREE_CLOEXEC
	if m.Flags&unix.MS_REC != 0 {
		flags |= unix.AT_RECURSIVE
	}
	tree, err := unix.OpenTree(unix.AT_FDCWD, m.Source, uint(flags))
	if errors.Is(err, unix.ENOSYS) {
		return -1, errIDMapUnsupported
	}
	if err != nil {
		return -1, fmt.Errorf("open_tree (clone) %s: %w", m.Source, err)
	}
	if err := setIDMap(tree, m); err != nil {
		unix.Close(tree)
		return -1, err
	}
	return tree, nil
}

// setIDMap gives the detached tree the user namespace at m.IDMapUserns.
func setIDMap(tree int, m *configs.Mount) error {
	userns, err := os.Open(m.IDMapUserns)
	if err != nil {
		return fmt.Errorf("open the mapping's user namespace: %w", err)
	}
	defer userns.Close()
	flags := unix.AT_EMPTY_PATH
	if m.IDMapRecursive {
		flags |= unix.AT_RECURSIVE
	}
	attr := &unix.MountAttr{Attr_set: unix.MOUNT_ATTR_IDMAP, Userns_fd: uint64(userns.Fd())}
	err = unix.MountSetattr(tree, "", uint(flags), attr)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		return fmt.Errorf("%w (mount_setattr: %v)", errIDMapUnsupported, err)
	}
	if err != nil {
		return fmt.Errorf("mount_setattr (idmap): %w", err)
	}
	return nil
}

func closeFds(fds []int) {
	for _, fd := range fds {
		unix.Close(fd)
	}
}
