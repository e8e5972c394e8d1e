// Package syncproto is the one protocol between the ocirun parent (the
// process running `create`/`run`) and the container's init process.
//
// # Processes
//
//	ocirun create|run (parent, Go)
//	  │ 1. validates the config, makes the state dir and the cgroups
//	  │ 2. seals its own binary (a read-only, detached overlayfs mount of
//	  │    the binary's directory, or a sealed memfd copy as a fallback) and
//	  │    execs it as "ocirun init" through /proc/self/fd/N, so that
//	  │    /proc/<init>/exe can never be opened for writing (CVE-2019-5736)
//	  │    without copying the binary.
//	  ▼
//	ocirun init — C stage (nsenter.c, runs before the Go runtime starts)
//	  │ joins the namespaces given by path (user first), unshares the ones
//	  │ the fast path could not create with clone flags, and forks once
//	  │ (CLONE_PARENT, so the parent can still wait for it) when the pid
//	  │ namespace must be entered that way. Fast path: when no namespace is
//	  │ joined, the parent creates all new namespaces with clone flags and
//	  │ the C stage does nothing.
//	  ▼
//	ocirun init — Go stage (libcontainer/internal/initproc)
//	     builds the rootfs, sets the process up, waits for `start` on the
//	     exec fifo (create) or not at all (run), and execs the user program.
//
// A plain new container (no user or joined namespaces, hooks that run in
// the container, --no-pivot, LSM label, idmapped mount, second proc
// mount, or what the exec plan cannot carry; see useInitStage) skips the
// Go stage too: with _OCIRUN_INIT_STAGE=1 the C stage reads the init
// start message (3c), and a thread of the parent, in the init's mount,
// uts, ipc, net and cgroup namespaces, builds the rootfs with the same
// code the Go stage runs (initproc.Build); its pivot_root moves the
// init's root too. The init then runs the exec plan (3b).
//
// `exec` of a plain process (no LSM label, scheduling attribute,
// seccomp listener, user namespace or paused container) skips the Go
// stage: with _OCIRUN_EXEC_STAGE=1 the C stage, after joining the
// namespaces, reads an exec plan (message 3b), sets the process up itself
// and execs the program. No Go runtime starts in the container then; that
// start was most of an exec's time. The binary still runs sealed until the
// program's execve.
//
// # Transport
//
// A SOCK_STREAM unix socketpair; the init's end is passed as an inherited fd
// whose number is in the environment variable _OCIRUN_SYNC_FD. Every message
// is a 4-byte big-endian length followed by that many bytes of JSON (an
// object with a "type" field). File descriptors travel as SCM_RIGHTS on the
// header bytes of the message they belong to.
//
// # Messages, in order
//
//  1. C stage → parent, only when the C stage forked the init:
//     {"type":"child-pid","pid":N} — the init's pid in the parent's pid
//     namespace. The forking intermediate process exits right after.
//  2. C stage → parent, only when the C stage itself unshared a user
//     namespace (a namespace was joined by path): {"type":"idmap-request",
//     "pid":N}; the parent writes /proc/N/{setgroups,uid_map,gid_map} and
//     answers {"type":"idmap-done"}.
//  3. parent → init: {"type":"config","init":{...InitConfig}} — sent only
//     after the parent has placed the init in its cgroups, so the init may
//     create its cgroup namespace as soon as it has read this message.
//     Its fds are the detached, already idmapped trees of the idmapped
//     bind mounts (at most MaxFds), in the order of InitConfig.IDMapped:
//     mount_setattr(MOUNT_ATTR_IDMAP) on a host filesystem needs
//     CAP_SYS_ADMIN in the host's user namespace, which an init in its own
//     user namespace lacks, so the parent makes them; the init attaches
//     them with move_mount.
//     3b, instead, for exec with _OCIRUN_EXEC_STAGE (parent → C stage):
//     the exec plan, a binary body (ExecPlan, execplan.go) in the same
//     framing, no fds. The parent has placed the process in its cgroups
//     and written its oom_score_adj; the C stage sends "console" (5) with a
//     terminal, then "ready" (7) or "error" (8), and execs, in the order
//     of the Go init's setupConsole and prepareProcess.
//     3c, instead, for create/run with _OCIRUN_INIT_STAGE (parent → C
//     stage): "init-start" (InitStart, initstart.go; binary, no fds), sent
//     once the init is in its cgroups and its oom_score_adj is written.
//     The C stage opens the host's /proc (create: to reopen the exec fifo
//     after pivot_root), unshares its cgroup namespace if asked, and
//     answers {"type":"procfs"}, with a proc filesystem context
//     (fsopen("proc")) as its fd when asked: a procfs shows the pid
//     namespace of the process that opened the context, and the parent's
//     builder thread is outside the container's. The parent builds the
//     rootfs, then sends the exec plan (3b); the C stage continues as for
//     exec (with a terminal it also bind-mounts the pty on /dev/console,
//     as the Go stage does), and for create waits on the exec fifo between
//     "ready" and execve (see "The exec fifo").
//  4. init → parent, only when the config has prestart or createRuntime
//     hooks: {"type":"hooks","phase":"createRuntime"} once the mounts are
//     done, before pivot_root. The parent runs the prestart and
//     createRuntime hooks (runtime namespace) and answers
//     {"type":"hooks-done"}; the init then runs the createContainer hooks
//     itself (container namespace) and pivots.
//  5. init → parent, only with process.terminal: {"type":"console"} with
//     the pty master as its fd, once the container's devpts is mounted
//     (after pivot_root). The parent hands it to --console-socket or copies
//     it to its own stdio.
//  6. init → parent, only when a linux.seccomp rule uses SCMP_ACT_NOTIFY:
//     {"type":"seccomp-notify"} with the seccomp notify fd (the listener
//     seccomp(2) returned for SECCOMP_FILTER_FLAG_NEW_LISTENER) as its fd,
//     sent right after the init loaded the filter. The parent connects to
//     linux.seccomp.listenerPath, sends the runtime-spec "Seccomp state"
//     (specs.ContainerProcessState, fds ["seccompFd"]) with the fd as
//     SCM_RIGHTS, and closes its copy; the init closed its own. No answer:
//     syscalls the filter traps simply wait for the agent. With a listener
//     the filter is always loaded before "ready", even with
//     noNewPrivileges (which otherwise loads it right before execve),
//     because `create` stops reading the socket after "ready".
//     `exec` does the same for the exec'd process.
//  7. init → parent: {"type":"ready"} once the container is built and the
//     program is found. With create the parent then records the state and
//     exits; the init blocks opening the exec fifo until `start`.
//     With exec into a paused container (AwaitGo) the parent then places the
//     process in the (frozen) cgroups and sends {"type":"go"}; the process
//     reads it and execs once the container is resumed.
//  8. Any time, init → parent: {"type":"error","msg":"..."}; the init then
//     exits non-zero. The parent reports msg as the operation's error.
//
// On a successful exec the init's end of the socket is closed (it is
// O_CLOEXEC), so the parent of `run` reads EOF after "ready".
//
// # The seccomp filter
//
// The parent compiles linux.seccomp into raw BPF (InitConfig.Seccomp); the
// init loads it with one seccomp(2) call: without noNewPrivileges just
// before dropping capabilities (loading needs CAP_SYS_ADMIN then), with it
// right before execve, after the exec fifo and the startContainer hooks,
// or before "ready" when a listener fd must be sent (message 6).
//
// # The exec fifo (create, then start)
//
// `start` opens <root>/<id>/exec.fifo for reading, which lets the init's
// blocked open for writing return. The init runs the startContainer hooks,
// then writes "0" (go) or "1" followed by an error text, and execs (the
// fifo fd is O_CLOEXEC): `start` reads until EOF.
package syncproto

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/phases"
)

// EnvSyncFd names the environment variable holding the init's socket fd.
const EnvSyncFd = "_OCIRUN_SYNC_FD"

// Message types.
const (
	TypeChildPid     = "child-pid"
	TypeIdmapRequest = "idmap-request"
	TypeIdmapDone    = "idmap-done"
	TypeConfig       = "config"
	TypeHooks        = "hooks"
	TypeHooksDone    = "hooks-done"
	TypeConsole      = "console"
	// TypeSeccompNotify carries the seccomp notify fd (init → parent).
	TypeSeccompNotify = "seccomp-notify"
	TypeReady         = "ready"
	TypeGo            = "go"
	TypeError         = "error"
)

// maxMessage bounds a message so a corrupt header cannot make us allocate
// gigabytes.
const maxMessage = 64 << 20

// InitConfig is the payload of the "config" message.
type InitConfig struct {
	ID      string           `json:"id"`
	Config  *configs.Config  `json:"config"`
	Process *configs.Process `json:"process"`
	// Create is true for `create` (wait on the exec fifo before exec'ing)
	// and false for `run` (exec as soon as the container is built).
	Create bool `json:"create"`
	// FifoFd is the init's fd (an O_PATH handle) of the exec fifo.
	FifoFd int `json:"fifo_fd,omitempty"`
	// PreserveFds is how many fds after stdio (3, 4, ...) go to the program.
	PreserveFds int `json:"preserve_fds,omitempty"`
	// NewCgroupNs asks the init to unshare its cgroup namespace once placed.
	NewCgroupNs bool `json:"new_cgroup_ns,omitempty"`
	// Exec is set for `exec`: the init joined a running container and only
	// sets up and execs the process (no rootfs, no fifo).
	Exec bool `json:"exec,omitempty"`
	// AwaitGo makes the init wait for a "go" message after "ready".
	AwaitGo bool `json:"await_go,omitempty"`
	// Pid (in the parent's pid namespace) and Bundle fill the state given
	// to the hooks the init runs itself.
	Pid    int    `json:"pid,omitempty"`
	Bundle string `json:"bundle,omitempty"`
	// Seccomp is the container's filter compiled by the parent (nil:
	// none); the init loads it without libseccomp.
	Seccomp *configs.SeccompProgram `json:"seccomp,omitempty"`
	// Debug asks the init to time its phases and report them with "ready".
	Debug bool `json:"debug,omitempty"`
	// IDMapped lists the indexes in Config.Mounts of the idmapped bind
	// mounts whose trees come as the config message's fds, in that order.
	IDMapped []int `json:"idmapped,omitempty"`
}

// MaxFds is the most fds one message may carry.
const MaxFds = 64

// Message is one message of the protocol.
type Message struct {
	Type string `json:"type"`
	Pid  int    `json:"pid,omitempty"`
	Msg  string `json:"msg,omitempty"`
	// Phase names the hooks to run (hooks messages).
	Phase string      `json:"phase,omitempty"`
	Init  *InitConfig `json:"init,omitempty"`
	// Phases are the init's timings, on "ready" when InitConfig.Debug.
	Phases []phases.Phase `json:"phases,omitempty"`
}

// MarshalJSON encodes the config as usual. Having it keeps encoding/json
// from building the encoders of the whole config type tree whenever a
// Message is marshalled: the init sends only small messages, and building
// them cost it about a millisecond and 40 page faults per container.
func (c *InitConfig) MarshalJSON() ([]byte, error) {
	type plain InitConfig // the same fields, without this method
	return json.Marshal((*plain)(c))
}

// Send writes msg (and fds, if any) to the socket.
func Send(sock *os.File, msg *Message, fds ...int) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("encode %s message: %w", msg.Type, err)
	}
	buf := make([]byte, 4+len(body))
	binary.BigEndian.PutUint32(buf, uint32(len(body)))
	copy(buf[4:], body)
	var oob []byte
	if len(fds) > 0 {
		oob = unix.UnixRights(fds...)
	}
	n, err := sendmsg(int(sock.Fd()), buf, oob)
	if err != nil {
		return fmt.Errorf("send %s message: %w", msg.Type, err)
	}
	if n < len(buf) {
		if _, err := sock.Write(buf[n:]); err != nil {
			return fmt.Errorf("send %s message: %w", msg.Type, err)
		}
	}
	return nil
}

func sendmsg(fd int, buf, oob []byte) (int, error) {
	for {
		n, err := unix.SendmsgN(fd, buf, oob, nil, 0)
		if err == unix.EINTR {
			continue
		}
		return n, err
	}
}

// ErrClosed is returned by Recv when the peer closed the socket between
// messages (for the init: it exec'd or died).
var ErrClosed = errors.New("sync socket closed")

// Recv reads one message and the fds that came with it.
func Recv(sock *os.File) (*Message, []int, error) {
	hdr := make([]byte, 4)
	oob := make([]byte, unix.CmsgSpace(4*MaxFds))
	n, oobn, err := recvmsg(int(sock.Fd()), hdr, oob)
	if err != nil {
		return nil, nil, fmt.Errorf("receive message: %w", err)
	}
	if n == 0 {
		return nil, nil, ErrClosed
	}
	fds, err := parseRights(oob[:oobn])
	if err != nil {
		return nil, nil, err
	}
	if n < 4 {
		if _, err := io.ReadFull(sock, hdr[n:]); err != nil {
			return nil, fds, fmt.Errorf("receive message header: %w", err)
		}
	}
	size := binary.BigEndian.Uint32(hdr)
	if size > maxMessage {
		return nil, fds, fmt.Errorf("receive message: size %d too large", size)
	}
	body := make([]byte, size)
	if _, err := io.ReadFull(sock, body); err != nil {
		return nil, fds, fmt.Errorf("receive message body: %w", err)
	}
	msg := new(Message)
	if err := json.Unmarshal(body, msg); err != nil {
		return nil, fds, fmt.Errorf("decode message: %w", err)
	}
	return msg, fds, nil
}

func recvmsg(fd int, buf, oob []byte) (int, int, error) {
	for {
		n, oobn, _, _, err := unix.Recvmsg(fd, buf, oob, unix.MSG_CMSG_CLOEXEC)
		if err == unix.EINTR {
			continue
		}
		return n, oobn, err
	}
}

func parseRights(oob []byte) ([]int, error) {
	if len(oob) == 0 {
		return nil, nil
	}
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return nil, fmt.Errorf("parse control message: %w", err)
	}
	var fds []int
	for i := range msgs {
		rights, err := unix.ParseUnixRights(&msgs[i])
		if err != nil {
			return nil, fmt.Errorf("parse fds: %w", err)
		}
		fds = append(fds, rights...)
	}
	return fds, nil
}

// Expect receives one message and checks its type. An "error" message
// becomes a Go error carrying the init's text.
func Expect(sock *os.File, want string) (*Message, []int, error) {
	msg, fds, err := Recv(sock)
	if err != nil {
		return nil, fds, err
	}
	if msg.Type == TypeError {
		return msg, fds, errors.New(msg.Msg)
	}
	if msg.Type != want {
		return msg, fds, fmt.Errorf("protocol error: got %q message, want %q", msg.Type, want)
	}
	return msg, fds, nil
}
