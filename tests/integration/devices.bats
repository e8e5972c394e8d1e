#!/usr/bin/env bats
# Devices: the default /dev, its symlinks, and linux.devices entries; the
# device rules as v1's devices.list or, on v2, an eBPF program.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

@test "devices: default devices with the right type and numbers" {
	# stat prints major:minor in hex.
	set_args sh -c 'for d in null zero full random urandom tty; do echo "$d $(stat -c "%F %t:%T %a" /dev/$d)"; done'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = "null character special file 1:3 666" ]
	[ "${lines[1]}" = "zero character special file 1:5 666" ]
	[ "${lines[2]}" = "full character special file 1:7 666" ]
	[ "${lines[3]}" = "random character special file 1:8 666" ]
	[ "${lines[4]}" = "urandom character special file 1:9 666" ]
	[ "${lines[5]}" = "tty character special file 5:0 666" ]
	# Host view: the nodes live in the container's /dev, not in the bundle.
	[ -z "$(ls -A "$ROOTFS/dev")" ]
}

@test "devices: default devices work" {
	set_args sh -c 'echo gone >/dev/null && echo null-ok; head -c 4 /dev/zero | wc -c; head -c 4 /dev/urandom | wc -c'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = null-ok ]
	[ "${lines[1]}" = 4 ]
	[ "${lines[2]}" = 4 ]
}

@test "devices: /dev symlinks" {
	set_args sh -c 'for l in fd stdin stdout stderr ptmx; do echo "$l -> $(readlink /dev/$l)"; done; ls /dev/fd/ | grep -qx 0 && echo fd-ok'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = "fd -> /proc/self/fd" ]
	[ "${lines[1]}" = "stdin -> /proc/self/fd/0" ]
	[ "${lines[2]}" = "stdout -> /proc/self/fd/1" ]
	[ "${lines[3]}" = "stderr -> /proc/self/fd/2" ]
	[ "${lines[4]}" = "ptmx -> pts/ptmx" ]
	[ "${lines[5]}" = fd-ok ]
}

@test "devices: linux.devices entries are created with mode and owner" {
	update_config '.linux.devices = [{path: "/dev/mynull", type: "c", major: 1, minor: 3, fileMode: 384, uid: 1000, gid: 1001}]
		| .process.user = {uid: 1000, gid: 1000}'
	set_args sh -c 'stat -c "%F %t:%T %a %u %g" /dev/mynull; echo x >/dev/mynull && echo write-ok; exec sleep 100'
	run_detached
	local pid
	pid="$(init_pid)"
	wait_for_output "$CTR_OUT" write-ok
	[ "$(sed -n 1p "$CTR_OUT")" = "character special file 1:3 600 1000 1001" ]
	# Host view: the node lives in the container's /dev, not in the bundle;
	# the host reaches it through the init's root.
	[ ! -e "$ROOTFS/dev/mynull" ]
	[ "$(stat -c '%t:%T %u %g' "/proc/$pid/root/dev/mynull")" = "1:3 1000 1001" ]
}

@test "devices: the devices cgroup gates access to a linux.devices node" {
	# loop-control (10:237) as a probe: opening it has no side effect, and
	# for root only the devices cgroup can refuse it.
	update_config '.linux.devices = [{path: "/dev/probe", type: "c", major: 10, minor: 237, fileMode: 384}]'
	set_args sh -c '(: </dev/probe) 2>/dev/null && echo open-ok || echo open-denied'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = open-denied ]

	update_config '.linux.resources.devices += [{allow: true, type: "c", major: 10, minor: 237, access: "rw"}]'
	set_args sh -c '(: </dev/probe) && echo open-ok; exec sleep 100'
	run_detached
	init_pid >/dev/null
	wait_for_output "$CTR_OUT" open-ok
	# Host view: v1's list allows exactly that; v2 has no list (the rules
	# are an eBPF program: cgroups_v2.bats).
	if ! is_cgroup_v2; then
		grep -qx "c 10:237 rw" "$(cgroup_dir devices)/devices.list"
	fi
}

@test "devices: host view of the devices cgroup" {
	set_args sleep 100
	run_detached
	init_pid >/dev/null
	if is_cgroup_v2; then
		# No devices files on v2: one device program is attached instead.
		one_device_program "$(cgroup_dir devices)"
		return
	fi
	local list
	list="$(cgroup_dir devices)/devices.list"
	[ -f "$list" ]
	grep -qx 'c 1:3 rwm' "$list"
	grep -qx 'c 1:5 rwm' "$list"
	# Not everything: the default config denies all but the defaults.
	if grep -qx 'a \*:\* rwm' "$list"; then
		echo "devices cgroup allows everything" >&2
		return 1
	fi
}
