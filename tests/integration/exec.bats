#!/usr/bin/env bats
# exec: a process in a running container, in its namespaces, cgroup and
# rootfs, with the container's process settings overridden by flags or by a
# process.json.
# shellcheck disable=SC2016 # scripts for the container, in single quotes on purpose
# shellcheck disable=SC2154 # status, output, lines, stderr are set by bats' run

load helpers

bats_require_minimum_version 1.5.0

setup() {
	setup_bundle sleep 100
	EXEC_OUT="$BATS_TEST_TMPDIR/exec.out"
}

teardown() {
	# A sub-cgroup that still exists would keep the container's cgroup from
	# being removed; the second pass catches those whose process only died
	# with the container.
	remove_sub_cgroups
	teardown_bundle
	remove_sub_cgroups
}

# make_sub_cgroup NAME CONTROLLER...: NAME below the container's cgroup in
# each hierarchy (the test creates these; `exec --cgroup` never does).
make_sub_cgroup() {
	local name="$1" c
	shift
	for c in "$@"; do
		mkdir "/sys/fs/cgroup/$c/$CGROUP_NAME/$name"
		SUB_CGROUPS+=("/sys/fs/cgroup/$c/$CGROUP_NAME/$name")
		if [[ "$c" == cpuset ]]; then # a v1 cpuset starts empty: no task fits
			cat "/sys/fs/cgroup/$c/$CGROUP_NAME/cpuset.cpus" >"/sys/fs/cgroup/$c/$CGROUP_NAME/$name/cpuset.cpus"
			cat "/sys/fs/cgroup/$c/$CGROUP_NAME/cpuset.mems" >"/sys/fs/cgroup/$c/$CGROUP_NAME/$name/cpuset.mems"
		fi
	done
}

remove_sub_cgroups() {
	local d
	for d in "${SUB_CGROUPS[@]}"; do
		[[ -d "$d" ]] && rmdir "$d" 2>/dev/null
	done
	return 0
}

# hierarchy_names: every hierarchy the container is in, as dirs under
# /sys/fs/cgroup (v1 controllers, the named systemd one, unified).
hierarchy_names() {
	local m
	for m in "${CGROUP_MOUNTS[@]}"; do
		basename "$m"
	done
}

# start_container: the container runs `sleep 100`. Sets INIT_PID (tracked
# for the leak check).
start_container() {
	run_detached
	wait_for_status "$ID" running
	INIT_PID="$(container_field "$ID" pid)"
	track_pid "$INIT_PID"
}

# status_field PID FIELD: a field of /proc/PID/status, whitespace squeezed.
status_field() {
	awk -v f="$2:" '$1 == f {$1 = ""; sub(/^ /, ""); print}' "/proc/$1/status"
}

# cgroup_procs CONTROLLER: the pids in the container's cgroup of CONTROLLER.
cgroup_procs() {
	cat "/sys/fs/cgroup/$1/$CGROUP_NAME/cgroup.procs"
}

# exec_detached [EXEC_ARG...]: `exec -d --pid-file` with the process's stdio
# in $EXEC_OUT, so that no pipe of bats stays open in the container. Sets
# EXEC_PID (tracked for the leak check).
exec_detached() {
	local pidfile="$BATS_TEST_TMPDIR/exec.pid"
	if ! ocirun exec -d --pid-file "$pidfile" "$@" </dev/null >"$EXEC_OUT" 2>&1; then
		cat "$EXEC_OUT" >&2
		echo "exec -d failed" >&2
		return 1
	fi
	EXEC_PID="$(cat "$pidfile")"
	track_pid "$EXEC_PID"
}

# exec_in_background EXEC_ARG...: a foreground `exec` as a background child
# of the test, without the timeout wrapper so that signals reach the runtime
# itself. Sets EXEC_RUNTIME_PID; the process's output goes to $EXEC_OUT.
exec_in_background() {
	"$OCIRUN" --root "$ROOT" exec "$@" </dev/null >"$EXEC_OUT" 2>&1 3>&- &
	EXEC_RUNTIME_PID=$!
	HELPER_PIDS+=("$EXEC_RUNTIME_PID")
}

# expect_only_init_in_cgroup PID: the container's pids cgroup holds the init
# alone (an exec'd process is gone), after a short grace period.
expect_only_init_in_cgroup() {
	for _ in $(seq 30); do
		[ "$(cgroup_procs pids)" = "$1" ] && return 0
		sleep 0.1
	done
	echo "cgroup.procs: $(cgroup_procs pids | tr '\n' ' '), want only $1" >&2
	return 1
}

@test "exec: prints the process's output and exits 0" {
	start_container
	run --separate-stderr ocirun exec "$ID" sh -c 'echo to-stdout; echo to-stderr >&2'
	expect_status 0
	[ "$output" = to-stdout ]
	[ "$stderr" = to-stderr ]
	# The container is unharmed.
	[ "$(container_field "$ID" status)" = running ]
}

@test "exec: the exit code of the process is the exit code of exec" {
	start_container
	run ocirun exec "$ID" sh -c 'exit 7'
	expect_status 7
	run ocirun exec "$ID" false
	expect_status 1
	# Killed by signal N: 128+N.
	run ocirun exec "$ID" sh -c 'kill -9 $$'
	expect_status 137
}

@test "exec: the process is in the container's namespaces" {
	local ns want=()
	start_container
	run ocirun exec "$ID" sh -c 'for ns in pid net mnt uts ipc; do readlink /proc/self/ns/$ns; done'
	expect_status 0
	# Host view of the init's namespaces, and none of them is the host's.
	for ns in pid net mnt uts ipc; do
		want+=("$(readlink "/proc/$INIT_PID/ns/$ns")")
		[ "$(readlink "/proc/$INIT_PID/ns/$ns")" != "$(readlink "/proc/self/ns/$ns")" ]
	done
	echo "exec: $output"
	echo "init: ${want[*]}"
	[ "$output" = "$(printf '%s\n' "${want[@]}")" ]
}

@test "exec: the process is a member of the container's pid namespace" {
	start_container
	run ocirun exec "$ID" sh -c 'echo pid=$$; ps -o pid,args; exit 0'
	expect_status 0
	# Not PID 1, which is the container's init.
	[[ "${lines[0]}" =~ ^pid=[0-9]+$ ]]
	[ "${lines[0]}" != pid=1 ]
	[[ "$output" =~ $'\n'\ *1\ +sleep\ 100$'\n' ]]
	# Only the container's processes: header, init, sh and ps.
	[ "${#lines[@]}" -eq 5 ]
}

@test "exec: the process sees the container's rootfs" {
	echo only-in-rootfs >"$ROOTFS/marker"
	start_container
	run ocirun exec "$ID" cat /marker
	expect_status 0
	[ "$output" = only-in-rootfs ]
	# The host's root is not visible.
	run ocirun exec "$ID" test -e "$ROOTFS/marker"
	[ "$status" -ne 0 ]
}

@test "exec: the process is in the container's cgroups" {
	local c
	start_container
	exec_detached "$ID" sleep 200
	is_live_pid "$EXEC_PID"
	for c in "${CGROUP_V1_CONTROLLERS[@]}"; do
		echo "controller $c: $(cgroup_procs "$c" | tr '\n' ' ')"
		cgroup_procs "$c" | grep -qx "$EXEC_PID"
		cgroup_procs "$c" | grep -qx "$INIT_PID"
	done
}

@test "exec: --detach returns while the process runs, --pid-file holds its pid" {
	start_container
	exec_detached "$ID" sleep 200
	# Host view: a live sleep, rooted in the container's rootfs.
	is_live_pid "$EXEC_PID"
	[ "$(tr '\0' ' ' <"/proc/$EXEC_PID/cmdline")" = "sleep 200 " ]
	pids_in_rootfs | grep -qx "$EXEC_PID"
	cgroup_procs pids | grep -qx "$EXEC_PID"
	# delete --force takes the exec'd process down too (teardown checks).
	run ocirun delete --force "$ID"
	expect_status 0
	for _ in $(seq 30); do
		is_live_pid "$EXEC_PID" || break
		sleep 0.1
	done
	if is_live_pid "$EXEC_PID"; then return 1; fi
}

@test "exec: --env adds variables, a later value wins" {
	start_container
	# urfave/cli refuses -e and --env in one command line.
	run ocirun exec -e FOO=bar -e 'SPACED=a b' -e TERM=dumb "$ID" \
		sh -c 'echo "$FOO|$SPACED|$TERM"; env | grep -c ^TERM=; echo "$PATH"'
	expect_status 0
	[ "${lines[0]}" = "bar|a b|dumb" ]
	[ "${lines[1]}" = 1 ]
	# The rest of the container's env is kept.
	[ "${lines[2]}" = "$(jq -r '.process.env[] | select(startswith("PATH=")) | .[5:]' "$BUNDLE/config.json")" ]
	run ocirun exec --env FOO=long-form "$ID" sh -c 'echo "$FOO"'
	expect_status 0
	[ "$output" = long-form ]
}

@test "exec: --cwd sets the working directory" {
	start_container
	run ocirun exec --cwd /etc "$ID" pwd
	expect_status 0
	[ "$output" = /etc ]
	# Without --cwd: the config's cwd.
	run ocirun exec "$ID" pwd
	expect_status 0
	[ "$output" = "$(jq -r .process.cwd "$BUNDLE/config.json")" ]
}

@test "exec: --user sets uid and gid" {
	start_container
	run ocirun exec --user 1000:1000 "$ID" sh -c 'id -u; id -g; grep -E "^(Uid|Gid):" /proc/self/status'
	expect_status 0
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1000 ]
	[[ "${lines[2]}" =~ ^Uid:[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000$ ]]
	[[ "${lines[3]}" =~ ^Gid:[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000$ ]]
	run ocirun exec -u 1000:1000 "$ID" id
	expect_status 0
	[[ "$output" == "uid=1000(user) gid=1000(user)"* ]]
}

@test "exec: --additional-gids sets supplementary groups" {
	start_container
	# urfave/cli refuses -g and --additional-gids in one command line.
	run ocirun exec -u 1000:1000 -g 1001 -g 65534 "$ID" grep ^Groups: /proc/self/status
	expect_status 0
	[[ "$output" =~ ^Groups:[[:space:]]+1001[[:space:]]+65534[[:space:]]*$ ]]
	run ocirun exec -u 1000:1000 --additional-gids 1001 "$ID" id
	expect_status 0
	[[ "$output" == *"groups=1001(extra)"* ]]
}

@test "exec: --cap adds a capability" {
	local base want
	start_container
	base="$(status_field "$INIT_PID" CapEff)"
	# CAP_SYS_ADMIN is bit 21; the config does not grant it.
	[ $((16#$base >> 21 & 1)) -eq 0 ]
	want="$(printf '%016x' $((16#$base | 1 << 21)))"
	run ocirun exec --cap CAP_SYS_ADMIN "$ID" grep -E '^Cap(Eff|Bnd):' /proc/self/status
	expect_status 0
	[[ "${lines[0]}" =~ ^CapEff:[[:space:]]+${want}$ ]]
	[[ "${lines[1]}" =~ ^CapBnd:[[:space:]]+${want}$ ]]
	# -c, repeated (CAP_CHOWN is bit 0).
	run ocirun exec -c CAP_SYS_ADMIN -c CAP_CHOWN "$ID" grep ^CapEff: /proc/self/status
	expect_status 0
	[[ "$output" =~ ^CapEff:[[:space:]]+$(printf '%016x' $((16#$want | 1)))$ ]]
	# Without --cap: the container's set.
	run ocirun exec "$ID" grep ^CapEff: /proc/self/status
	expect_status 0
	[[ "$output" =~ ^CapEff:[[:space:]]+${base}$ ]]
}

@test "exec: --no-new-privs sets NoNewPrivs" {
	update_config '.process.noNewPrivileges = false'
	start_container
	run ocirun exec "$ID" grep ^NoNewPrivs: /proc/self/status
	expect_status 0
	[[ "$output" =~ ^NoNewPrivs:[[:space:]]+0$ ]]
	run ocirun exec --no-new-privs "$ID" grep ^NoNewPrivs: /proc/self/status
	expect_status 0
	[[ "$output" =~ ^NoNewPrivs:[[:space:]]+1$ ]]
}

@test "exec: --process runs a process.json" {
	start_container
	write_process_json "$BATS_TEST_TMPDIR/process.json" '
		echo "$FROM_JSON"; pwd; id -u; id -g
		grep -E "^(Groups|CapEff|CapBnd|CapAmb|NoNewPrivs):" /proc/self/status
		grep "^Max processes" /proc/self/limits
		echo "TERM=${TERM:-unset}"'
	run ocirun exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
	expect_status 0
	[ "${lines[0]}" = yes ]
	[ "${lines[1]}" = /home/user ]
	[ "${lines[2]}" = 1000 ]
	[ "${lines[3]}" = 1000 ]
	[[ "${lines[4]}" =~ ^Groups:[[:space:]]+1001[[:space:]]*$ ]]
	[[ "${lines[5]}" =~ ^CapEff:[[:space:]]+0000000000000020$ ]]
	[[ "${lines[6]}" =~ ^CapBnd:[[:space:]]+0000000000000021$ ]]
	[[ "${lines[7]}" =~ ^CapAmb:[[:space:]]+0000000000000020$ ]]
	[[ "${lines[8]}" =~ ^NoNewPrivs:[[:space:]]+1$ ]]
	[[ "${lines[9]}" =~ ^Max\ processes\ +500\ +600\  ]]
	# The env is the process.json's alone, not the container's.
	[ "${lines[10]}" = TERM=unset ]
}

@test "exec: --process applies RLIMIT_NOFILE" {
	# runc 1.1.5 loses it: its Go init restores its own startup soft
	# limit when it execs the process.
	skip_if_runc # ocirun-specific
	start_container
	write_process_json "$BATS_TEST_TMPDIR/process.json" 'ulimit -n; grep "^Max open files" /proc/self/limits'
	run ocirun exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
	expect_status 0
	[ "${lines[0]}" = 512 ]
	[[ "${lines[1]}" =~ ^Max\ open\ files\ +512\ +1024\  ]]
	# The init keeps its own limits.
	run ! grep -Eq '^Max open files +512 ' "/proc/$INIT_PID/limits"
}

@test "exec: -p is the short form of --process, and the args come from the file" {
	start_container
	jq -n '{args: ["echo", "from-process-json"], env: ["PATH=/bin"], cwd: "/", user: {uid: 0, gid: 0}}' \
		>"$BATS_TEST_TMPDIR/process.json"
	run ocirun exec -p "$BATS_TEST_TMPDIR/process.json" "$ID"
	expect_status 0
	[ "$output" = from-process-json ]
}

@test "exec: --cgroup PATH places the process in that sub-cgroup of every hierarchy" {
	local c
	SUB_CGROUPS=()
	start_container
	mapfile -t hs < <(hierarchy_names)
	make_sub_cgroup sub "${hs[@]}"
	exec_detached --cgroup sub "$ID" sleep 200
	for c in "${hs[@]}"; do
		echo "hierarchy $c: $(tr '\n' ' ' <"/sys/fs/cgroup/$c/$CGROUP_NAME/sub/cgroup.procs")"
		grep -qx "$EXEC_PID" "/sys/fs/cgroup/$c/$CGROUP_NAME/sub/cgroup.procs"
	done
	kill -9 "$EXEC_PID"
	expect_only_init_in_cgroup "$INIT_PID"
}

@test "exec: --cgroup CONTROLLER:PATH moves only that controller" {
	SUB_CGROUPS=()
	start_container
	make_sub_cgroup sub memory
	exec_detached --cgroup memory:sub "$ID" sleep 200
	grep -qx "$EXEC_PID" "/sys/fs/cgroup/memory/$CGROUP_NAME/sub/cgroup.procs"
	cgroup_procs pids | grep -qx "$EXEC_PID"
	kill -9 "$EXEC_PID"
	expect_only_init_in_cgroup "$INIT_PID"
}

@test "exec: --cgroup refuses a missing sub-cgroup and paths outside the container's" {
	start_container
	run ocirun exec --cgroup nosuch "$ID" true
	[ "$status" -ne 0 ]
	skip_if_runc # the checks below are of ocirun's messages and path rules
	[[ "$output" == *nosuch*"not an existing cgroup directory"* ]]
	run ocirun exec --cgroup ../escape "$ID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"--cgroup"*'".." components are not allowed'* ]]
	expect_only_init_in_cgroup "$INIT_PID"
}

@test "exec: --preserve-fds passes extra fds, the others are closed" {
	start_container
	echo via-fd-3 >"$BATS_TEST_TMPDIR/fd3"
	# bats owns fd 3 in the test itself: open the file in a child shell.
	run bash -c 'exec 3<"$1" 4</dev/null; shift; exec "$@"' _ "$BATS_TEST_TMPDIR/fd3" \
		timeout 20 "$OCIRUN" --root "$ROOT" exec --preserve-fds 1 "$ID" \
		sh -c 'cat <&3; [ -e /proc/self/fd/4 ] && echo fd4-open || echo fd4-closed'
	expect_status 0
	[ "${lines[0]}" = via-fd-3 ]
	[ "${lines[1]}" = fd4-closed ]
	# Without --preserve-fds.
	run bash -c 'exec 3<"$1"; shift; exec "$@"' _ "$BATS_TEST_TMPDIR/fd3" \
		timeout 20 "$OCIRUN" --root "$ROOT" exec "$ID" \
		sh -c '[ -e /proc/self/fd/3 ] && echo fd3-open || echo fd3-closed'
	expect_status 0
	[ "$output" = fd3-closed ]
}

@test "exec: stdin is passed through to the process" {
	start_container
	run bash -c 'echo hi-through-stdin | timeout 20 "$0" --root "$1" exec "$2" cat' \
		"$OCIRUN" "$ROOT" "$ID"
	expect_status 0
	[ "$output" = hi-through-stdin ]
}

@test "exec: signals sent to a foreground exec are forwarded to the process" {
	start_container
	exec_in_background "$ID" sh -c 'trap "echo got-usr1; exit 5" USR1; echo ready; while :; do sleep 0.1; done'
	wait_for_output "$EXEC_OUT" ready
	kill -USR1 "$EXEC_RUNTIME_PID"
	local rc=0
	wait_child "$EXEC_RUNTIME_PID" || rc=$?
	cat "$EXEC_OUT"
	grep -qx got-usr1 "$EXEC_OUT"
	[ "$rc" -eq 5 ]
	# The init is not signalled.
	[ "$(container_field "$ID" status)" = running ]
}

@test "exec: a stopped container refuses exec" {
	set_args true
	run_detached
	wait_for_status "$ID" stopped
	run ocirun exec "$ID" echo should-not-run
	[ "$status" -ne 0 ]
	[[ "$output" != *should-not-run* ]]
	[[ "$output" == *stopped* || "$output" == *"not running"* ]]
}

@test "exec: a created container accepts exec and stays created" {
	local pid
	create_container
	pid="$(init_pid)"
	run ocirun exec "$ID" echo in-created
	expect_status 0
	[ "$output" = in-created ]
	[ "$(container_field "$ID" status)" = created ]
	# Its program still starts normally.
	run ocirun start "$ID"
	expect_status 0
	wait_for_status "$ID" running
	[ "$(container_field "$ID" pid)" = "$pid" ]
	[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 100 " ]
}

@test "exec: a missing executable fails and leaves no process" {
	start_container
	run ocirun exec "$ID" no-such-binary
	[ "$status" -ne 0 ]
	expect_output_contains "executable file not found"
	expect_only_init_in_cgroup "$INIT_PID"
	[ "$(container_field "$ID" status)" = running ]
}

@test "exec: an unknown container, or no command without --process, fails" {
	run ocirun exec no-such-container true
	[ "$status" -ne 0 ]
	start_container
	run ocirun exec "$ID"
	[ "$status" -ne 0 ]
}

@test "exec: the process cannot overwrite the runtime binary" {
	local before after
	start_container
	before="$(sha256sum <"$OCIRUN")"
	run ocirun exec "$ID" sh -c '
		cat /proc/self/exe >/dev/null
		echo x >>/proc/1/exe && echo wrote-init-exe || echo write-failed
		for f in /proc/[0-9]*/exe; do
			echo x 2>/dev/null >>"$f" && echo "wrote $f"
		done
		exit 0'
	expect_status 0
	[[ "$output" == *write-failed* ]]
	[[ "$output" != *wrote* ]]
	after="$(sha256sum <"$OCIRUN")"
	[ "$before" = "$after" ]
	# The container's own busybox is unharmed too.
	[ "$(sha256sum <"$ROOTFS/bin/busybox")" = "$(sha256sum </bin/busybox)" ]
	expect_only_init_in_cgroup "$INIT_PID"
}

# exec_both_ways LOG ARGS...: `exec ARGS` with the C stage (the default for
# a plain process), then with the Go init forced; prints both outputs,
# separated by a line "--". Fails if either exec fails.
exec_both_ways() {
	local log="$1"
	shift
	ocirun --debug --log "$log" --log-format json exec "$@" 2>&1 || return 1
	echo --
	OCIRUN_EXEC_GO_INIT=1 ocirun exec "$@" 2>&1 || return 1
}

@test "exec: the C stage sets a process up exactly as the Go init does" {
	update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["mkdirat", "mkdir"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]}'
	start_container
	write_process_json "$BATS_TEST_TMPDIR/process.json" '
		pwd; id; echo "HOME=$HOME"; umask
		grep -E "^(Groups|Cap...|NoNewPrivs|Seccomp):" /proc/self/status
		grep -E "^Max (processes|open files)" /proc/self/limits
		mkdir /tmp/d 2>&1 || true
		ls /proc/self/fd | sort -n | tr "\n" " "; echo'
	run exec_both_ways "$BATS_TEST_TMPDIR/log.json" --process "$BATS_TEST_TMPDIR/process.json" "$ID"
	expect_status 0
	local c_stage="${output%%$'\n'--$'\n'*}" go_init="${output#*$'\n'--$'\n'}"
	echo "C stage:$c_stage"
	echo "Go init:$go_init"
	[ "$c_stage" = "$go_init" ]
	# ...and both are what the process.json asks for.
	[[ "$c_stage" =~ uid=1000.*gid=1000.*groups=1001 ]]
	[[ "$c_stage" == *"HOME=/home/user"* ]] # from the image's /etc/passwd
	[[ "$c_stage" =~ CapAmb:[[:space:]]+0000000000000020 ]]
	[[ "$c_stage" =~ NoNewPrivs:[[:space:]]+1 ]]
	[[ "$c_stage" =~ Seccomp:[[:space:]]+2 ]]
	[[ "$c_stage" =~ Max\ open\ files\ +512\ +1024 ]]
	[[ "$c_stage" == *"Operation not permitted"* ]]
	[[ "$c_stage" == *"0 1 2 3 "* ]] # stdio, and ls's own directory fd
	jq -r .msg "$BATS_TEST_TMPDIR/log.json" | grep -q '^exec: the C stage sets the process up'
}

@test "exec: the C stage reports errors as the Go init does" {
	start_container
	local args
	for args in "$ID nosuch" "$ID /bin/nosuch" "--cwd /nosuch $ID true" "--user 1000 --cwd /root/x $ID true"; do
		# shellcheck disable=SC2086 # word splitting of the args is wanted
		run ! ocirun exec $args
		local c_stage="$output"
		# shellcheck disable=SC2086
		OCIRUN_EXEC_GO_INIT=1 run ! ocirun exec $args
		echo "$args: C stage: $c_stage; Go init: $output"
		[ "$c_stage" = "$output" ]
		[ -n "$output" ]
	done
	expect_only_init_in_cgroup "$INIT_PID"
}

@test "exec: a paused container takes the Go init" {
	start_container
	ocirun pause "$ID"
	# Not through bats' run: the frozen process would hold its pipe.
	ocirun --debug --log "$BATS_TEST_TMPDIR/paused.json" --log-format json \
		exec -d --ignore-paused "$ID" true </dev/null >"$EXEC_OUT" 2>&1
	ocirun resume "$ID"
	jq -r .msg "$BATS_TEST_TMPDIR/paused.json" | grep -q '^exec: the Go init sets the process up'
	expect_only_init_in_cgroup "$INIT_PID"
}

@test "exec: with a terminal, the C stage gives the same pty as the Go init" {
	command -v script >/dev/null || skip "util-linux script is not installed"
	start_container
	# script(1) gives exec a terminal (see terminal.bats).
	local mode cmd outputs=()
	for mode in 0 1; do
		cmd="$(printf '%q ' env OCIRUN_EXEC_GO_INIT=$mode timeout --foreground 20 "$OCIRUN" --root "$ROOT" \
			--debug --log "$BATS_TEST_TMPDIR/tty$mode.json" --log-format json \
			exec -t "$ID" sh -c 'tty; [ -t 0 ] && echo stdin-tty; exit 3')"
		run script -qec "$cmd" /dev/null </dev/null
		expect_status 3
		expect_output_contains /dev/pts/
		expect_output_contains stdin-tty
		# What the process saw, without the pty's timing (NULs, CRs).
		outputs+=("$(grep -ao '/dev/pts/[0-9]*\|stdin-tty' <<<"$output")")
	done
	echo "C stage: ${outputs[0]}; Go init: ${outputs[1]}"
	[ "${outputs[0]}" = "${outputs[1]}" ]
	jq -r .msg "$BATS_TEST_TMPDIR/tty0.json" | grep -q '^exec: the C stage sets the process up'
	jq -r .msg "$BATS_TEST_TMPDIR/tty1.json" | grep -q '^exec: the Go init sets the process up'
	expect_only_init_in_cgroup "$INIT_PID"
}
