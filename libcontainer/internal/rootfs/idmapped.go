package rootfs

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// idmappedBind attaches onto t the detached, idmapped clone of the mount's
// source that the parent made (m.IDMapTree, see syncproto), then applies
// the bind flags. The tree fd is closed either way.
func idmappedBind(t *target, m *configs.Mount) error {
	if m.IDMapTree <= 0 {
		return fmt.Errorf("idmapped mount %s without a tree from the parent", m.Destination)
	}
	tree := m.IDMapTree
	m.IDMapTree = 0
	defer unix.Close(tree)
	if err := attachFd(tree, int(t.file.Fd())); err != nil {
		return err
	}
	if err := t.refresh(); err != nil {
		return err
	}
	if !needsBindRemount(m.Flags) {
		return nil
	}
	return remount(t.path(), m.Flags|unix.MS_BIND, m.ClearedFlags)
}
