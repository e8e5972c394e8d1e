// Package seccomp turns linux.seccomp (configs.Seccomp) into a raw BPF
// program for seccomp(2), in the ocirun parent where libseccomp is: it
// validates the config with field-named errors, builds the filter with
// libseccomp, exports its BPF and prepends a small stub that makes syscalls
// newer than the profile fail with ENOSYS (so that libc falls back to older
// ones) instead of the default action. The container's init then loads the
// program with one seccomp(2) call and never needs libseccomp.
//
// Features reports what this build and kernel support, for `features`.
// See docs/seccomp.md.
package seccomp
