package libcontainer

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// checkRootfsAccess fails early, and clearly, when the root of a new user
// namespace could not reach the rootfs: every directory from / down to it
// must be searchable by the host ids root is mapped to. The init would
// otherwise fail with a bare "permission denied" while resolving it.
func checkRootfsAccess(cfg *configs.Config) error {
	if !cfg.NewNamespace(configs.NEWUSER) || len(cfg.UIDMappings) == 0 {
		return nil
	}
	uid, ok := hostID(cfg.UIDMappings, 0)
	if !ok {
		return nil // no root inside: nothing to promise
	}
	gid, _ := hostID(cfg.GIDMappings, 0)
	for dir := cfg.Rootfs; ; dir = filepath.Dir(dir) {
		fi, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("root.path: %w", err)
		}
		if !searchable(fi, uid, gid) {
			return fmt.Errorf("root.path: %s (mode %#o, owner %d:%d) is not searchable by the container's root, host uid %d gid %d (linux.uidMappings): give it o+x or change its owner",
				dir, fi.Mode().Perm(), fi.Sys().(*syscall.Stat_t).Uid, fi.Sys().(*syscall.Stat_t).Gid, uid, gid)
		}
		if dir == "/" {
			return nil
		}
	}
}

// hostID maps a container id to the host.
func hostID(m []configs.IDMap, id uint32) (uint32, bool) {
	for _, e := range m {
		if id >= e.ContainerID && id-e.ContainerID < e.Size {
			return e.HostID + id - e.ContainerID, true
		}
	}
	return 0, false
}

func searchable(fi os.FileInfo, uid, gid uint32) bool {
	st := fi.Sys().(*syscall.Stat_t)
	mode := fi.Mode().Perm()
	switch {
	case st.Uid == uid:
		return mode&0o100 != 0
	case st.Gid == gid:
		return mode&0o010 != 0
	}
	return mode&0o001 != 0
}
