package libcontainer

import (
	"os"
	"os/signal"
)

// signalRelay catches every signal for a foreground run or exec, which
// forwards them to the container's process. Enabling (and disabling) the
// relay costs one round trip to the Go runtime's signal-mask thread per
// signal, 2–5 ms for all of them on a small VM, so it happens in the
// background while the container's init starts; wait must return before
// the program can run, so that no signal meant for it is lost.
type signalRelay struct {
	sigs  chan os.Signal
	ready chan struct{}
}

func startSignalRelay() *signalRelay {
	r := &signalRelay{sigs: make(chan os.Signal, 128), ready: make(chan struct{})}
	go func() {
		signal.Notify(r.sigs)
		close(r.ready)
	}()
	return r
}

// wait returns once every signal is caught. A nil relay (detached) is
// ready at once.
func (r *signalRelay) wait() {
	if r != nil {
		<-r.ready
	}
}

// stop ends the relay in the background: the caller is about to return
// (the CLI to exit), and nothing depends on when the handlers go away.
func (r *signalRelay) stop() {
	go func() {
		r.wait()
		signal.Stop(r.sigs)
	}()
}
