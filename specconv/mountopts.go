package specconv

import (
	"fmt"
	"strings"

	"golang.org/x/sys/unix"
)

// mountFlag is an option that sets (clear=false) or clears an MS_* flag.
type mountFlag struct {
	clear bool
	flag  int
}

var mountFlags = map[string]mountFlag{
	"defaults":      {false, 0},
	"ro":            {false, unix.MS_RDONLY},
	"rw":            {true, unix.MS_RDONLY},
	"nosuid":        {false, unix.MS_NOSUID},
	"suid":          {true, unix.MS_NOSUID},
	"nodev":         {false, unix.MS_NODEV},
	"dev":           {true, unix.MS_NODEV},
	"noexec":        {false, unix.MS_NOEXEC},
	"exec":          {true, unix.MS_NOEXEC},
	"sync":          {false, unix.MS_SYNCHRONOUS},
	"async":         {true, unix.MS_SYNCHRONOUS},
	"dirsync":       {false, unix.MS_DIRSYNC},
	"remount":       {false, unix.MS_REMOUNT},
	"mand":          {false, unix.MS_MANDLOCK},
	"nomand":        {true, unix.MS_MANDLOCK},
	"noatime":       {false, unix.MS_NOATIME},
	"atime":         {true, unix.MS_NOATIME},
	"nodiratime":    {false, unix.MS_NODIRATIME},
	"diratime":      {true, unix.MS_NODIRATIME},
	"relatime":      {false, unix.MS_RELATIME},
	"norelatime":    {true, unix.MS_RELATIME},
	"strictatime":   {false, unix.MS_STRICTATIME},
	"nostrictatime": {true, unix.MS_STRICTATIME},
	"nosymfollow":   {false, unix.MS_NOSYMFOLLOW},
	"symfollow":     {true, unix.MS_NOSYMFOLLOW},
	"bind":          {false, unix.MS_BIND},
	"rbind":         {false, unix.MS_BIND | unix.MS_REC},
}

// propagationFlags serve both mount options and linux.rootfsPropagation.
var propagationFlags = map[string]int{
	"shared":      unix.MS_SHARED,
	"rshared":     unix.MS_SHARED | unix.MS_REC,
	"slave":       unix.MS_SLAVE,
	"rslave":      unix.MS_SLAVE | unix.MS_REC,
	"private":     unix.MS_PRIVATE,
	"rprivate":    unix.MS_PRIVATE | unix.MS_REC,
	"unbindable":  unix.MS_UNBINDABLE,
	"runbindable": unix.MS_UNBINDABLE | unix.MS_REC,
}

// recAttr is a recursive option applied with mount_setattr(AT_RECURSIVE).
type recAttr struct {
	clear bool
	attr  uint64
}

var recAttrs = map[string]recAttr{
	"rro":            {false, unix.MOUNT_ATTR_RDONLY},
	"rrw":            {true, unix.MOUNT_ATTR_RDONLY},
	"rnosuid":        {false, unix.MOUNT_ATTR_NOSUID},
	"rsuid":          {true, unix.MOUNT_ATTR_NOSUID},
	"rnodev":         {false, unix.MOUNT_ATTR_NODEV},
	"rdev":           {true, unix.MOUNT_ATTR_NODEV},
	"rnoexec":        {false, unix.MOUNT_ATTR_NOEXEC},
	"rexec":          {true, unix.MOUNT_ATTR_NOEXEC},
	"rnodiratime":    {false, unix.MOUNT_ATTR_NODIRATIME},
	"rdiratime":      {true, unix.MOUNT_ATTR_NODIRATIME},
	"rrelatime":      {false, unix.MOUNT_ATTR_RELATIME},
	"rnorelatime":    {true, unix.MOUNT_ATTR_RELATIME},
	"rnoatime":       {false, unix.MOUNT_ATTR_NOATIME},
	"ratime":         {true, unix.MOUNT_ATTR_NOATIME},
	"rstrictatime":   {false, unix.MOUNT_ATTR_STRICTATIME},
	"rnostrictatime": {true, unix.MOUNT_ATTR_STRICTATIME},
	"rnosymfollow":   {false, unix.MOUNT_ATTR_NOSYMFOLLOW},
	"rsymfollow":     {true, unix.MOUNT_ATTR_NOSYMFOLLOW},
}

// atimeAttrs are the recursive options that change the access-time mode.
var atimeAttrs = map[string]bool{
	"rrelatime": true, "rnorelatime": true, "rnoatime": true, "ratime": true,
	"rstrictatime": true, "rnostrictatime": true,
}

// unsupportedMountOptions are options whose feature ocirun lacks; passing
// them to the kernel as data would fail with an unhelpful EINVAL.
var unsupportedMountOptions = map[string]bool{"tmpcopyup": true}

// idmapOptions ask for an idmapped bind mount: "idmap" for the top mount
// only, "ridmap" for every mount of the tree (true).
var idmapOptions = map[string]bool{"idmap": false, "ridmap": true}

// parsedMountOptions is the result of parseMountOptions.
type parsedMountOptions struct {
	flags, clearedFlags    int
	propagation            []int
	data                   string
	recAttrSet, recAttrClr uint64
	idmap, idmapRecursive  bool
}

// parseMountOptions sorts mount options into MS_* flags, propagation
// changes, recursive attributes and filesystem data. Later options win.
func parseMountOptions(options []string) (parsedMountOptions, error) {
	var p parsedMountOptions
	var data []string
	for _, o := range options {
		if unsupportedMountOptions[o] {
			return p, fmt.Errorf("%q is not supported yet", o)
		}
		if rec, ok := idmapOptions[o]; ok {
			p.idmap, p.idmapRecursive = true, rec
		} else if f, ok := mountFlags[o]; ok {
			p.applyFlag(f)
		} else if flag, ok := propagationFlags[o]; ok {
			p.propagation = append(p.propagation, flag)
		} else if a, ok := recAttrs[o]; ok {
			p.applyRecAttr(a, atimeAttrs[o])
		} else {
			data = append(data, o)
		}
	}
	p.data = strings.Join(data, ",")
	return p, nil
}

func (p *parsedMountOptions) applyFlag(f mountFlag) {
	if f.clear {
		p.flags &^= f.flag
		p.clearedFlags |= f.flag
	} else {
		p.flags |= f.flag
		p.clearedFlags &^= f.flag
	}
}

func (p *parsedMountOptions) applyRecAttr(a recAttr, selectsAtime bool) {
	if selectsAtime {
		// mount_setattr(2) changes the access-time mode only as a whole:
		// MOUNT_ATTR__ATIME in attr_clr and the new mode in attr_set
		// (relatime is 0, so clearing noatime or strictatime selects it).
		p.recAttrClr |= unix.MOUNT_ATTR__ATIME
		p.recAttrSet &^= unix.MOUNT_ATTR__ATIME
		if !a.clear {
			p.recAttrSet |= a.attr
		}
		return
	}
	if a.clear {
		p.recAttrClr |= a.attr
		p.recAttrSet &^= a.attr
		return
	}
	p.recAttrSet |= a.attr
	p.recAttrClr &^= a.attr
}
