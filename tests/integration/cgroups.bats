#!/usr/bin/env bats
# cgroups on this hybrid host: every v1 hierarchy plus cgroup2 at unified/.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

@test "cgroups: the init is in /ocirun-test-<id> of every controller and unified" {
	# Without a cgroup namespace the container sees its host cgroup paths.
	update_config '.linux.namespaces |= map(select(.type != "cgroup"))'
	set_args sh -c 'cat /proc/self/cgroup; exec sleep 100'
	run_detached
	local pid ctl
	pid="$(init_pid)"
	wait_for_output "$CTR_OUT" '^0::'
	for ctl in "${CGROUP_V1_CONTROLLERS[@]}" unified; do
		grep -qx "$pid" "/sys/fs/cgroup/$ctl/$CGROUP_NAME/cgroup.procs" || {
			echo "$pid not in /sys/fs/cgroup/$ctl/$CGROUP_NAME/cgroup.procs" >&2
			return 1
		}
	done
	# Inside, without a cgroup namespace, /proc/self/cgroup names that path
	# for every controller and for cgroup2 ("0::").
	for ctl in "${CGROUP_V1_CONTROLLERS[@]}"; do
		grep -Eq "^[0-9]+:([^:]*,)?$ctl(,[^:]*)?:/$CGROUP_NAME\$" "$CTR_OUT" || {
			echo "no $ctl line naming /$CGROUP_NAME in:" >&2
			cat "$CTR_OUT" >&2
			return 1
		}
	done
	grep -qx "0::/$CGROUP_NAME" "$CTR_OUT"
	# The host's /proc/PID/cgroup agrees.
	diff "$CTR_OUT" "/proc/$pid/cgroup"
}

@test "cgroups: delete removes the cgroup directories" {
	set_args sleep 100
	run_detached
	init_pid >/dev/null
	local mnt
	for mnt in "${CGROUP_MOUNTS[@]}"; do
		[ -d "$mnt/$CGROUP_NAME" ]
	done
	run ocirun delete --force "$ID"
	expect_status 0
	for mnt in "${CGROUP_MOUNTS[@]}"; do
		[ ! -e "$mnt/$CGROUP_NAME" ]
	done
}

@test "cgroups: a foreground run removes its cgroups on exit" {
	set_args true
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	local mnt
	for mnt in "${CGROUP_MOUNTS[@]}"; do
		[ ! -e "$mnt/$CGROUP_NAME" ]
	done
}

@test "cgroups: memory, pids and cpu limits reach the host's cgroup files" {
	update_config '.linux.resources.memory = {limit: 67108864}
		| .linux.resources.pids = {limit: 50}
		| .linux.resources.cpu = {shares: 512}'
	set_args sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max; exec sleep 100'
	run_detached
	init_pid >/dev/null
	wait_for_output "$CTR_OUT" '^50$'
	[ "$(sed -n 1p "$CTR_OUT")" = 67108864 ]
	# Host view.
	[ "$(cat "/sys/fs/cgroup/memory/$CGROUP_NAME/memory.limit_in_bytes")" = 67108864 ]
	[ "$(cat "/sys/fs/cgroup/pids/$CGROUP_NAME/pids.max")" = 50 ]
	[ "$(cat "/sys/fs/cgroup/cpu/$CGROUP_NAME/cpu.shares")" = 512 ]
}

@test "cgroups: the pids limit is enforced" {
	set_args sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 100 & done; echo spawned'
	# Without a limit, eight children fork fine.
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = spawned ]
	# With pids.limit 5 the shell runs out of forks.
	update_config '.linux.resources.pids = {limit: 5}'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_output_contains "can't fork"
	[[ "$output" != *spawned* ]]
}
