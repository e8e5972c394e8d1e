package libcontainer

import (
	"github.com/ocirun/ocirun/libcontainer/internal/initproc"
)

// Init is the container init's entry point. A binary using libcontainer
// must call it at the very start of main when os.Args[1] is "init"; it
// never returns.
func Init() {
	if isIDMapHolder() { // a user namespace holder for idmapped mounts
		idmapHolderMain()
	}
	initproc.Main()
}
