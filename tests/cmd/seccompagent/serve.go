package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// logger appends lines to the log, one writer at a time.
type logger struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *logger) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format+"\n", args...)
}

// serve accepts runtime connections until the timeout.
func serve(opts options) error {
	out := io.Writer(os.Stdout)
	if opts.log != "" {
		f, err := os.OpenFile(opts.log, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	log := &logger{w: out}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: opts.socket, Net: "unix"})
	if err != nil {
		return err
	}
	defer ln.Close() // removes the socket file
	if err := ln.SetDeadline(time.Now().Add(opts.timeout)); err != nil {
		return err
	}
	if opts.ready != "" {
		if err := os.WriteFile(opts.ready, nil, 0o644); err != nil {
			return err
		}
	}
	for {
		conn, err := ln.AcceptUnix()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil
		}
		if err != nil {
			return err
		}
		fd, err := receiveState(conn, log)
		conn.Close()
		if err != nil {
			log.printf("error %v", err)
			continue
		}
		go answer(fd, opts.errno, log)
	}
}

// receiveState reads the state JSON (until the runtime closes) and the
// notify fd sent with it, and checks the state names the fd.
func receiveState(conn *net.UnixConn, log *logger) (int, error) {
	var state bytes.Buffer
	fd := -1
	buf := make([]byte, 4096)
	oob := make([]byte, unix.CmsgSpace(4*4))
	for {
		n, oobn, _, _, err := conn.ReadMsgUnix(buf, oob)
		state.Write(buf[:n])
		if oobn > 0 && fd < 0 {
			if fd, err = parseFd(oob[:oobn]); err != nil {
				return -1, err
			}
		}
		if errors.Is(err, io.EOF) || (err == nil && n == 0) {
			break
		}
		if err != nil {
			return -1, err
		}
	}
	log.printf("state %s", bytes.TrimSpace(state.Bytes()))
	var st specs.ContainerProcessState
	if err := json.Unmarshal(state.Bytes(), &st); err != nil {
		return -1, fmt.Errorf("decode state: %w", err)
	}
	if fd < 0 || len(st.Fds) != 1 || st.Fds[0] != specs.SeccompFdName {
		return -1, fmt.Errorf("state fds %q with fd %d: want [%q] and one fd", st.Fds, fd, specs.SeccompFdName)
	}
	return fd, nil
}

func parseFd(oob []byte) (int, error) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil || len(msgs) != 1 {
		return -1, fmt.Errorf("control message: %d messages, %v", len(msgs), err)
	}
	fds, err := unix.ParseUnixRights(&msgs[0])
	if err != nil || len(fds) != 1 {
		return -1, fmt.Errorf("SCM_RIGHTS: %d fds, %v", len(fds), err)
	}
	return fds[0], nil
}
