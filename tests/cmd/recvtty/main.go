// Command recvtty is the receiving end of a runtime's --console-socket, for
// the integration tests: it accepts one connection on a unix socket, takes
// the pty master the runtime sends with SCM_RIGHTS and copies the
// container's terminal output to stdout until the container side closes.
//
// Usage:
//
//	recvtty [-mode capture|echo] [-input TEXT] [-ready FILE] [-timeout D] SOCKET_PATH
//
// capture (the default) writes TEXT to the terminal, then copies everything
// the container prints to stdout. echo does the same and also forwards
// recvtty's own stdin to the terminal, for interactive use.
//
// It exits 0 once the terminal hangs up (EIO or EOF on the master: every
// slave fd in the container is closed) and 1 on any failure.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// maxFds bounds the control buffer: runtimes send one fd, but room for a
// few more lets a misbehaving sender be reported instead of truncated.
const maxFds = 8

// options are the parsed command line.
type options struct {
	mode    string
	input   string
	ready   string
	timeout time.Duration
	socket  string
	// deadline ends every wait (zero: none); set from timeout at start.
	deadline time.Time
}

func main() {
	opts, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fail(err)
	}
	if opts.timeout > 0 {
		// A runtime that never connects, or a container that never exits,
		// must not hang the test suite. Deadlines rather than a timer that
		// exits, so that the socket file is still removed.
		opts.deadline = time.Now().Add(opts.timeout)
	}
	if err := run(opts); err != nil {
		fail(err)
	}
}

// fail reports err on stderr and exits 1.
func fail(err error) {
	fmt.Fprintf(os.Stderr, "recvtty: %v\n", err)
	os.Exit(1)
}

// parseFlags reads the flags and the socket path argument.
func parseFlags(args []string) (options, error) {
	var opts options
	fs := flag.NewFlagSet("recvtty", flag.ContinueOnError)
	fs.StringVar(&opts.mode, "mode", "capture", "capture: copy the terminal to stdout; echo: also copy stdin to the terminal")
	fs.StringVar(&opts.input, "input", "", "text written to the terminal once it is received")
	fs.StringVar(&opts.ready, "ready", "", "file created once the socket is listening")
	fs.DurationVar(&opts.timeout, "timeout", 0, "give up (exit 1) after this long; 0 waits forever")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: recvtty [-mode capture|echo] [-input TEXT] [-ready FILE] [-timeout D] SOCKET_PATH")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return opts, err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return opts, fmt.Errorf("expected one SOCKET_PATH argument, got %d", fs.NArg())
	}
	opts.socket = fs.Arg(0)
	if opts.mode != "capture" && opts.mode != "echo" {
		return opts, fmt.Errorf("-mode %q: must be capture or echo", opts.mode)
	}
	return opts, nil
}

// run receives the pty master and relays it until the container hangs up.
func run(opts options) error {
	master, err := receiveMaster(opts)
	if err != nil {
		return err
	}
	defer master.Close()
	if opts.input != "" {
		if _, err := io.WriteString(master, opts.input); err != nil {
			return fmt.Errorf("write -input to the terminal: %w", err)
		}
	}
	if opts.mode == "echo" {
		// Ends with the process; a stdin that outlives the container is
		// not worth waiting for.
		go forwardStdin(master)
	}
	if err := master.SetReadDeadline(opts.deadline); err != nil {
		return fmt.Errorf("set a read deadline on the terminal: %w", err)
	}
	err = copyUntilHangup(os.Stdout, master)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("timed out after %s waiting for the terminal to hang up (is a process still holding it?): %w", opts.timeout, err)
	}
	return err
}

// receiveMaster listens on path, accepts one connection and returns the fd
// it carries. The listener is closed (and the socket file removed) before
// returning, so that a second runtime cannot connect by mistake.
func receiveMaster(opts options) (*os.File, error) {
	ln, err := listen(opts.socket)
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	if err := ln.SetDeadline(opts.deadline); err != nil {
		return nil, fmt.Errorf("set a deadline on %s: %w", opts.socket, err)
	}
	if opts.ready != "" {
		if err := os.WriteFile(opts.ready, []byte(opts.socket+"\n"), 0o644); err != nil {
			return nil, fmt.Errorf("create -ready file %s: %w", opts.ready, err)
		}
	}
	conn, err := ln.AcceptUnix()
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return nil, fmt.Errorf("timed out after %s waiting for a connection on %s: %w", opts.timeout, opts.socket, err)
	}
	if err != nil {
		return nil, fmt.Errorf("accept on %s: %w", opts.socket, err)
	}
	defer conn.Close()
	if err := conn.SetReadDeadline(opts.deadline); err != nil {
		return nil, fmt.Errorf("set a read deadline on the connection to %s: %w", opts.socket, err)
	}
	return receiveFd(conn)
}

// listen binds a unix socket at path, replacing a stale socket file but
// never another kind of file (a typo must not delete someone's data).
func listen(path string) (*net.UnixListener, error) {
	if err := removeStaleSocket(path); err != nil {
		return nil, err
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	return ln, nil
}

// removeStaleSocket removes a socket file left by an earlier run.
func removeStaleSocket(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("stat %s: %w", path, err)
	}
	if fi.Mode().Type() != os.ModeSocket {
		return fmt.Errorf("%s exists and is not a socket; not removing it", path)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("remove stale socket %s: %w", path, err)
	}
	return nil
}

// receiveFd reads one message and returns the single fd of its
// SCM_RIGHTS control message, named after the message data (runtimes send
// the pty's name there).
func receiveFd(conn *net.UnixConn) (*os.File, error) {
	name := make([]byte, 4096)
	oob := make([]byte, unix.CmsgSpace(maxFds*4))
	n, oobn, flags, _, err := conn.ReadMsgUnix(name, oob)
	if err != nil {
		return nil, fmt.Errorf("recvmsg on the console socket: %w", err)
	}
	fds, err := parseRights(oob[:oobn])
	if err != nil {
		return nil, err
	}
	if flags&unix.MSG_CTRUNC != 0 {
		closeFds(fds)
		return nil, errors.New("recvmsg on the console socket: control message truncated (more than one fd sent?)")
	}
	if len(fds) != 1 {
		closeFds(fds)
		return nil, fmt.Errorf("console socket message carried %d fds, want exactly 1", len(fds))
	}
	return masterFile(fds[0], string(name[:n]))
}

// masterFile wraps the received fd. Non-blocking mode puts it in Go's
// poller, which is what makes read deadlines work on it.
func masterFile(fd int, name string) (*os.File, error) {
	if name == "" {
		name = "pty-master"
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("set O_NONBLOCK on the received fd %q: %w", name, err)
	}
	return os.NewFile(uintptr(fd), name), nil
}

// parseRights collects the fds of every SCM_RIGHTS control message.
func parseRights(oob []byte) ([]int, error) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return nil, fmt.Errorf("parse console socket control message: %w", err)
	}
	var fds []int
	for i := range msgs {
		got, err := unix.ParseUnixRights(&msgs[i])
		if err != nil {
			closeFds(fds)
			return nil, fmt.Errorf("parse SCM_RIGHTS of the console socket message: %w", err)
		}
		fds = append(fds, got...)
	}
	return fds, nil
}

// closeFds closes fds that will not be used.
func closeFds(fds []int) {
	for _, fd := range fds {
		unix.Close(fd)
	}
}

// copyUntilHangup copies the terminal to out. Once the last slave fd is
// closed the master reads EIO (Linux) or EOF: that is the normal end.
func copyUntilHangup(out io.Writer, master *os.File) error {
	buf := make([]byte, 32*1024)
	for {
		n, err := master.Read(buf)
		if n > 0 {
			if _, werr := out.Write(buf[:n]); werr != nil {
				return fmt.Errorf("write terminal output to stdout: %w", werr)
			}
		}
		if err == nil {
			continue
		}
		if errors.Is(err, io.EOF) || errors.Is(err, syscall.EIO) {
			return nil
		}
		return fmt.Errorf("read from the terminal %s: %w", master.Name(), err)
	}
}

// forwardStdin copies recvtty's stdin to the terminal (echo mode).
func forwardStdin(master *os.File) {
	if _, err := io.Copy(master, os.Stdin); err != nil {
		fmt.Fprintf(os.Stderr, "recvtty: copy stdin to the terminal: %v\n", err)
	}
}
