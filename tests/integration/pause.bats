#!/usr/bin/env bats
# pause / resume / ps: the freezer (v1 freezer.state, v2 cgroup.freeze) and
# the container's process list.

load helpers

setup() {
	setup_bundle sh -c 'sleep 100 & exec sleep 100'
}

teardown() {
	teardown_bundle
}

# proc_state PID: the state letter of /proc/PID/stat (R, S, D...).
proc_state() {
	local stat
	read -r stat <"/proc/$1/stat" || return 1
	stat="${stat##*) }"
	echo "${stat%% *}"
}

# wait_for_state PID STATE: poll until PID is in STATE, for up to 10 s.
wait_for_state() {
	local got=""
	for _ in $(seq 100); do
		got="$(proc_state "$1")"
		[[ "$got" == "$2" ]] && return 0
		sleep 0.1
	done
	echo "process $1: state '$got', want '$2'" >&2
	return 1
}

# expect_frozen_file 0|1: the host's freezer file says thawed (0) or
# frozen (1): freezer.state on v1; cgroup.freeze, confirmed by
# cgroup.events, on v2.
expect_frozen_file() {
	if is_cgroup_v2; then
		expect_cgroup freezer cgroup.freeze "$1"
		grep -qx "frozen $1" "$(cgroup_dir freezer)/cgroup.events"
	elif [[ "$1" == 1 ]]; then
		expect_cgroup freezer freezer.state FROZEN
	else
		expect_cgroup freezer freezer.state THAWED
	fi
}

@test "pause: pause freezes every process, resume thaws them" {
	# A busy loop is always runnable (R) unless the freezer stops it.
	set_args sh -c 'while :; do :; done & exec sleep 100'
	run_detached
	wait_for_status "$ID" running
	local pid busy
	pid="$(init_pid)"
	for _ in $(seq 50); do
		busy="$(grep -vx "$pid" "$(cgroup_dir pids)/cgroup.procs" | head -n 1)"
		[[ -n "$busy" ]] && break
		sleep 0.1
	done
	[ -n "$busy" ]
	wait_for_state "$busy" R

	run ocirun pause "$ID"
	expect_status 0
	[ "$(container_field "$ID" status)" = paused ]
	# Host view: the freezer file says so, and the loop is stopped: the v1
	# freezer parks tasks in D, the v2 one in an interruptible wait (S).
	expect_frozen_file 1
	if is_cgroup_v2; then
		wait_for_state "$busy" S
	else
		wait_for_state "$busy" D
	fi
	run ocirun list --format json
	[ "$(echo "$output" | jq -r '.[0].status')" = paused ]

	run ocirun pause "$ID"
	[ "$status" -ne 0 ]

	run ocirun resume "$ID"
	expect_status 0
	[ "$(container_field "$ID" status)" = running ]
	expect_frozen_file 0
	wait_for_state "$busy" R

	run ocirun resume "$ID"
	[ "$status" -ne 0 ]
}

@test "pause: exec into a paused container needs --ignore-paused" {
	run_detached
	wait_for_status "$ID" running
	run ocirun pause "$ID"
	expect_status 0
	run ocirun exec "$ID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *paused* ]]
	# With --ignore-paused the process starts frozen and runs on resume.
	local out="$BATS_TEST_TMPDIR/exec.out"
	ocirun exec --ignore-paused "$ID" sh -c 'echo ran' >"$out" 2>&1 &
	local exec_pid=$!
	sleep 0.5
	[ ! -s "$out" ]
	run ocirun resume "$ID"
	expect_status 0
	wait "$exec_pid"
	[ "$(cat "$out")" = ran ]
}

@test "pause: a stopped container cannot be paused" {
	set_args true
	run ocirun run --keep --bundle "$BUNDLE" "$ID"
	expect_status 0
	run ocirun pause "$ID"
	[ "$status" -ne 0 ]
	run ocirun delete "$ID"
	expect_status 0
}

@test "ps: lists the container's processes (json and table)" {
	run_detached
	wait_for_status "$ID" running
	local pid procs
	procs="$(cgroup_dir pids)/cgroup.procs"
	pid="$(init_pid)"
	for _ in $(seq 50); do
		[ "$(wc -l <"$procs")" -ge 2 ] && break
		sleep 0.1
	done
	run ocirun ps --format json "$ID"
	expect_status 0
	# Exactly the pids the host's cgroup holds.
	[ "$(echo "$output" | jq -c 'sort')" = "$(sort -n "$procs" | jq -sc .)" ]
	echo "$output" | jq -e --argjson p "$pid" 'index($p) != null'

	run ocirun ps "$ID"
	expect_status 0
	[[ "${lines[0]}" == *PID* ]]
	[ "${#lines[@]}" -eq 3 ]
	[[ "$output" == *"sleep 100"* ]]

	run ocirun ps "$ID" -o pid,comm
	expect_status 0
	[ "$(echo "${lines[0]}" | awk '{print $1}')" = PID ]
}
