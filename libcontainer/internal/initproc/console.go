package initproc

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/rootfs"
	"github.com/ocirun/ocirun/libcontainer/internal/syncproto"
)

// setupConsole gives the process a terminal: a new pty pair from the
// container's own devpts (so the host's ptys are never involved), the
// master sent to the parent, the slave made our controlling terminal and
// stdio. With mountConsole, /dev/console becomes the slave too.
func setupConsole(sock *os.File, p *configs.Process, mountConsole bool) error {
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("process.terminal: open /dev/ptmx: %w", err)
	}
	defer master.Close()
	slave, err := openPeer(master)
	if err != nil {
		return err
	}
	defer unix.Close(slave)
	if p.ConsoleSize != nil {
		ws := &unix.Winsize{Row: uint16(p.ConsoleSize.Height), Col: uint16(p.ConsoleSize.Width)}
		if err := unix.IoctlSetWinsize(slave, unix.TIOCSWINSZ, ws); err != nil {
			return fmt.Errorf("process.consoleSize: %w", err)
		}
	}
	if mountConsole {
		if err := rootfs.MountConsole(slave); err != nil {
			return err
		}
	}
	if err := syncproto.Send(sock, &syncproto.Message{Type: syncproto.TypeConsole}, int(master.Fd())); err != nil {
		return err
	}
	return becomeTerminalOwner(slave)
}

// openPeer unlocks the master and opens its slave through the master
// (TIOCGPTPEER), never by a path that could be swapped.
func openPeer(master *os.File) (int, error) {
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		return -1, fmt.Errorf("process.terminal: unlock pty: %w", err)
	}
	fd, _, errno := unix.Syscall(unix.SYS_IOCTL, master.Fd(), unix.TIOCGPTPEER, unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC)
	if errno != 0 {
		return -1, fmt.Errorf("process.terminal: open pty slave: %w", errno)
	}
	return int(fd), nil
}

// becomeTerminalOwner starts a new session with the slave as controlling
// terminal and as stdin, stdout and stderr.
func becomeTerminalOwner(slave int) error {
	if _, err := unix.Setsid(); err != nil {
		return fmt.Errorf("process.terminal: setsid: %w", err)
	}
	if err := unix.IoctlSetInt(slave, unix.TIOCSCTTY, 0); err != nil {
		return fmt.Errorf("process.terminal: set controlling terminal: %w", err)
	}
	for fd := 0; fd < 3; fd++ {
		if err := unix.Dup3(slave, fd, 0); err != nil {
			return fmt.Errorf("process.terminal: dup pty to fd %d: %w", fd, err)
		}
	}
	return nil
}
