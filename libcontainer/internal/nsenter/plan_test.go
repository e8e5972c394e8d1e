package nsenter

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

func ns(t configs.NamespaceType, path string) configs.Namespace {
	return configs.Namespace{Type: t, Path: path}
}

func TestMakePlanFastPath(t *testing.T) {
	p := MakePlan([]configs.Namespace{
		ns(configs.NEWPID, ""), ns(configs.NEWNS, ""), ns(configs.NEWNET, ""), ns(configs.NEWCGROUP, ""),
	}, false)
	want := uintptr(unix.CLONE_NEWPID | unix.CLONE_NEWNS | unix.CLONE_NEWNET)
	if p.CloneFlags != want || len(p.Env) != 0 || p.Forks {
		t.Fatalf("got %+v, want clone flags %#x only (cgroup ns is the init's job)", p, want)
	}
}

func TestMakePlanJoinNetKeepsFastPath(t *testing.T) {
	p := MakePlan([]configs.Namespace{ns(configs.NEWPID, ""), ns(configs.NEWNET, "/run/netns/x")}, false)
	if p.CloneFlags != unix.CLONE_NEWPID || p.Forks {
		t.Fatalf("got %+v", p)
	}
	if len(p.Env) != 1 || p.Env[0] != EnvJoin+"=network:/run/netns/x" {
		t.Fatalf("env %q", p.Env)
	}
}

func TestMakePlanJoinPidForks(t *testing.T) {
	p := MakePlan([]configs.Namespace{ns(configs.NEWPID, "/proc/1/ns/pid"), ns(configs.NEWNS, "")}, false)
	if p.CloneFlags != 0 || !p.Forks {
		t.Fatalf("got %+v", p)
	}
	env := strings.Join(p.Env, " ")
	if !strings.Contains(env, EnvUnshare+"=131072") || !strings.Contains(env, EnvFork+"=1") {
		t.Fatalf("env %q", env)
	}
}

func TestMakePlanJoinUserFirst(t *testing.T) {
	p := MakePlan([]configs.Namespace{
		ns(configs.NEWNS, "/m"), ns(configs.NEWUSER, "/u"), ns(configs.NEWIPC, "/i"),
	}, false)
	if p.Env[0] != EnvJoin+"=user:/u\nipc:/i\nmount:/m" {
		t.Fatalf("join order %q", p.Env[0])
	}
}

func TestMakePlanNewUserWithJoinUnsharesInC(t *testing.T) {
	p := MakePlan([]configs.Namespace{ns(configs.NEWUSER, ""), ns(configs.NEWNET, "/n"), ns(configs.NEWNS, "")}, false)
	if p.CloneFlags != 0 || !p.UserNsInC || p.Forks {
		t.Fatalf("got %+v", p)
	}
}

func TestMakePlanTimeNamespaceInC(t *testing.T) {
	p := MakePlan([]configs.Namespace{ns(configs.NEWTIME, ""), ns(configs.NEWNS, "")}, false)
	if p.CloneFlags != unix.CLONE_NEWNS || len(p.Env) != 1 || !strings.HasPrefix(p.Env[0], EnvUnshare+"=") {
		t.Fatalf("got %+v", p)
	}
}

func TestMakePlanMapLaterUnsharesUserInC(t *testing.T) {
	p := MakePlan([]configs.Namespace{ns(configs.NEWUSER, ""), ns(configs.NEWPID, ""), ns(configs.NEWNS, "")}, true)
	if p.CloneFlags != 0 || !p.UserNsInC || !p.Forks {
		t.Fatalf("plan %+v: want everything in the C stage", p)
	}
	if q := MakePlan([]configs.Namespace{ns(configs.NEWPID, "")}, true); q.CloneFlags != unix.CLONE_NEWPID {
		t.Fatalf("plan %+v: mapLater without a user namespace must keep the fast path", q)
	}
}
