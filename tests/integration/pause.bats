#!/usr/bin/env bats
# pause / resume / ps: the freezer and the container's process list.

load helpers

setup() {
	setup_bundle sh -c 'sleep 100 & exec sleep 100'
}

teardown() {
	teardown_bundle
}

@test "pause: pause freezes every process, resume thaws them" {
	run_detached
	wait_for_status "$ID" running
	local pid freezer="/sys/fs/cgroup/freezer/$CGROUP_NAME/freezer.state"
	pid="$(init_pid)"

	run ocirun pause "$ID"
	expect_status 0
	[ "$(container_field "$ID" status)" = paused ]
	# Host view: the freezer says so.
	[ "$(cat "$freezer")" = FROZEN ]
	run ocirun list --format json
	[ "$(echo "$output" | jq -r '.[0].status')" = paused ]

	run ocirun pause "$ID"
	[ "$status" -ne 0 ]

	run ocirun resume "$ID"
	expect_status 0
	[ "$(container_field "$ID" status)" = running ]
	[ "$(cat "$freezer")" = THAWED ]

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
	local pid procs="/sys/fs/cgroup/pids/$CGROUP_NAME/cgroup.procs"
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
