package cgroups

import (
	"path"
	"sort"
	"strings"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// Mounts describes what a container's cgroup mount shows: one entry per
// host hierarchy (a single one with an empty Dir on a pure v2 host), with
// the container's directory from paths (State.Paths). It uses the layout
// this process has already read.
func Mounts(paths map[string]string) ([]configs.CgroupMount, error) {
	l, err := detectLayout()
	if err != nil {
		return nil, err
	}
	return mountsFor(l, paths), nil
}

// OwnPaths returns the calling process's own cgroup directories, keyed
// like State.Paths.
func OwnPaths() (map[string]string, error) {
	l, err := detectLayout()
	if err != nil {
		return nil, err
	}
	own, err := readOwnCgroups()
	if err != nil {
		return nil, err
	}
	return resolvePaths(l, own, ".", "") // "." relative to our own cgroup
}

func mountsFor(l *layout, paths map[string]string) []configs.CgroupMount {
	if l.mode == modeV2 {
		return []configs.CgroupMount{{FSType: "cgroup2", HostPath: paths[""]}}
	}
	byMountpoint := map[string][]string{}
	for ctrl, h := range l.v1 {
		byMountpoint[h.mountpoint] = append(byMountpoint[h.mountpoint], ctrl)
	}
	out := make([]configs.CgroupMount, 0, len(byMountpoint)+1)
	for mp, ctrls := range byMountpoint {
		sort.Strings(ctrls)
		out = append(out, configs.CgroupMount{
			Dir: path.Base(mp), FSType: "cgroup", Options: strings.Join(ctrls, ","), HostPath: paths[ctrls[0]],
		})
	}
	if l.unified != nil {
		out = append(out, configs.CgroupMount{Dir: path.Base(l.unified.mountpoint), FSType: "cgroup2", HostPath: paths[""]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out
}
