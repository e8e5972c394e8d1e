// Package netlink is the little rtnetlink ocirun needs: find a network
// interface by name and move it (renamed) to another network namespace.
// A netlink socket works in the network namespace it was created in.
package netlink

import (
	"encoding/binary"
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
)

// Socket is a NETLINK_ROUTE socket bound to one network namespace.
type Socket struct {
	fd  int
	seq uint32
}

// Open creates a socket in the calling thread's network namespace.
func Open() (*Socket, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("netlink socket: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("netlink bind: %w", err)
	}
	return &Socket{fd: fd}, nil
}

// Close releases the socket.
func (s *Socket) Close() error { return unix.Close(s.fd) }

// LinkIndex returns the index of the interface called name.
func (s *Socket) LinkIndex(name string) (int, error) {
	reply, err := s.request(unix.RTM_GETLINK, 0, attr(unix.IFLA_IFNAME, cstring(name)))
	if err != nil {
		return 0, fmt.Errorf("interface %q: %w", name, err)
	}
	if len(reply) < unix.SizeofNlMsghdr+unix.SizeofIfInfomsg {
		return 0, fmt.Errorf("interface %q: short netlink reply", name)
	}
	return int(int32(binary.NativeEndian.Uint32(reply[unix.SizeofNlMsghdr+4:]))), nil
}

// MoveToPid moves interface index to the network namespace of process
// pid, naming it newName there.
func (s *Socket) MoveToPid(index int, newName string, pid int) error {
	return s.setLink(index, attr(unix.IFLA_NET_NS_PID, u32(uint32(pid))), attr(unix.IFLA_IFNAME, cstring(newName)))
}

// MoveToFd moves interface index to the network namespace open as nsFd,
// naming it newName there.
func (s *Socket) MoveToFd(index int, newName string, nsFd int) error {
	return s.setLink(index, attr(unix.IFLA_NET_NS_FD, u32(uint32(nsFd))), attr(unix.IFLA_IFNAME, cstring(newName)))
}

func (s *Socket) setLink(index int, attrs ...[]byte) error {
	_, err := s.request(unix.RTM_SETLINK, index, attrs...)
	return err
}

// request sends one message (an ifinfomsg for index plus attrs) and
// returns the reply: the kernel's answer to a GET, or nil after an ACK.
func (s *Socket) request(typ uint16, index int, attrs ...[]byte) ([]byte, error) {
	s.seq++
	body := make([]byte, unix.SizeofIfInfomsg)
	body[0] = unix.AF_UNSPEC
	binary.NativeEndian.PutUint32(body[4:], uint32(int32(index)))
	for _, a := range attrs {
		body = append(body, a...)
	}
	msg := make([]byte, unix.SizeofNlMsghdr, unix.SizeofNlMsghdr+len(body))
	binary.NativeEndian.PutUint32(msg[0:], uint32(unix.SizeofNlMsghdr+len(body)))
	binary.NativeEndian.PutUint16(msg[4:], typ)
	binary.NativeEndian.PutUint16(msg[6:], unix.NLM_F_REQUEST|unix.NLM_F_ACK)
	binary.NativeEndian.PutUint32(msg[8:], s.seq)
	msg = append(msg, body...)
	if err := unix.Sendto(s.fd, msg, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil, fmt.Errorf("netlink send: %w", err)
	}
	return s.receive()
}

// receive reads until the ACK (or error) of the current request; a data
// message before it is the reply.
func (s *Socket) receive() ([]byte, error) {
	var reply []byte
	buf := make([]byte, 1<<16)
	for {
		n, _, err := unix.Recvfrom(s.fd, buf, 0)
		if err != nil {
			return nil, fmt.Errorf("netlink receive: %w", err)
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			return nil, fmt.Errorf("netlink receive: %w", err)
		}
		for _, m := range msgs {
			if m.Header.Seq != s.seq {
				continue
			}
			if m.Header.Type != unix.NLMSG_ERROR {
				reply = append(hdrBytes(m.Header), m.Data...)
				continue
			}
			if len(m.Data) < 4 {
				return nil, fmt.Errorf("netlink: short error message")
			}
			if code := int32(binary.NativeEndian.Uint32(m.Data)); code != 0 {
				return nil, syscall.Errno(-code)
			}
			return reply, nil
		}
	}
}

func hdrBytes(h syscall.NlMsghdr) []byte {
	b := make([]byte, unix.SizeofNlMsghdr)
	binary.NativeEndian.PutUint32(b[0:], h.Len)
	binary.NativeEndian.PutUint16(b[4:], h.Type)
	return b
}

// attr encodes one rtattr, padded to 4 bytes.
func attr(typ uint16, data []byte) []byte {
	l := unix.SizeofRtAttr + len(data)
	b := make([]byte, (l+3)&^3)
	binary.NativeEndian.PutUint16(b[0:], uint16(l))
	binary.NativeEndian.PutUint16(b[2:], typ)
	copy(b[unix.SizeofRtAttr:], data)
	return b
}

func u32(v uint32) []byte {
	b := make([]byte, 4)
	binary.NativeEndian.PutUint32(b, v)
	return b
}

func cstring(s string) []byte { return append([]byte(s), 0) }
