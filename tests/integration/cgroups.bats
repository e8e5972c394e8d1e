#!/usr/bin/env bats
# cgroups on both layouts: on this hybrid host every v1 hierarchy plus
# cgroup2 at unified/ (the v1 files are checked); on a pure v2 host, e.g.
# the VM tier (tests/vm/run.sh), the one cgroup2 directory (the v2 files,
# after runc's conversions, are checked). v2-only behaviour is in
# cgroups_v2.bats.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

@test "cgroups: the init is in /ocirun-test-<id> of every hierarchy" {
	# Without a cgroup namespace the container sees its host cgroup paths.
	update_config '.linux.namespaces |= map(select(.type != "cgroup"))'
	set_args sh -c 'cat /proc/self/cgroup; exec sleep 100'
	run_detached
	local pid mnt ctl
	pid="$(init_pid)"
	wait_for_output "$CTR_OUT" '^0::'
	for mnt in "${CGROUP_MOUNTS[@]}"; do
		grep -qx "$pid" "$mnt/$CGROUP_NAME/cgroup.procs" || {
			echo "$pid not in $mnt/$CGROUP_NAME/cgroup.procs" >&2
			return 1
		}
	done
	# Inside, without a cgroup namespace, /proc/self/cgroup names that path
	# for every v1 controller (none on v2) and for cgroup2 ("0::").
	for ctl in "${CGROUP_V1_CONTROLLERS[@]}"; do
		grep -Eq "^[0-9]+:([^:]*,)?$ctl(,[^:]*)?:/$CGROUP_NAME\$" "$CTR_OUT" || {
			echo "no $ctl line naming /$CGROUP_NAME in:" >&2
			cat "$CTR_OUT" >&2
			return 1
		}
	done
	grep -qx "0::/$CGROUP_NAME" "$CTR_OUT"
	if is_cgroup_v2; then
		[ "$(wc -l <"$CTR_OUT")" -eq 1 ]
	fi
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

@test "cgroups: memory, cpu and pids limits reach the cgroup files" {
	update_config '.linux.resources.memory = {limit: 67108864, reservation: 33554432}
		| .linux.resources.pids = {limit: 50}
		| .linux.resources.cpu = {shares: 512, quota: 50000, period: 100000}'
	local limit_file=memory.limit_in_bytes
	is_cgroup_v2 && limit_file=memory.max
	# Inside, the cgroup namespace shows the container's own files.
	set_args sh -c "cat $(container_cgroup_file memory $limit_file) $(container_cgroup_file pids pids.max); exec sleep 100"
	run_detached
	init_pid >/dev/null
	wait_for_output "$CTR_OUT" '^50$'
	[ "$(sed -n 1p "$CTR_OUT")" = 67108864 ]
	# Host view.
	expect_cgroup pids pids.max 50
	if is_cgroup_v2; then
		expect_cgroup memory memory.max 67108864
		expect_cgroup memory memory.low 33554432
		# runc's conversion: weight = 1 + (shares - 2) * 9999 / 262142.
		expect_cgroup cpu cpu.weight 20
		expect_cgroup cpu cpu.max "50000 100000"
	else
		expect_cgroup memory memory.limit_in_bytes 67108864
		expect_cgroup memory memory.soft_limit_in_bytes 33554432
		expect_cgroup cpu cpu.shares 512
		expect_cgroup cpu cpu.cfs_quota_us 50000
		expect_cgroup cpu cpu.cfs_period_us 100000
	fi
}

@test "cgroups: memory.swap is memory+swap on v1, swap alone (memory.swap.max) on v2" {
	# 64 MiB of memory, 96 MiB of memory+swap: 32 MiB of swap.
	update_config '.linux.resources.memory = {limit: 67108864, swap: 100663296}'
	set_args sleep 100
	if ! is_cgroup_v2 && [[ ! -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]]; then
		skip "no swap accounting on this host (memory.memsw.*)"
	fi
	run_detached
	init_pid >/dev/null
	if is_cgroup_v2; then
		expect_cgroup memory memory.max 67108864
		expect_cgroup memory memory.swap.max 33554432
	else
		expect_cgroup memory memory.limit_in_bytes 67108864
		expect_cgroup memory memory.memsw.limit_in_bytes 100663296
	fi
}

# whole_disk: MAJ:MIN of a block device of this host (in the VM, loop0:
# 7:0); throttles may only name an existing disk.
whole_disk() {
	local dev
	for dev in /sys/block/*/dev; do
		[[ -e "$dev" ]] && cat "$dev" && return 0
	done
	return 1
}

@test "cgroups: blockIO throttles reach blkio.throttle.* (v1) or io.max (v2)" {
	local disk major minor
	disk="$(whole_disk)" || skip "no block device on this host"
	major="${disk%:*}" minor="${disk#*:}"
	update_config '.linux.resources.blockIO = {
			throttleReadBpsDevice: [{major: $ma, minor: $mi, rate: 1048576}],
			throttleWriteIOPSDevice: [{major: $ma, minor: $mi, rate: 100}]}' \
		--argjson ma "$major" --argjson mi "$minor"
	set_args sleep 100
	run_detached
	init_pid >/dev/null
	if is_cgroup_v2; then
		expect_cgroup io io.max "$disk rbps=1048576 wbps=max riops=max wiops=100"
	else
		expect_cgroup blkio blkio.throttle.read_bps_device "$disk 1048576"
		expect_cgroup blkio blkio.throttle.write_iops_device "$disk 100"
	fi
}

@test "cgroups: blockIO.weight reaches the weight file of this kernel's scheduler" {
	if ! is_cgroup_v2 && [[ ! -e /sys/fs/cgroup/blkio/blkio.weight && ! -e /sys/fs/cgroup/blkio/blkio.bfq.weight ]]; then
		skip "this kernel has no v1 blkio weight (neither CFQ nor BFQ's blkio.bfq.weight)"
	fi
	update_config '.linux.resources.blockIO = {weight: 500}'
	set_args sleep 100
	run_detached
	init_pid >/dev/null
	local dir
	dir="$(cgroup_dir blkio)"
	if is_cgroup_v2 && [[ -e "$dir/io.bfq.weight" ]]; then
		# BFQ takes the v1 scale as is.
		expect_cgroup io io.bfq.weight "default 500"
	elif is_cgroup_v2; then
		# runc's conversion: 1 + (weight - 10) * 9999 / 990.
		expect_cgroup io io.weight "default 4950"
	elif [[ -e "$dir/blkio.weight" ]]; then
		expect_cgroup blkio blkio.weight 500
	else
		expect_cgroup blkio blkio.bfq.weight 500
	fi
}

@test "cgroups: the pids limit is enforced" {
	set_args sh -c 'for i in $(seq 20); do sleep 100 & done; echo spawned'
	# Without a limit, twenty children fork fine.
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = spawned ]
	# With pids.limit 12 the shell runs out of forks. (Not lower: the
	# runtime's Go init runs under the limit too, and under emulation it
	# starts more threads.)
	update_config '.linux.resources.pids = {limit: 12}'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_output_contains "can't fork"
	[[ "$output" != *spawned* ]]
}

@test "cgroups: the memory limit OOM-kills an allocation loop, not its parent" {
	# No swap to spill into: memory+swap equals the limit.
	update_config '.linux.resources.memory = {limit: 33554432, swap: 33554432}'
	# The inner shell doubles a string until the kernel kills it.
	set_args sh -c 'sh -c "x=y; while :; do x=\$x\$x; done"; echo "loop exit $?"; exec sleep 100'
	run_detached
	init_pid >/dev/null
	wait_for_output "$CTR_OUT" '^loop exit'
	# 137 = 128 + SIGKILL (the shell also reports "Killed").
	grep -qx "loop exit 137" "$CTR_OUT"
	[ "$(container_field "$ID" status)" = running ]
	# Host view: the cgroup counted the kill.
	if is_cgroup_v2; then
		grep -Eqx 'oom_kill [1-9][0-9]*' "$(cgroup_dir memory)/memory.events"
	else
		grep -Eqx 'oom_kill [1-9][0-9]*' "$(cgroup_dir memory)/memory.oom_control"
	fi
}

@test "cgroups: network.classID is written to net_cls, or refused naming the field" {
	skip_if_runc
	update_config '.linux.resources.network = {classID: 1048577}'
	set_args sleep 100
	if ! is_cgroup_v2 && [[ -d /sys/fs/cgroup/net_cls ]]; then
		run_detached
		init_pid >/dev/null
		expect_cgroup net_cls net_cls.classid 1048577
		return
	fi
	# Pure v2 has no net_cls; this hybrid host does not mount it.
	run ocirun create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains "linux.resources.network.classID"
	assert_no_leftovers
}

@test "cgroups: a unified key for a controller on v1 fails naming the key" {
	skip_unless_cgroup v1 "cgroup v2 writes unified keys (cgroups_v2.bats)"
	update_config '.linux.resources.unified = {"memory.max": "67108864"}'
	set_args sleep 100
	run ocirun create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	# runc refuses unified on any non-v2 host, with its own words.
	is_runc || expect_output_contains 'linux.resources.unified["memory.max"]'
	assert_no_leftovers
}
