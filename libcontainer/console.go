package libcontainer

import (
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// sendConsole hands the pty master to the engine listening on the
// --console-socket, as one message whose data is the name and whose
// SCM_RIGHTS carry the fd (what containerd's and conmon's receivers read).
func sendConsole(socketPath string, master *os.File) error {
	conn, err := net.Dial("unix", socketPath)
	if err != nil {
		return fmt.Errorf("--console-socket: %w", err)
	}
	defer conn.Close()
	uc, ok := conn.(*net.UnixConn)
	if !ok {
		return fmt.Errorf("--console-socket %s: not a unix socket", socketPath)
	}
	rights := unix.UnixRights(int(master.Fd()))
	if _, _, err := uc.WriteMsgUnix([]byte(master.Name()), rights, nil); err != nil {
		return fmt.Errorf("--console-socket: send pty: %w", err)
	}
	return nil
}

// terminal copies between our stdio and a container's pty master for a
// foreground run or exec, with our terminal in raw mode meanwhile.
type terminal struct {
	master  *os.File
	restore *unix.Termios
	out     sync.WaitGroup
}

func startTerminal(master *os.File) *terminal {
	t := &terminal{master: master}
	if old, err := unix.IoctlGetTermios(0, unix.TCGETS); err == nil {
		raw := *old
		makeRaw(&raw)
		if unix.IoctlSetTermios(0, unix.TCSETS, &raw) == nil {
			t.restore = old
		}
	}
	t.resize()
	go io.Copy(master, os.Stdin)
	t.out.Add(1)
	go func() {
		defer t.out.Done()
		io.Copy(os.Stdout, master) // ends with EIO once the slave is gone
	}()
	return t
}

// resize copies our window size to the pty (on start and on SIGWINCH).
func (t *terminal) resize() {
	if t == nil {
		return
	}
	if ws, err := unix.IoctlGetWinsize(0, unix.TIOCGWINSZ); err == nil {
		unix.IoctlSetWinsize(int(t.master.Fd()), unix.TIOCSWINSZ, ws)
	}
}

// close waits (briefly: a leftover process may hold the pty) for the
// output to drain, and restores our terminal.
func (t *terminal) close() {
	if t == nil {
		return
	}
	drained := make(chan struct{})
	go func() { t.out.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(2 * time.Second):
	}
	t.master.Close()
	if t.restore != nil {
		unix.IoctlSetTermios(0, unix.TCSETS, t.restore)
	}
}

// makeRaw is cfmakeraw(3).
func makeRaw(t *unix.Termios) {
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN] = 1
	t.Cc[unix.VTIME] = 0
}
