#!/usr/bin/env bats
# cgroup v2 only: what the v2 manager does that v1 does not. These tests
# skip on v1 and hybrid hosts; the VM tier (tests/vm/run.sh, `make
# test-v2`) runs them on a pure cgroup2 kernel, together with the files
# whose tests check the v1 or the v2 files by layout (cgroups.bats: limits,
# OOM kill, pids, removal on delete; pause.bats: cgroup.freeze;
# devices.bats; update.bats).

load helpers

setup() {
	skip_unless_cgroup v2 "this host's limits live in cgroup v1 controllers"
	setup_bundle
}

teardown() {
	teardown_bundle
}

@test "cgroups v2: linux.resources.unified keys land in their files, over the structured fields" {
	update_config '.linux.resources.memory = {limit: 67108864}
		| .linux.resources.unified = {
			"memory.max": "33554432", "memory.high": "25165824",
			"pids.max": "42", "cpu.weight": "77"}'
	# The container's cgroup namespace shows its cgroup as / with its files.
	set_args sh -c 'cat /proc/self/cgroup /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max; exec sleep 100'
	run_detached
	init_pid >/dev/null
	wait_for_output "$CTR_OUT" '^42$'
	[ "$(cat "$CTR_OUT")" = $'0::/\n33554432\n42' ]
	# Host view: unified is written last, so it overrides memory.limit.
	expect_cgroup memory memory.max 33554432
	expect_cgroup memory memory.high 25165824
	expect_cgroup pids pids.max 42
	expect_cgroup cpu cpu.weight 77
}

@test "cgroups v2: a nested cgroupsPath gets its controllers from every parent; delete removes the parents it made" {
	# The test makes the top directory; the runtime makes mid/ and leaf/.
	local top="/sys/fs/cgroup/$CGROUP_NAME"
	mkdir "$top"
	update_config '.linux.cgroupsPath = $p
		| .linux.resources.memory = {limit: 67108864}
		| .linux.resources.pids = {limit: 30}' --arg p "/$CGROUP_NAME/mid/leaf"
	set_args sleep 100
	run_detached
	local pid
	pid="$(init_pid)"
	grep -qx "$pid" "$top/mid/leaf/cgroup.procs"
	# A cgroup has memory.max only once every ancestor delegates memory in
	# its cgroup.subtree_control.
	local dir ctrl
	for dir in "$top" "$top/mid"; do
		for ctrl in memory pids; do
			grep -qw "$ctrl" "$dir/cgroup.subtree_control" || {
				echo "$ctrl not in $dir/cgroup.subtree_control: $(cat "$dir/cgroup.subtree_control")" >&2
				return 1
			}
		done
	done
	[ "$(cat "$top/mid/leaf/memory.max")" = 67108864 ]
	[ "$(cat "$top/mid/leaf/pids.max")" = 30 ]

	run ocirun delete --force "$ID"
	expect_status 0
	[ ! -e "$top/mid" ]
	# Not made by the runtime: left in place.
	[ -d "$top" ]
	rmdir "$top"
}

@test "cgroups v2: device rules are one eBPF program that stays one across updates" {
	# loop-control (10:237) as a probe: only the device program can refuse
	# it to root.
	update_config '.linux.devices = [{path: "/dev/probe", type: "c", major: 10, minor: 237, fileMode: 384}]'
	set_args sleep 100
	run_detached
	init_pid >/dev/null
	local dir before
	dir="$(cgroup_dir devices)"
	before="$(one_device_program "$dir")"
	is_runc || [[ "$before" == *" ocirun_devices" ]]
	run ocirun exec "$ID" sh -c '(: </dev/probe) 2>/dev/null && echo probe-open; echo x >/dev/null && echo null-ok'
	expect_status 0
	[ "$output" = null-ok ]

	# An update without device rules leaves one program with the same
	# verdicts (runc re-attaches the rules, ocirun keeps the program).
	run ocirun update --pids-limit 99 "$ID"
	expect_status 0
	one_device_program "$dir"
	run ocirun exec "$ID" sh -c '(: </dev/probe) 2>/dev/null && echo probe-open; echo x >/dev/null && echo null-ok'
	expect_status 0
	[ "$output" = null-ok ]
}

@test "cgroups v2: update with device rules replaces the eBPF program" {
	# runc's update ignores linux.resources.devices.
	skip_if_runc
	update_config '.linux.devices = [{path: "/dev/probe", type: "c", major: 10, minor: 237, fileMode: 384}]'
	set_args sleep 100
	run_detached
	init_pid >/dev/null
	local dir before after
	dir="$(cgroup_dir devices)"
	before="$(one_device_program "$dir")"
	# The new rules allow /dev/null and the probe, and nothing else.
	run bash -c "$OCIRUN --root $ROOT update --resources - $ID" <<-'EOF'
		{"devices": [
			{"allow": false, "access": "rwm"},
			{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"},
			{"allow": true, "type": "c", "major": 10, "minor": 237, "access": "rw"}]}
	EOF
	expect_status 0
	after="$(one_device_program "$dir")"
	[ "$after" != "$before" ]
	# Both programs would have to allow a device while both were attached:
	# the probe opening proves the old one is gone; /dev/zero (allowed
	# before) being refused proves the new one is in force.
	run ocirun exec "$ID" sh -c '(: </dev/probe) && echo probe-open; (: </dev/zero) 2>/dev/null && echo zero-open; echo x >/dev/null && echo null-ok'
	expect_status 0
	[ "$output" = $'probe-open\nnull-ok' ]
}

@test "cgroups v2: fields v2 cannot honour are refused, naming the field" {
	skip_if_runc
	set_args sleep 100
	local field resources
	for field in memory.disableOOMKiller cpu.realtimeRuntime network.priorities; do
		case "$field" in
		memory.disableOOMKiller) resources='{"memory": {"disableOOMKiller": true}}' ;;
		cpu.realtimeRuntime) resources='{"cpu": {"realtimeRuntime": 1000}}' ;;
		network.priorities) resources='{"network": {"priorities": [{"name": "lo", "priority": 1}]}}' ;;
		esac
		update_config '.linux.resources = $r' --argjson r "$resources"
		run ocirun create --bundle "$BUNDLE" "$ID"
		[ "$status" -ne 0 ]
		expect_output_contains "linux.resources.$field: not supported on cgroup v2"
		assert_no_leftovers
	done
}
