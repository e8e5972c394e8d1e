package libcontainer

import (
	"github.com/sirupsen/logrus"

	"github.com/ocirun/ocirun/libcontainer/internal/phases"
)

// debugging is true under --debug: then every phase of a container start
// is timed and logged, the init's included, so a slow one shows.
func debugging() bool { return logrus.IsLevelEnabled(logrus.DebugLevel) }

// mark ends a phase of clock and logs it.
func mark(clock *phases.Clock, name string) {
	logPhase("", clock.Mark(name))
}

func logPhase(prefix string, p phases.Phase) {
	if p.Name != "" {
		logrus.Debugf("phase %-50s %8.3f ms", prefix+p.Name, float64(p.Micros)/1000)
	}
}
