#!/usr/bin/env bats
# One-syscall process attributes, seen through /proc inside the container
# (and ionice on the host): process.scheduler, process.ioPriority,
# process.execCPUAffinity (exec only), linux.personality and
# linux.memoryPolicy.
# shellcheck disable=SC2016 # scripts for the container, in single quotes on purpose
# shellcheck disable=SC2154 # status, output, lines are set by bats' run

load helpers

bats_require_minimum_version 1.5.0

setup() {
	skip_if_runc # runc 1.1.5 predates these fields
	setup_bundle true
}

teardown() {
	teardown_bundle
}

# stat_script prints nice, rt_priority and policy (fields 19, 40 and 41 of
# /proc/self/stat) from inside the container.
stat_script='s=$(cat /proc/self/stat); s=${s##*) }; set -- $s; shift 15; echo "nice=$2 rtprio=${23} policy=${24}"'

@test "attrs: process.scheduler SCHED_BATCH with a nice value" {
	update_config '.process.scheduler = {policy: "SCHED_BATCH", nice: 5}'
	set_args sh -c "$stat_script"
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = "nice=5 rtprio=0 policy=3" ]
}

@test "attrs: process.scheduler SCHED_FIFO with a real-time priority" {
	# With RT group scheduling (cgroup v1 cpu.rt_runtime_us) a cgroup needs
	# a real-time budget before a task in it may become real-time.
	update_config '.process.scheduler = {policy: "SCHED_FIFO", priority: 10}
		| .linux.resources.cpu.realtimeRuntime = 10000'
	set_args sh -c "$stat_script"
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = "nice=0 rtprio=10 policy=1" ]
}

@test "attrs: process.ioPriority, seen by ionice on the host" {
	update_config '.process.ioPriority = {class: "IOPRIO_CLASS_BE", priority: 6}'
	set_args sleep 100
	run_detached
	run ionice -p "$(init_pid)"
	expect_status 0
	[ "$output" = "best-effort: prio 6" ]
}

@test "attrs: process.execCPUAffinity.final pins an exec'd process" {
	[ "$(nproc)" -ge 2 ] || skip "needs two CPUs"
	set_args sleep 100
	run_detached
	init_pid >/dev/null
	jq '.process | .args = ["sh", "-c", "grep Cpus_allowed_list /proc/self/status"] | .execCPUAffinity = {initial: "0", final: "1"}' \
		"$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/process.json"
	run ocirun exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
	expect_status 0
	[[ "$output" =~ Cpus_allowed_list:[[:space:]]+1$ ]]
	# Without a final list the initial pinning is undone.
	jq '.execCPUAffinity = {initial: "0"}' "$BATS_TEST_TMPDIR/process.json" >"$BATS_TEST_TMPDIR/p2.json"
	run ocirun exec --process "$BATS_TEST_TMPDIR/p2.json" "$ID"
	expect_status 0
	[[ "$output" =~ Cpus_allowed_list:[[:space:]]+$(cat /sys/fs/cgroup/cpuset/cpuset.cpus 2>/dev/null || echo "0-$(($(nproc) - 1))")$ ]]
}

@test "attrs: linux.personality LINUX32 makes uname report a 32-bit machine" {
	[ "$(uname -m)" = x86_64 ] || skip "x86_64 only"
	update_config '.linux.personality = {domain: "LINUX32"}'
	set_args uname -m
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = i686 ]
}

@test "attrs: linux.memoryPolicy MPOL_BIND shows in numa_maps" {
	[ -e /proc/self/numa_maps ] || skip "kernel without NUMA"
	update_config '.linux.memoryPolicy = {mode: "MPOL_BIND", nodes: "0"}'
	set_args sh -c 'grep -c " bind:0 " /proc/self/numa_maps'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" -gt 0 ]
}

@test "attrs: bad values fail with the field named, leaving nothing" {
	update_config '.process.scheduler = {policy: "SCHED_FIFO", priority: 0}'
	run ocirun run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains "process.scheduler.priority"
	update_config 'del(.process.scheduler) | .linux.memoryPolicy = {mode: "MPOL_BIND", nodes: "x"}'
	run ocirun run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains 'linux.memoryPolicy.nodes: invalid list "x"'
	[ ! -e "$ROOT/$ID" ]
}
