#!/usr/bin/env bats
# update: new limits reach the live container's cgroups.

load helpers

setup() {
	setup_bundle sleep 100
}

teardown() {
	teardown_bundle
}

@test "update: flags change memory, pids and cpu limits of a running container" {
	run_detached
	wait_for_status "$ID" running
	run ocirun update --memory 64m --pids-limit 20 --cpu-shares 300 "$ID"
	expect_status 0
	[ "$(cat "/sys/fs/cgroup/memory/$CGROUP_NAME/memory.limit_in_bytes")" = 67108864 ]
	[ "$(cat "/sys/fs/cgroup/pids/$CGROUP_NAME/pids.max")" = 20 ]
	[ "$(cat "/sys/fs/cgroup/cpu/$CGROUP_NAME/cpu.shares")" = 300 ]
	# Inside, the container sees the new limit in its own cgroup.
	run ocirun exec "$ID" cat /sys/fs/cgroup/pids/pids.max
	expect_status 0
	[ "$output" = 20 ]
}

@test "update: --resources - reads linux.resources JSON from stdin (dockerd's way)" {
	run_detached
	wait_for_status "$ID" running
	run bash -c "echo '{\"pids\":{\"limit\":33},\"memory\":{\"limit\":33554432}}' | $OCIRUN --root $ROOT update --resources - $ID"
	expect_status 0
	[ "$(cat "/sys/fs/cgroup/pids/$CGROUP_NAME/pids.max")" = 33 ]
	[ "$(cat "/sys/fs/cgroup/memory/$CGROUP_NAME/memory.limit_in_bytes")" = 33554432 ]
	# Device rules are untouched by update: /dev/null still works.
	run ocirun exec "$ID" sh -c 'echo x > /dev/null && echo ok'
	expect_status 0
	[ "$output" = ok ]
}

@test "update: bad values and stopped containers fail clearly" {
	run_detached
	wait_for_status "$ID" running
	run ocirun update --memory lots "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *--memory* ]]
	run ocirun update --pids-limit x "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *--pids-limit* ]]
	run ocirun kill "$ID" KILL
	wait_for_status "$ID" stopped
	run ocirun update --memory 64m "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *stopped* ]]
}
