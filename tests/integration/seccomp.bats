#!/usr/bin/env bats
# linux.seccomp: what a filtered container process sees (errnos, kills,
# ENOSYS for syscalls newer than the profile, a seccomp agent's answers)
# and what the host sees (/proc/PID/status, the kernel's log, the agent's
# log of the state it received). The agent is tests/cmd/seccompagent;
# sysprobe (tests/cmd/seccompagent/sysprobe) makes raw syscalls inside.
# shellcheck disable=SC2016 # scripts for the container, in single quotes on purpose
# shellcheck disable=SC2154 # status, output, lines, stderr are set by bats' run

load helpers

bats_require_minimum_version 1.5.0

SECCOMPAGENT="${SECCOMPAGENT:-$REPO_ROOT/bin/seccompagent}"
SYSPROBE="${SYSPROBE:-$REPO_ROOT/bin/sysprobe}"

# What busybox (sh, pipes, mkdir, grep...) and the static Go sysprobe need
# under a deny-by-default profile, newest first: faccessat2 (439) is the
# profile's newest syscall, so the ENOSYS stub covers 440 and above.
ALLOW_LIST='["faccessat2", "read", "write", "open", "openat", "close", "stat",
 "fstat", "lstat", "newfstatat", "statx", "poll", "ppoll", "lseek", "mmap",
 "mprotect", "munmap", "brk", "rt_sigaction", "rt_sigprocmask",
 "rt_sigreturn", "ioctl", "pread64", "pwrite64", "readv", "writev",
 "access", "faccessat", "pipe", "pipe2", "select", "pselect6", "sched_yield",
 "mremap", "madvise", "mincore", "dup", "dup2", "dup3", "nanosleep",
 "clock_nanosleep", "clock_gettime", "gettimeofday", "getpid", "getppid",
 "gettid", "getuid", "geteuid", "getgid", "getegid", "getgroups", "capget",
 "prctl", "clone", "fork", "vfork", "execve", "exit", "exit_group", "wait4",
 "waitid", "kill", "tgkill", "uname", "fcntl", "getdents64", "getcwd",
 "chdir", "readlink", "readlinkat", "sigaltstack", "arch_prctl",
 "set_tid_address", "set_robust_list", "rseq", "futex", "getrandom",
 "prlimit64", "getrlimit", "sched_getaffinity", "sendfile", "umask",
 "epoll_create1", "epoll_ctl", "epoll_pwait", "sysinfo", "setpgid",
 "getpgrp", "rmdir", "fstatfs"]'

setup() {
	setup_bundle sh
	# mkdir must reach the filter, not fail on a read-only root first.
	update_config '.root.readonly = false'
	AGENT_LOG="$BATS_TEST_TMPDIR/agent.log"
	AGENT_SOCKET="$BATS_TEST_TMPDIR/agent.sock"
}

teardown() {
	teardown_bundle
}

# set_seccomp JSON: linux.seccomp becomes JSON.
set_seccomp() {
	update_config '.linux.seccomp = $s' --argjson s "$1"
}

# deny_mkdir ACTION [EXTRA_JSON]: an ALLOW profile with one rule for mkdir
# and mkdirat (busybox uses mkdir; other libcs mkdirat); EXTRA_JSON is
# merged into the rule (e.g. {"errnoRet": 38}).
deny_mkdir() {
	set_seccomp "$(jq -nc --arg a "$1" --argjson x "${2:-{\}}" \
		'{defaultAction: "SCMP_ACT_ALLOW",
		  syscalls: [{names: ["mkdir", "mkdirat", "not_a_syscall_ocirun"], action: $a} + $x]}')"
}

# notify_mkdir: mkdir and mkdirat go to the agent at $AGENT_SOCKET.
notify_mkdir() {
	set_seccomp "$(jq -nc --arg p "$AGENT_SOCKET" --arg m "meta-$ID" \
		'{defaultAction: "SCMP_ACT_ALLOW", listenerPath: $p, listenerMetadata: $m,
		  syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}')"
}

# start_agent [AGENT_ARG...]: the seccomp agent as a helper of the test,
# logging to $AGENT_LOG; returns once it listens.
start_agent() {
	local ready="$BATS_TEST_TMPDIR/agent.ready"
	if [[ ! -x "$SECCOMPAGENT" ]]; then
		echo "$SECCOMPAGENT not found: run 'make build'" >&2
		return 1
	fi
	"$SECCOMPAGENT" -timeout 60s -log "$AGENT_LOG" -ready "$ready" "$@" "$AGENT_SOCKET" \
		</dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/agent.err" 3>&- &
	HELPER_PIDS+=("$!")
	for _ in $(seq 100); do
		[[ -e "$ready" ]] && return 0
		sleep 0.1
	done
	echo "seccompagent did not start:" >&2
	cat "$BATS_TEST_TMPDIR/agent.err" >&2
	return 1
}

# agent_state N FILTER: jq FILTER on the Nth (1-based) state the agent got.
agent_state() {
	grep '^state ' "$AGENT_LOG" | sed -n "${1}p" | cut -d' ' -f2- | jq -r "$2"
}

# install_sysprobe: sysprobe in the container's /bin.
install_sysprobe() {
	if [[ ! -x "$SYSPROBE" ]]; then
		echo "$SYSPROBE not found: run 'make build'" >&2
		return 1
	fi
	cp "$SYSPROBE" "$ROOTFS/bin/sysprobe"
}

# create_fails: `create` fails and leaves nothing behind; its stderr is in
# $CREATE_ERR. The container's stdio goes to a file, so that a runtime
# that wrongly succeeds cannot hold a pipe of bats open.
create_fails() {
	local rc=0
	CREATE_ERR="$BATS_TEST_TMPDIR/create.err"
	ocirun create --bundle "$BUNDLE" "$ID" </dev/null >"$CTR_OUT" 2>"$CREATE_ERR" || rc=$?
	echo "create: status $rc, stderr: $(cat "$CREATE_ERR")"
	if [[ "$rc" -eq 0 ]]; then
		echo "create succeeded, want failure" >&2
		return 1
	fi
	assert_no_leftovers
}

# bad_seccomp FIELD JSON: create with linux.seccomp = JSON fails, leaves
# nothing, and (ocirun) names FIELD on one line.
bad_seccomp() {
	set_seccomp "$2"
	create_fails
	is_runc && return 0
	[ "$(wc -l <"$CREATE_ERR")" -eq 1 ]
	grep -qF -- "$1" "$CREATE_ERR"
}

@test "seccomp: an ERRNO rule fails mkdir with EPERM, unknown names are skipped" {
	deny_mkdir SCMP_ACT_ERRNO
	set_args sh -c 'mkdir /tmp/denied; echo "rc=$?"; grep ^Seccomp: /proc/self/status'
	run ocirun run --bundle "$BUNDLE" "$ID" </dev/null
	expect_status 0
	expect_output_contains "can't create directory '/tmp/denied': Operation not permitted"
	expect_output_contains "rc=1"
	expect_output_contains $'Seccomp:\t2'
	[ ! -e "$ROOTFS/tmp/denied" ]
}

@test "seccomp: without noNewPrivileges, as a non-root user, errnoRet 38" {
	# Loaded before the capabilities are dropped; the user switch after
	# it still works.
	deny_mkdir SCMP_ACT_ERRNO '{"errnoRet": 38}'
	update_config '.process.noNewPrivileges = false | .process.user = {uid: 1000, gid: 1000}'
	set_args sh -c 'id -u; mkdir /tmp/denied; echo "rc=$?"'
	run ocirun run --bundle "$BUNDLE" "$ID" </dev/null
	expect_status 0
	expect_output_contains "1000"
	expect_output_contains "can't create directory '/tmp/denied': Function not implemented"
	expect_output_contains "rc=1"
	[ ! -e "$ROOTFS/tmp/denied" ]
}

@test "seccomp: KILL, KILL_THREAD and KILL_PROCESS kill the process (128+SIGSYS)" {
	local action
	for action in SCMP_ACT_KILL SCMP_ACT_KILL_PROCESS SCMP_ACT_KILL_THREAD; do
		deny_mkdir "$action"
		set_args mkdir /tmp/killed
		run ocirun run --bundle "$BUNDLE" "$ID" </dev/null
		echo "$action: status $status"
		expect_status 159
		[ ! -e "$ROOTFS/tmp/killed" ]
		ocirun delete --force "$ID" >/dev/null 2>&1 || true
	done
}

@test "seccomp: an args rule denies personality(PER_LINUX32) only" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["personality"],
		"action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}]}'
	set_args sh -c 'linux32 true; echo "linux32=$?"; linux64 true; echo "linux64=$?"'
	run ocirun run --bundle "$BUNDLE" "$ID" </dev/null
	expect_status 0
	expect_output_contains "personality(0x8): Operation not permitted"
	expect_output_contains "linux32=1"
	expect_output_contains "linux64=0"
}

@test "seccomp: deny by default: fork works, clone3 and newer syscalls get ENOSYS" {
	install_sysprobe
	# runc 1.1.5 makes its ENOSYS stub only for listed architectures.
	set_seccomp "$(jq -nc --argjson allow "$ALLOW_LIST" \
		'{defaultAction: "SCMP_ACT_ERRNO",
		  architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		  syscalls: [{names: $allow, action: "SCMP_ACT_ALLOW"}]}')"
	# 451 is cachestat, newer than the profile's newest (faccessat2).
	set_args sh -c 'true | cat && echo forked; echo "clone3=$(sysprobe clone3)";
		echo "cachestat=$(sysprobe 451 -1)"; echo "getpid=$(sysprobe getpid)";
		mkdir /tmp/denied'
	run ocirun run --bundle "$BUNDLE" "$ID" </dev/null
	echo "$output"
	expect_output_contains forked
	expect_output_contains "cachestat=ENOSYS"
	expect_output_contains "getpid=ok"
	# Older than the profile's newest: the default action's EPERM.
	expect_output_contains "can't create directory '/tmp/denied': Operation not permitted"
	if is_runc; then
		# runc 1.1.5 only returns ENOSYS above the profile's newest.
		expect_output_contains "clone3=EPERM"
	else
		expect_output_contains "clone3=ENOSYS"
	fi
}

@test "seccomp: a LOG rule lets mkdir run and the kernel logs it" {
	deny_mkdir SCMP_ACT_LOG
	set_args sh -c 'mkdir /tmp/logged && echo made'
	local before after
	before="$(dmesg | grep -c 'type=1326.*comm="mkdir".*code=0x7ffc0000' || true)"
	run ocirun run --bundle "$BUNDLE" "$ID" </dev/null
	expect_status 0
	expect_output_contains made
	[ -d "$ROOTFS/tmp/logged" ]
	after="$(dmesg | grep -c 'type=1326.*comm="mkdir".*code=0x7ffc0000' || true)"
	echo "SECCOMP_RET_LOG lines in the kernel log: $before before, $after after"
	[ "$after" -gt "$before" ]
}

@test "seccomp: exec'd processes get the container's filter" {
	deny_mkdir SCMP_ACT_ERRNO
	set_args sleep 100
	run_detached
	wait_for_status "$ID" running
	local pid
	pid="$(init_pid)"
	grep -q $'^Seccomp:\t2$' "/proc/$pid/status"
	run ocirun exec "$ID" sh -c 'mkdir /tmp/exec-denied; echo "rc=$?"; grep ^Seccomp /proc/self/status'
	expect_status 0
	expect_output_contains "can't create directory '/tmp/exec-denied': Operation not permitted"
	expect_output_contains "rc=1"
	expect_output_contains $'Seccomp_filters:\t1'
	[ ! -e "$ROOTFS/tmp/exec-denied" ]
	is_runc && return 0
	# exec reuses the program compiled at create, kept beside the state,
	# and compiles the saved config again when it is missing.
	[ -s "$ROOT/$ID/seccomp.json" ]
	rm "$ROOT/$ID/seccomp.json"
	run ocirun exec "$ID" mkdir /tmp/exec-denied
	[ "$status" -ne 0 ]
	expect_output_contains "Operation not permitted"
}

@test "seccomp: NOTIFY: the agent gets the state and fakes mkdir" {
	start_agent
	notify_mkdir
	set_args sh -c 'mkdir /tmp/faked && echo "mkdir ok"; [ -e /tmp/faked ] || echo absent'
	create_container
	local pid
	pid="$(init_pid)"
	# The state was sent during create.
	cat "$AGENT_LOG"
	[ "$(agent_state 1 .pid)" = "$pid" ]
	[ "$(agent_state 1 .metadata)" = "meta-$ID" ]
	[ "$(agent_state 1 .ociVersion)" != null ]
	[ "$(agent_state 1 '.fds | join(",")')" = seccompFd ]
	[ "$(agent_state 1 .state.id)" = "$ID" ]
	[ "$(agent_state 1 .state.pid)" = "$pid" ]
	[ "$(agent_state 1 .state.bundle)" = "$BUNDLE" ]
	run ocirun start "$ID"
	expect_status 0
	wait_for_status "$ID" stopped
	run cat "$CTR_OUT"
	expect_output_contains "mkdir ok"
	expect_output_contains absent
	[ ! -e "$ROOTFS/tmp/faked" ]
	grep -Eq '^syscall mkdir(at)? pid [0-9]+$' "$AGENT_LOG"
}

@test "seccomp: NOTIFY: the agent's errno, for the init and for exec" {
	start_agent -errno 13
	notify_mkdir
	update_config '.process.noNewPrivileges = false'
	set_args sh -c 'mkdir /tmp/a; echo "init: rc=$?"; sleep 100'
	run_detached
	wait_for_status "$ID" running
	local pid
	pid="$(init_pid)"
	wait_for_output "$CTR_OUT" "init: rc=1"
	grep -qF "can't create directory '/tmp/a': Permission denied" "$CTR_OUT"
	[ ! -e "$ROOTFS/tmp/a" ]
	# runc 1.1.5's exec hangs once it has sent the listener fd.
	is_runc && return 0
	run ocirun exec "$ID" mkdir /tmp/b
	[ "$status" -ne 0 ]
	expect_output_contains "can't create directory '/tmp/b': Permission denied"
	cat "$AGENT_LOG"
	[ "$(agent_state 1 .pid)" = "$pid" ]
	# The exec'd process has its own notify fd, and its own pid.
	[ "$(agent_state 2 .state.id)" = "$ID" ]
	[ "$(agent_state 2 .pid)" != "$pid" ]
	[ "$(agent_state 2 .state.status)" = running ]
	[ ! -e "$ROOTFS/tmp/b" ]
	[ "$(grep -c '^syscall mkdir' "$AGENT_LOG")" -ge 2 ]
}

@test "seccomp: NOTIFY without a listening agent fails and leaves nothing" {
	notify_mkdir
	create_fails
	is_runc || grep -qF "linux.seccomp.listenerPath" "$CREATE_ERR"
}

@test "seccomp: bad input fails with the field named" {
	local rule='{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}'
	bad_seccomp 'linux.seccomp.defaultAction: unknown action "SCMP_ACT_NOPE"' \
		'{"defaultAction": "SCMP_ACT_NOPE"}'
	bad_seccomp 'linux.seccomp.syscalls[1].action: unknown action "X"' \
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [$rule, {\"names\": [\"rmdir\"], \"action\": \"X\"}]}"
	bad_seccomp 'linux.seccomp.syscalls[0].args[0].op: unknown operator "SCMP_CMP_FOO"' \
		'{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",
		  "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_FOO"}]}]}'
	bad_seccomp 'linux.seccomp.architectures[0]: unknown architecture "SCMP_ARCH_VAX"' \
		'{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_VAX"]}'
	bad_seccomp 'linux.seccomp.flags[0]: unknown flag "SECCOMP_FILTER_FLAG_NOPE"' \
		'{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_NOPE"]}'
	bad_seccomp 'linux.seccomp.listenerPath: required by SCMP_ACT_NOTIFY' \
		'{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}'
	# runc 1.1.5 accepts a listener no rule needs; newer runcs refuse it.
	is_runc && return 0
	bad_seccomp 'linux.seccomp.listenerPath: set, but no rule uses SCMP_ACT_NOTIFY' \
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$AGENT_SOCKET\", \"syscalls\": [$rule]}"
}

@test "seccomp: a compiled filter is cached per profile and reused" {
	is_runc && skip "ocirun's cache"
	local cache="$ROOT/~cache/seccomp"
	deny_mkdir SCMP_ACT_ERRNO
	set_args sh -c 'mkdir /tmp/denied 2>/dev/null; echo "rc=$?"'
	run ocirun run --bundle "$BUNDLE" "$ID" </dev/null
	expect_status 0
	[ "$output" = "rc=1" ]
	[ "$(ls "$cache" | wc -l)" = 1 ]
	# The same profile again: the cached program, and it still filters.
	run ocirun run --bundle "$BUNDLE" "$ID" </dev/null
	expect_status 0
	[ "$output" = "rc=1" ]
	[ "$(ls "$cache" | wc -l)" = 1 ]
	# Another profile is another entry, with its own behaviour.
	deny_mkdir SCMP_ACT_ERRNO '{"errnoRet": 38}'
	set_args sh -c 'mkdir /tmp/denied 2>&1; true'
	run ocirun run --bundle "$BUNDLE" "$ID" </dev/null
	expect_status 0
	expect_output_contains "Function not implemented"
	[ "$(ls "$cache" | wc -l)" = 2 ]
}
