#!/usr/bin/env bats
# Rootless: ocirun run by an unprivileged user, with the config from
# `spec --rootless`: the user's own id mapped to root (written by ocirun),
# multi-range maps through newuidmap/newgidmap and /etc/subuid, no cgroups
# when the user may not write them, clear errors for what is missing.
# setup_file creates the user (and its subordinate ids); teardown_file
# removes it.
# shellcheck disable=SC2154 # status, output, lines are set by bats' run

load helpers

bats_require_minimum_version 1.5.0

setup_file() {
	command -v newuidmap >/dev/null || skip "newuidmap missing (Debian package uidmap)"
	export RL_USER="ocirl$$"
	useradd --no-create-home --shell /usr/sbin/nologin "$RL_USER"
	RL_UID="$(id -u "$RL_USER")"
	RL_GID="$(id -g "$RL_USER")"
	# useradd allocates subordinate ranges when /etc/login.defs asks for
	# them (Debian's default); make sure there is one.
	if ! grep -q "^$RL_USER:" /etc/subuid 2>/dev/null; then
		usermod --add-subuids 300000-365535 --add-subgids 300000-365535 "$RL_USER"
	fi
	RL_SUBUID="$(awk -F: -v u="$RL_USER" '$1 == u {print $2; exit}' /etc/subuid)"
	RL_SUBGID="$(awk -F: -v u="$RL_USER" '$1 == u {print $2; exit}' /etc/subgid)"
	export RL_UID RL_GID RL_SUBUID RL_SUBGID
}

teardown_file() {
	[[ -n "${RL_USER:-}" ]] || return 0
	userdel "$RL_USER" 2>/dev/null
	# userdel keeps subordinate ids on some versions.
	sed -i "/^$RL_USER:/d" /etc/subuid /etc/subgid
}

setup() {
	setup_rootless_bundle "$RL_USER"
}

teardown() {
	teardown_bundle
	rm -rf "$RL_DIR"
}

# as_user CMD...: CMD as the unprivileged user, with its own runtime dir.
as_user() {
	timeout 20 setpriv --reuid="$RL_UID" --regid="$RL_GID" --clear-groups \
		env XDG_RUNTIME_DIR="$RL_DIR/xdg" HOME="$RL_DIR" "$@"
}

# rl_ocirun ARG...: ocirun as the user, with the test's state root.
rl_ocirun() {
	as_user "$OCIRUN" --root "$ROOT" "$@"
}

# map_subids: root to the user's own ids, 1-65535 to its subordinate range.
map_subids() {
	update_config '.linux.uidMappings = [{containerID: 0, hostID: $uid, size: 1}, {containerID: 1, hostID: $sub, size: 65535}]
		| .linux.gidMappings = [{containerID: 0, hostID: $gid, size: 1}, {containerID: 1, hostID: $subg, size: 65535}]' \
		--argjson uid "$RL_UID" --argjson gid "$RL_GID" --argjson sub "$RL_SUBUID" --argjson subg "$RL_SUBGID"
}

@test "rootless: spec --rootless runs as is, the user's uid is root inside" {
	skip_if_runc # runc's spec --rootless differs (terminal, paths)
	set_args sh -c 'id -u; cat /proc/self/uid_map; cat /proc/self/setgroups'
	run rl_ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = 0 ]
	read -r inside host size <<<"${lines[1]}"
	[ "$inside $host $size" = "0 $RL_UID 1" ]
	# One self-written map: setgroups must be denied (kernel rule).
	[ "${lines[2]}" = deny ]
}

@test "rootless: the state lives under \$XDG_RUNTIME_DIR/ocirun by default" {
	skip_if_runc # runc uses $XDG_RUNTIME_DIR/runc
	set_args true
	mkdir -m 700 "$RL_DIR/xdg"
	chown "$RL_USER" "$RL_DIR/xdg"
	ROOT="$RL_DIR/xdg/ocirun" # for teardown
	run as_user "$OCIRUN" run -d --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ -d "$RL_DIR/xdg/ocirun/$ID" ]
	[ "$(stat -c %U "$RL_DIR/xdg/ocirun/$ID")" = "$RL_USER" ]
}

@test "rootless: multi-range maps through newuidmap; ownership is shifted on the host" {
	map_subids
	update_config '.process.capabilities[] += ["CAP_CHOWN"]'
	set_args sh -c 'cat /proc/self/uid_map; touch /owned; chown 1000:1000 /owned'
	run rl_ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[[ "$output" == *"0 $RL_UID 1"* || "$output" == *"0"*"$RL_UID"*"1"* ]]
	echo "$output" | grep -Eq "^ *1 +$RL_SUBUID +65535$"
	# Container uid 1000 is host uid SUBUID+999.
	[ "$(stat -c %u:%g "$ROOTFS/owned")" = "$((RL_SUBUID + 999)):$((RL_SUBGID + 999))" ]
}

@test "rootless: exec, ps, kill --all and delete work without cgroups; pause says why not" {
	map_subids
	set_args sleep 100
	# The container's stdio goes to a file: no pipe of bats stays open.
	rl_ocirun run -d --bundle "$BUNDLE" "$ID" </dev/null >"$CTR_OUT" 2>&1
	pid="$(rl_ocirun state "$ID" | jq -r .pid)"
	track_pid "$pid"
	# No cgroup of its own: the process stays in the user's cgroups.
	[ "$(grep memory /proc/"$pid"/cgroup)" = "$(grep memory /proc/self/cgroup)" ]
	run rl_ocirun exec "$ID" sh -c 'id -u; cat /proc/self/uid_map | wc -l'
	expect_status 0
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 2 ]
	rl_ocirun exec -d "$ID" sleep 200 </dev/null >/dev/null 2>&1
	# runc 1.1.5 cannot list the processes without a cgroup; ocirun lists
	# the container's pid namespace.
	skip_if_runc
	run rl_ocirun ps --format json "$ID"
	expect_status 0
	[ "$(echo "$output" | jq length)" = 2 ]
	echo "$output" | jq -e --argjson p "$pid" 'index($p) != null'
	run rl_ocirun pause "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains "has no cgroup (rootless"
	run rl_ocirun kill --all "$ID" KILL
	expect_status 0
	for _ in $(seq 50); do is_live_pid "$pid" || break; sleep 0.1; done
	! is_live_pid "$pid"
	run rl_ocirun delete "$ID"
	expect_status 0
	[ ! -e "$ROOT/$ID" ]
}

@test "rootless: a map outside the user's subordinate ranges fails clearly, leaving nothing" {
	skip_if_runc # ocirun's message
	map_subids
	update_config '.linux.uidMappings[1].hostID = 4000000'
	set_args true
	run rl_ocirun run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains "linux.uidMappings: host ids 4000000-4065534 are not in the ranges of user $RL_USER in /etc/subuid"
	[ ! -e "$ROOT/$ID" ]
}

@test "rootless: resource limits without a writable cgroup fail clearly" {
	skip_if_runc # runc 1.1.5 ignores the limit with a warning
	update_config '.linux.resources.memory = {limit: 67108864}'
	set_args true
	run rl_ocirun run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains "linux.resources: cannot apply limits"
	[ ! -e "$ROOT/$ID" ]
}

# rl_ocirun_nofile SOFT HARD ARG...: rl_ocirun with the user's RLIMIT_NOFILE
# lowered to SOFT/HARD first (prlimit(1); lowering needs no privilege), so
# the most the user may grant is known whatever the host's limits are.
rl_ocirun_nofile() {
	local soft="$1" hard="$2"
	shift 2
	as_user prlimit --nofile="$soft:$hard" "$OCIRUN" --root "$ROOT" "$@"
}

# The capability numbers of <linux/capability.h> (kernel ABI); global:
# bats sources this file inside a function.
declare -gA CAP_NUMBERS=(
	[CAP_CHOWN]=0 [CAP_DAC_OVERRIDE]=1 [CAP_DAC_READ_SEARCH]=2 [CAP_FOWNER]=3
	[CAP_FSETID]=4 [CAP_KILL]=5 [CAP_SETGID]=6 [CAP_SETUID]=7 [CAP_SETPCAP]=8
	[CAP_LINUX_IMMUTABLE]=9 [CAP_NET_BIND_SERVICE]=10 [CAP_NET_BROADCAST]=11
	[CAP_NET_ADMIN]=12 [CAP_NET_RAW]=13 [CAP_IPC_LOCK]=14 [CAP_IPC_OWNER]=15
	[CAP_SYS_MODULE]=16 [CAP_SYS_RAWIO]=17 [CAP_SYS_CHROOT]=18 [CAP_SYS_PTRACE]=19
	[CAP_SYS_PACCT]=20 [CAP_SYS_ADMIN]=21 [CAP_SYS_BOOT]=22 [CAP_SYS_NICE]=23
	[CAP_SYS_RESOURCE]=24 [CAP_SYS_TIME]=25 [CAP_SYS_TTY_CONFIG]=26 [CAP_MKNOD]=27
	[CAP_LEASE]=28 [CAP_AUDIT_WRITE]=29 [CAP_AUDIT_CONTROL]=30 [CAP_SETFCAP]=31
	[CAP_MAC_OVERRIDE]=32 [CAP_MAC_ADMIN]=33 [CAP_SYSLOG]=34 [CAP_WAKE_ALARM]=35
	[CAP_BLOCK_SUSPEND]=36 [CAP_AUDIT_READ]=37 [CAP_PERFMON]=38 [CAP_BPF]=39
	[CAP_CHECKPOINT_RESTORE]=40
)

# config_cap_mask SET: the process.capabilities.SET of the bundle config as
# the hex mask /proc/PID/status shows.
config_cap_mask() {
	local name mask=0
	for name in $(jq -r --arg s "$1" '.process.capabilities[$s] // [] | .[]' "$BUNDLE/config.json"); do
		[[ -n "${CAP_NUMBERS[$name]:-}" ]] || {
			echo "unknown capability $name" >&2
			return 1
		}
		mask=$((mask | 1 << CAP_NUMBERS[$name]))
	done
	printf '%016x\n' "$mask"
}

# status_cap FILE FIELD: a Cap* field of a /proc/PID/status copy.
status_cap() {
	awk -v f="$2:" '$1 == f {print $2}' "$1"
}

@test "rootless: rlimits within the user's hard limit are set, seen inside and on the host" {
	# The user may set a soft limit up to its hard limit, and lower both.
	update_config '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 3000, hard: 4096}, {type: "RLIMIT_CORE", soft: 0, hard: 0}]'
	set_args sh -c 'ulimit -n; ulimit -Hn; grep -E "^Max (open files|core file size)" /proc/self/limits; exec sleep 100'
	rl_ocirun_nofile 1024 4096 run -d --bundle "$BUNDLE" "$ID" </dev/null >"$CTR_OUT" 2>&1
	pid="$(rl_ocirun state "$ID" | jq -r .pid)"
	track_pid "$pid"
	wait_for_output "$CTR_OUT" 'Max open files'
	# Inside.
	[ "$(sed -n 1p "$CTR_OUT")" = 3000 ]
	[ "$(sed -n 2p "$CTR_OUT")" = 4096 ]
	grep -Eq '^Max open files +3000 +4096 ' "$CTR_OUT"
	grep -Eq '^Max core file size +0 +0 ' "$CTR_OUT"
	# The host sees the same limits on the container's process, which runs
	# as the user.
	grep -Eq '^Max open files +3000 +4096 ' "/proc/$pid/limits"
	grep -Eq '^Max core file size +0 +0 ' "/proc/$pid/limits"
	[ "$(stat -c %u "/proc/$pid")" = "$RL_UID" ]
}

@test "rootless: an rlimit above the user's hard limit fails clearly, naming the field and the resource, leaving nothing" {
	update_config '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 1024, hard: 4097}]'
	set_args touch /ran
	for cmd in create run; do
		# Through a file, not bats' pipe: a wrongly succeeding create would
		# keep that open.
		status=0
		rl_ocirun_nofile 1024 4096 "$cmd" --bundle "$BUNDLE" "$ID" </dev/null >"$CTR_OUT" 2>&1 || status=$?
		output="$(cat "$CTR_OUT")"
		[ "$status" -ne 0 ]
		# The program never ran and nothing of the container is left.
		[ ! -e "$ROOTFS/ran" ]
		[ ! -e "$ROOT/$ID" ]
		assert_no_leftovers
		if ! is_runc; then # runc 1.1.5: "error setting rlimit type 7: operation not permitted"
			expect_output_contains "process.rlimits: RLIMIT_NOFILE: hard limit 4097 is above the caller's hard limit 4096"
			# One line says it all.
			[ "$(grep -c 'process.rlimits' <<<"$output")" = 1 ]
		fi
	done
	# At the user's hard limit the same container runs.
	update_config '.process.rlimits[0].hard = 4096'
	run rl_ocirun_nofile 1024 4096 run --bundle "$BUNDLE" "$ID" </dev/null
	expect_status 0
	[ -e "$ROOTFS/ran" ]
}

@test "rootless: the user-namespace root holds process.capabilities (spec --rootless plus CAP_NET_ADMIN) inside" {
	update_config '.process.capabilities |= with_entries(.value += ["CAP_NET_ADMIN", "CAP_DAC_OVERRIDE"])
		| .linux.namespaces += [{type: "network"}]'
	want="$(config_cap_mask effective)"
	[ "$want" = "$(config_cap_mask bounding)" ]
	# A file of the container's root that nobody may read without
	# CAP_DAC_OVERRIDE.
	echo secret >"$ROOTFS/locked"
	chown "$RL_UID:$RL_GID" "$ROOTFS/locked"
	chmod 000 "$ROOTFS/locked"
	set_args sh -c 'grep -E "^Cap(Eff|Prm|Bnd)" /proc/self/status; cat /locked
		ip link set lo mtu 1280 && ip link show lo | head -n1; exec sleep 100'
	rl_ocirun run -d --bundle "$BUNDLE" "$ID" </dev/null >"$CTR_OUT" 2>&1
	pid="$(rl_ocirun state "$ID" | jq -r .pid)"
	track_pid "$pid"
	wait_for_output "$CTR_OUT" '^1: lo:'
	# Inside: exactly the configured sets, and they work there.
	[ "$(status_cap "$CTR_OUT" CapEff)" = "$want" ]
	[ "$(status_cap "$CTR_OUT" CapPrm)" = "$want" ]
	[ "$(status_cap "$CTR_OUT" CapBnd)" = "$want" ]
	grep -qx secret "$CTR_OUT"
	# CAP_NET_ADMIN over the container's own network namespace.
	grep -Eq '^1: lo: .* mtu 1280 ' "$CTR_OUT"
	# Host: the same sets on the process, relative to its own user
	# namespace, not the host's; the process is the user's.
	cp "/proc/$pid/status" "$RL_DIR/status"
	[ "$(status_cap "$RL_DIR/status" CapEff)" = "$want" ]
	[ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ]
	[ "$(readlink "/proc/$pid/ns/net")" != "$(readlink /proc/self/ns/net)" ]
	[ "$(cat /sys/class/net/lo/mtu)" != 1280 ]
	[ "$(awk '$1 == "Uid:" {print $2}' "$RL_DIR/status")" = "$RL_UID" ]
}

@test "rootless: capabilities of the user-namespace root give nothing on the host" {
	# Powerful capabilities inside; the host's network namespace is shared
	# (spec --rootless has none of its own).
	update_config '.process.capabilities |= with_entries(.value += ["CAP_NET_ADMIN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_CHOWN"])'
	want="$(config_cap_mask effective)"
	# A host file of host root, bound into the container.
	echo host >"$RL_DIR/hostfile"
	chmod 644 "$RL_DIR/hostfile"
	bind_mount_config "$RL_DIR/hostfile" /hostfile
	# The container's own root-only file: CAP_DAC_OVERRIDE works there.
	echo secret >"$ROOTFS/locked"
	chown "$RL_UID:$RL_GID" "$ROOTFS/locked"
	chmod 000 "$ROOTFS/locked"
	mtu="$(cat /sys/class/net/lo/mtu)"
	# Setting lo's MTU to its current value is a no-op even if it were
	# allowed: a safe probe of CAP_NET_ADMIN over the host's network.
	# shellcheck disable=SC2016 # expanded by the container's shell
	set_args sh -c 'grep ^CapEff /proc/self/status; cat /locked; stat -c "owner %u" /hostfile
		{ echo pwned >>/hostfile; } 2>/dev/null && echo write-ok || echo write-denied
		chown 0:0 /hostfile 2>/dev/null && echo chown-ok || echo chown-denied
		chmod 666 /hostfile 2>/dev/null && echo chmod-ok || echo chmod-denied
		ip link set lo mtu "$(cat /sys/class/net/lo/mtu)" 2>/dev/null && echo netadmin-ok || echo netadmin-denied'
	run rl_ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	# Inside: the capabilities are held, and work on the container's own file.
	[ "$(status_cap <(echo "$output") CapEff)" = "$want" ]
	[ "$(printf '%d' $((16#$want >> CAP_NUMBERS[CAP_NET_ADMIN] & 1)))" = 1 ]
	expect_output_contains secret
	# The host's root is nobody inside, and nothing on the host yields.
	expect_output_contains "owner 65534"
	expect_output_contains write-denied
	expect_output_contains chown-denied
	expect_output_contains chmod-denied
	expect_output_contains netadmin-denied
	# Host: the file and the network are untouched.
	[ "$(cat "$RL_DIR/hostfile")" = host ]
	[ "$(stat -c '%u:%g %a' "$RL_DIR/hostfile")" = "0:0 644" ]
	[ "$(cat /sys/class/net/lo/mtu)" = "$mtu" ]
}

@test "rootless: ambient capabilities reach a non-root process user, or are refused with a warning" {
	map_subids
	# A file of the container's root, private to it.
	echo secret >"$ROOTFS/locked"
	chown "$RL_UID:$RL_GID" "$ROOTFS/locked"
	chmod 600 "$ROOTFS/locked"
	update_config '.process.user = {uid: 1000, gid: 1000}
		| .process.capabilities = {bounding: ["CAP_DAC_OVERRIDE", "CAP_KILL"], effective: ["CAP_DAC_OVERRIDE"],
			permitted: ["CAP_DAC_OVERRIDE"], inheritable: ["CAP_DAC_OVERRIDE"], ambient: ["CAP_DAC_OVERRIDE"]}'
	want="$(config_cap_mask ambient)"
	set_args sh -c 'id -u; grep -E "^Cap(Amb|Eff)" /proc/self/status
		cat /locked 2>/dev/null || echo read-denied
		{ echo by-1000 >>/locked; } 2>/dev/null && echo write-ok || echo write-denied'
	run rl_ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	# Inside: uid 1000 holds the ambient capability after exec, and uses it.
	[ "${lines[0]}" = 1000 ]
	[ "$(status_cap <(echo "$output") CapAmb)" = "$want" ]
	[ "$(status_cap <(echo "$output") CapEff)" = "$want" ]
	expect_output_contains secret
	expect_output_contains write-ok
	# Host: the file changed, still owned by the user (the container's root).
	[ "$(tail -n1 "$ROOTFS/locked")" = by-1000 ]
	[ "$(stat -c %u "$ROOTFS/locked")" = "$RL_UID" ]

	# Ambient but not inheritable: the kernel refuses to raise it; like
	# runc the container runs with a warning, and uid 1000 has no access.
	update_config '.process.capabilities.inheritable = []'
	run rl_ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" != 0 ]
	[ "$(status_cap <(echo "$output") CapAmb)" = 0000000000000000 ]
	expect_output_contains read-denied
	expect_output_contains write-denied
	[ "$(tail -n1 "$ROOTFS/locked")" = by-1000 ]
	skip_if_runc # the warning's wording
	expect_output_contains "process.capabilities.ambient: CAP_DAC_OVERRIDE not raised"
}
