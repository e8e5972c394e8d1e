#!/usr/bin/env bats
# Namespaces: new ones from the config, joined ones by path, user ns mappings.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

# add_namespace TYPE [PATH]
add_namespace() {
	update_config '.linux.namespaces |= (map(select(.type != $t)) + [{type: $t} + (if $p == "" then {} else {path: $p} end)])' \
		--arg t "$1" --arg p "${2:-}"
}

@test "namespaces: pid - the program is PID 1 and sees only its own processes" {
	# "exit 0" keeps sh from exec'ing ps, so both show up.
	set_args sh -c 'echo pid=$$; readlink /proc/self/ns/pid; ps -o pid,comm; exit 0'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = pid=1 ]
	[ "${lines[1]}" != "$(readlink /proc/self/ns/pid)" ]
	[[ "${lines[1]}" =~ ^pid:\[[0-9]+\]$ ]]
	# ps: header, sh (1) and ps itself.
	[ "${#lines[@]}" -eq 5 ]
	[[ "${lines[3]}" =~ ^\ *1\ +sh$ ]]
}

@test "namespaces: pid - the host sees the init in another pid namespace" {
	set_args sleep 100
	run_detached
	local pid
	pid="$(init_pid)"
	[ "$(readlink "/proc/$pid/ns/pid")" != "$(readlink /proc/self/ns/pid)" ]
	# NSpid: host pid, then 1 inside the container.
	[[ "$(grep NSpid "/proc/$pid/status")" =~ ^NSpid:[[:space:]]+${pid}[[:space:]]+1$ ]]
}

@test "namespaces: uts - hostname from config, host hostname untouched" {
	local host_name
	host_name="$(hostname)"
	update_config '.hostname = "ocirun-ctr"'
	set_args sh -c 'hostname; readlink /proc/self/ns/uts'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = ocirun-ctr ]
	[ "${lines[1]}" != "$(readlink /proc/self/ns/uts)" ]
	[ "$(hostname)" = "$host_name" ]
}

@test "namespaces: ipc and mount are new namespaces" {
	set_args sh -c 'readlink /proc/self/ns/ipc; readlink /proc/self/ns/mnt'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[[ "${lines[0]}" =~ ^ipc: ]]
	[ "${lines[0]}" != "$(readlink /proc/self/ns/ipc)" ]
	[[ "${lines[1]}" =~ ^mnt: ]]
	[ "${lines[1]}" != "$(readlink /proc/self/ns/mnt)" ]
}

@test "namespaces: net - only lo" {
	set_args sh -c 'ip -o link | cut -d: -f2; echo ---; tail -n +3 /proc/net/dev | cut -d: -f1; readlink /proc/self/ns/net'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$(echo "$output" | sed -n '1,/^---$/p' | tr -d ' ')" = "$(printf 'lo\n---')" ]
	[ "$(echo "$output" | sed -n '/^---$/,$p' | sed -n 2p | tr -d ' ')" = lo ]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[3]}" != "$(readlink /proc/self/ns/net)" ]
}

@test "namespaces: net - lo is up in a new network namespace, as runc and crun set it" {
	# Bit 0 of the flags is IFF_UP (the kernel makes lo down).
	set_args cat /sys/class/net/lo/flags
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ $((output & 1)) -eq 1 ]
}

@test "namespaces: cgroup - the container's cgroups read as /" {
	add_namespace cgroup
	set_args sh -c 'cat /proc/self/cgroup; readlink /proc/self/ns/cgroup'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[-1]}" != "$(readlink /proc/self/ns/cgroup)" ]
	local line
	for line in "${lines[@]:0:${#lines[@]}-1}"; do
		[[ "$line" =~ ^[0-9]+:[^:]*:/$ ]] || {
			echo "not a root cgroup path: $line" >&2
			return 1
		}
	done
	echo "$output" | grep -qx '0::/'
}

@test "namespaces: joining an existing net and uts namespace by path" {
	start_helper unshare --net --uts sleep 100
	local net uts i
	# Wait until the helper has unshared (its ns differs from ours).
	for i in $(seq 50); do
		net="$(readlink "/proc/$HELPER_PID/ns/net")"
		[ "$net" != "$(readlink /proc/self/ns/net)" ] && break
		sleep 0.1
	done
	[ "$net" != "$(readlink /proc/self/ns/net)" ]
	uts="$(readlink "/proc/$HELPER_PID/ns/uts")"
	# No hostname: this test is about joining, not about writing into a
	# namespace the container does not own.
	update_config 'del(.hostname)'
	add_namespace network "/proc/$HELPER_PID/ns/net"
	add_namespace uts "/proc/$HELPER_PID/ns/uts"
	set_args sh -c 'readlink /proc/self/ns/net; readlink /proc/self/ns/uts'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = "$net" ]
	[ "${lines[1]}" = "$uts" ]
}

@test "namespaces: user - uid/gid mappings" {
	let_mapped_root_in
	add_namespace user
	update_config '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
	set_args sh -c 'id -u; id -g; cat /proc/self/uid_map; exec sleep 100'
	if ! ocirun run -d --bundle "$BUNDLE" "$ID" </dev/null >"$CTR_OUT" 2>&1; then
		cat "$CTR_OUT" >&2
		return 1
	fi
	local pid
	pid="$(init_pid)"
	wait_for_output "$CTR_OUT" '100000'
	[ "$(sed -n 1p "$CTR_OUT")" = 0 ]
	[ "$(sed -n 2p "$CTR_OUT")" = 0 ]
	[[ "$(sed -n 3p "$CTR_OUT")" =~ ^\ *0\ +100000\ +65536$ ]]
	# Host view: the init runs as the mapped host ids.
	[[ "$(grep '^Uid:' "/proc/$pid/status")" =~ ^Uid:[[:space:]]+100000[[:space:]] ]]
	[[ "$(grep '^Gid:' "/proc/$pid/status")" =~ ^Gid:[[:space:]]+100000[[:space:]] ]]
	[ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ]
}

@test "namespaces: time - linux.timeOffsets shift boottime and monotonic" {
	skip_if_runc # runc 1.1.5 predates time namespaces
	add_namespace time
	update_config '.linux.timeOffsets = {boottime: {secs: 86400}, monotonic: {secs: 3600, nanosecs: 5}}'
	set_args sh -c 'cat /proc/uptime; cat /proc/self/timens_offsets'
	local host_uptime
	host_uptime="$(cut -d. -f1 /proc/uptime)"
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	# /proc/uptime follows CLOCK_BOOTTIME: a day ahead inside.
	local inside="${lines[0]%%.*}"
	[ "$inside" -ge $((host_uptime + 86400)) ]
	[ "$inside" -lt $((host_uptime + 86400 + 60)) ]
	[[ "${lines[1]}" =~ ^monotonic\ +3600\ +5$ ]]
	[[ "${lines[2]}" =~ ^boottime\ +86400\ +0$ ]]
}

@test "namespaces: user - user.* sysctls are set in the container's user namespace" {
	skip_if_runc # runc 1.1.5 refuses user.* sysctls
	let_mapped_root_in
	add_namespace user
	update_config '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.sysctl = {"user.max_user_namespaces": "7"}'
	set_args cat /proc/sys/user/max_user_namespaces
	local host_value
	host_value="$(cat /proc/sys/user/max_user_namespaces)"
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = 7 ]
	[ "$(cat /proc/sys/user/max_user_namespaces)" = "$host_value" ]
}

@test "namespaces: user - joining a user namespace by path, with new others" {
	skip_if_runc # runc 1.1.5 wants uidMappings even when joining
	let_mapped_root_in
	# The namespace is held open by a helper; the host writes its maps.
	start_helper unshare --user sleep 100
	local i
	for i in $(seq 50); do
		[ "$(readlink "/proc/$HELPER_PID/ns/user")" != "$(readlink /proc/self/ns/user)" ] && break
		sleep 0.1
	done
	echo "0 200000 65536" >"/proc/$HELPER_PID/uid_map"
	echo "0 200000 65536" >"/proc/$HELPER_PID/gid_map"
	add_namespace user "/proc/$HELPER_PID/ns/user"
	set_args sh -c 'readlink /proc/self/ns/user; cat /proc/self/uid_map; id -u; hostname'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = "$(readlink "/proc/$HELPER_PID/ns/user")" ]
	[[ "${lines[1]}" =~ ^\ *0\ +200000\ +65536$ ]]
	[ "${lines[2]}" = 0 ]
	# The new uts namespace belongs to the joined user namespace, so the
	# container could set its hostname in it.
	[ "${lines[3]}" = "$(jq -r .hostname "$BUNDLE/config.json")" ]
}

@test "namespaces: user - without its own net namespace /sys is bound from the host" {
	# sysfs can only be mounted by the owner of the network namespace; like
	# runc 1.2+, ocirun then binds the host's /sys read-only instead.
	skip_if_runc # runc 1.1.5 fails with EPERM
	let_mapped_root_in
	add_namespace user
	update_config '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.namespaces |= map(select(.type != "network"))'
	set_args sh -c 'ls /sys/class/net | sort | tr "\n" " "; echo; touch /sys/x 2>&1 || true'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = "$(ls /sys/class/net | sort | tr '\n' ' ')" ]
	expect_output_contains "Read-only file system"
}

@test "namespaces: user - a rootfs the mapped root cannot reach fails clearly" {
	skip_if_runc # ocirun's message
	chmod 700 "$BUNDLE"
	add_namespace user
	update_config '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
	run ocirun run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains "root.path: $BUNDLE (mode 0700, owner 0:0) is not searchable by the container's root, host uid 100000"
	[ ! -e "$ROOT/$ID" ]
}
