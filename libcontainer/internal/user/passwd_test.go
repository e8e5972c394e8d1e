package user

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

const samplePasswd = `root:x:0:0:root:/root:/bin/bash
# a comment line
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin

broken-too-few:x:2:2
broken-too-many:x:3:3:g:/h:/s:extra
badid:x:abc:4:g:/bad:/bin/sh
badgid:x:5:-1:g:/bad:/bin/sh
huge:x:4294967296:6:g:/bad:/bin/sh
:x:7:7:noname:/bad:/bin/sh
:::::::
nohome:x:1001:1001:No Home::/bin/sh
app:x:1000:1000:App User,,,:/home/app:/bin/sh
dup:x:1000:1000::/home/dup:/bin/sh
`

func TestParsePasswdSkipsMalformed(t *testing.T) {
	got, err := ParsePasswd(strings.NewReader(samplePasswd))
	if err != nil {
		t.Fatalf("ParsePasswd: %v", err)
	}
	want := []PasswdEntry{
		{Name: "root", UID: 0, GID: 0, Gecos: "root", Home: "/root", Shell: "/bin/bash"},
		{Name: "daemon", UID: 1, GID: 1, Gecos: "daemon", Home: "/usr/sbin", Shell: "/usr/sbin/nologin"},
		{Name: "nohome", UID: 1001, GID: 1001, Gecos: "No Home", Home: "", Shell: "/bin/sh"},
		{Name: "app", UID: 1000, GID: 1000, Gecos: "App User,,,", Home: "/home/app", Shell: "/bin/sh"},
		{Name: "dup", UID: 1000, GID: 1000, Gecos: "", Home: "/home/dup", Shell: "/bin/sh"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParsePasswd =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParsePasswdLineNeverPanics(t *testing.T) {
	for _, line := range []string{"", ":", "::::::", "\x00:\x00", "a:b:c:d:e:f:g", strings.Repeat(":", 1000)} {
		if _, ok := parsePasswdLine(line); ok {
			t.Errorf("parsePasswdLine(%q) accepted a malformed line", line)
		}
	}
}

func TestHomeDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(path, []byte(samplePasswd), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		uid  uint32
		want string
	}{
		{0, "/root"},
		{1000, "/home/app"}, // first entry wins, like getpwuid
		{1001, "/"},         // empty home field
		{4242, "/"},         // no entry
		{5, "/"},            // only a malformed line
	}
	for _, tt := range tests {
		if got := HomeDir(path, tt.uid); got != tt.want {
			t.Errorf("HomeDir(uid %d) = %q, want %q", tt.uid, got, tt.want)
		}
	}
}

func TestHomeDirMissingFile(t *testing.T) {
	if got := HomeDir(filepath.Join(t.TempDir(), "nope"), 0); got != "/" {
		t.Errorf("HomeDir(missing) = %q, want /", got)
	}
}

// A FIFO in place of /etc/passwd must not block the init.
func TestHomeDirFifoDoesNotBlock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "passwd")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if got := HomeDir(path, 0); got != "/" {
		t.Errorf("HomeDir(fifo) = %q, want /", got)
	}
}

func TestHomeDirDirectory(t *testing.T) {
	if got := HomeDir(t.TempDir(), 0); got != "/" {
		t.Errorf("HomeDir(dir) = %q, want /", got)
	}
}
