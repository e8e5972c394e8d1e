#!/usr/bin/env bats
# update: new limits reach the live container's cgroups (v1 files on v1 and
# hybrid hosts, v2 files after runc's conversions on pure v2 hosts).

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
	run ocirun update --memory 64m --memory-reservation 32m --pids-limit 20 \
		--cpu-share 300 --cpu-quota 25000 --cpu-period 50000 "$ID"
	expect_status 0
	expect_cgroup pids pids.max 20
	if is_cgroup_v2; then
		expect_cgroup memory memory.max 67108864
		expect_cgroup memory memory.low 33554432
		# runc's conversion: weight = 1 + (shares - 2) * 9999 / 262142.
		expect_cgroup cpu cpu.weight 12
		expect_cgroup cpu cpu.max "25000 50000"
	else
		expect_cgroup memory memory.limit_in_bytes 67108864
		expect_cgroup memory memory.soft_limit_in_bytes 33554432
		expect_cgroup cpu cpu.shares 300
		expect_cgroup cpu cpu.cfs_quota_us 25000
		expect_cgroup cpu cpu.cfs_period_us 50000
	fi
	# Inside, the container sees the new limit in its own cgroup.
	run ocirun exec "$ID" cat "$(container_cgroup_file pids pids.max)"
	expect_status 0
	[ "$output" = 20 ]
}

@test "update: --memory-swap is memory+swap (v1) or swap alone (v2)" {
	if ! is_cgroup_v2 && [[ ! -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]]; then
		skip "no swap accounting on this host (memory.memsw.*)"
	fi
	run_detached
	wait_for_status "$ID" running
	run ocirun update --memory 64m --memory-swap 96m "$ID"
	expect_status 0
	if is_cgroup_v2; then
		expect_cgroup memory memory.swap.max 33554432
	else
		expect_cgroup memory memory.memsw.limit_in_bytes 100663296
	fi
	# Swap equal to the limit: no swap at all.
	run ocirun update --memory 64m --memory-swap 64m "$ID"
	expect_status 0
	if is_cgroup_v2; then
		expect_cgroup memory memory.swap.max 0
	else
		expect_cgroup memory memory.memsw.limit_in_bytes 67108864
	fi
}

@test "update: --resources - reads linux.resources JSON from stdin (dockerd's way)" {
	run_detached
	wait_for_status "$ID" running
	run bash -c "echo '{\"pids\":{\"limit\":33},\"memory\":{\"limit\":33554432}}' | $OCIRUN --root $ROOT update --resources - $ID"
	expect_status 0
	expect_cgroup pids pids.max 33
	if is_cgroup_v2; then
		expect_cgroup memory memory.max 33554432
	else
		expect_cgroup memory memory.limit_in_bytes 33554432
	fi
	# Device rules are untouched by update: /dev/null still works.
	run ocirun exec "$ID" sh -c 'echo x > /dev/null && echo ok'
	expect_status 0
	[ "$output" = ok ]
}

@test "update: bad values and stopped containers fail clearly" {
	run_detached
	wait_for_status "$ID" running
	# The messages are ocirun's (runc words them its own way).
	run ocirun update --memory lots "$ID"
	[ "$status" -ne 0 ]
	is_runc || [[ "$output" == *--memory* ]]
	run ocirun update --pids-limit x "$ID"
	[ "$status" -ne 0 ]
	is_runc || [[ "$output" == *--pids-limit* ]]
	run ocirun kill "$ID" KILL
	wait_for_status "$ID" stopped
	run ocirun update --memory 64m "$ID"
	[ "$status" -ne 0 ]
	is_runc || [[ "$output" == *stopped* ]]
}
