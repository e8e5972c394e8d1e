// Package seccomp will translate linux.seccomp into a seccomp filter (the
// security issue). Until then a config with linux.seccomp is refused by
// specconv with "linux.seccomp: not supported yet": silently running a
// container without its filter would weaken it.
package seccomp
