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
	# Everything the user touches lives in a directory it can reach
	# (the bats temp dirs are root's own).
	RL_DIR="$(mktemp -d /tmp/ocirun-rootless.XXXXXX)"
	chmod 755 "$RL_DIR"
	ID="rl${BATS_TEST_NUMBER}-$$"
	ROOT="$RL_DIR/state"
	BUNDLE="$RL_DIR/bundle"
	ROOTFS="$BUNDLE/rootfs"
	CTR_OUT="$RL_DIR/container.out"
	TRACKED_IDS=("$ID")
	TRACKED_PIDS=()
	HELPER_PIDS=()
	HOST_MOUNTS=()
	"$INTEGRATION_DIR/build-bundle.sh" -i "$ID" "$BUNDLE" >/dev/null
	# The rootless config exactly as `spec --rootless` writes it, with
	# only the process and the rootfs path changed.
	rm "$BUNDLE/config.json"
	chown -R "$RL_USER:$RL_USER" "$RL_DIR"
	as_user "$OCIRUN" spec --rootless --bundle "$BUNDLE"
	update_config '.process.terminal = false | .root.path = "rootfs" | .root.readonly = false'
	chmod 644 "$BUNDLE/config.json"
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
