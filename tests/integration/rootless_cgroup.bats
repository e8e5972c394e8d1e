#!/usr/bin/env bats
# Rootless with a delegated cgroup v2 subtree: an unprivileged user that
# owns a cgroup (as systemd delegates one to a user session) gets its
# containers placed and limited there. Pure cgroup v2 only: these tests
# skip on v1 and hybrid hosts and run in the VM tier (`make test-v2`).
# The user is a bare uid (no passwd entry is needed): its own id is mapped
# to root in the container, as `spec --rootless` writes it.
# shellcheck disable=SC2154 # status, output, lines are set by bats' run

load helpers

bats_require_minimum_version 1.5.0

# An unused uid/gid for the unprivileged caller.
RL_UID=40123
RL_GID=40123

setup() {
	skip_unless_cgroup v2 "delegation is a cgroup v2 feature"
	setup_rootless_bundle "$RL_UID"
	delegate_cgroup
}

teardown() {
	teardown_bundle
	local rc=$?
	local d
	for d in "$DELEG/ctr" "$DELEG/self" "$DELEG"; do
		[[ -d "$d" ]] && rmdir "$d"
	done
	rm -rf "$RL_DIR"
	return $rc
}

# delegate_cgroup: as systemd does for a user: $DELEG belongs to the user
# (the directory and the files that move processes and enable
# controllers), with pids and memory available to it. The caller runs in
# $DELEG/self, so that moving the container's init stays inside the
# subtree (the kernel checks the common ancestor's cgroup.procs).
delegate_cgroup() {
	DELEG="/sys/fs/cgroup/ocirun-deleg-$ID"
	echo "+pids +memory" >/sys/fs/cgroup/cgroup.subtree_control
	mkdir "$DELEG" "$DELEG/self"
	chown "$RL_UID:$RL_GID" "$DELEG" "$DELEG"/cgroup.{procs,subtree_control,threads} \
		"$DELEG/self" "$DELEG"/self/cgroup.{procs,subtree_control,threads}
	update_config '.linux.cgroupsPath = $p' --arg p "/ocirun-deleg-$ID/ctr"
}

# as_user CMD...: CMD as the unprivileged user, started (by root) in the
# delegated $DELEG/self when it exists. bash, not sh: the VM's sh is
# busybox, which would run its own setpriv applet.
as_user() {
	timeout "$OCIRUN_TIMEOUT" bash -c 'cg=$1 uid=$2 gid=$3 dir=$4
		shift 4
		if [ -n "$cg" ]; then echo $$ >"$cg/cgroup.procs" || exit 1; fi
		exec setpriv --reuid="$uid" --regid="$gid" --clear-groups \
			env XDG_RUNTIME_DIR="$dir/xdg" HOME="$dir" "$@"' \
		as_user "${DELEG:+$DELEG/self}" "$RL_UID" "$RL_GID" "$RL_DIR" "$@"
}

# rl_ocirun ARG...: ocirun as the user, with the test's state root.
rl_ocirun() {
	as_user "$OCIRUN" --root "$ROOT" "$@"
}

@test "rootless cgroup v2: a delegated subtree holds the container and enforces its limits" {
	update_config '.linux.resources = {pids: {limit: 10}, memory: {limit: 67108864}}'
	# More processes than pids.max allows: some forks must fail inside (a
	# failed fork ends busybox sh, so the forking runs in a subshell).
	set_args sh -c '(i=0; while [ $i -lt 16 ]; do sleep 100 & i=$((i + 1)); done) 2>/dev/null; echo forked; exec sleep 100'
	rl_ocirun run -d --bundle "$BUNDLE" "$ID" </dev/null >"$CTR_OUT" 2>&1 || {
		cat "$CTR_OUT" >&2
		false
	}
	pid="$(init_pid)"
	wait_for_output "$CTR_OUT" '^forked$'
	# Host view: the init is in the user's cgroup, with the limits written.
	grep -qx "$pid" "$DELEG/ctr/cgroup.procs"
	[ "$(cat "$DELEG/ctr/pids.max")" = 10 ]
	[ "$(cat "$DELEG/ctr/memory.max")" = 67108864 ]
	# The controllers came from the user's own subtree_control.
	grep -qw pids "$DELEG/cgroup.subtree_control"
	# Enforced: the container could not fork past the limit.
	[ "$(cat "$DELEG/ctr/pids.current")" -le 10 ]
	[ "$(awk '$1 == "max" {print $2}' "$DELEG/ctr/pids.events")" -ge 1 ]
	# The container's own view: its user namespace maps root to the user.
	read -r inside host size <"/proc/$pid/uid_map"
	[ "$inside $host $size" = "0 $RL_UID 1" ]
	run rl_ocirun delete --force "$ID"
	expect_status 0
	[ ! -d "$DELEG/ctr" ]
	[ -d "$DELEG" ] # the user's own cgroup stays
}

@test "rootless cgroup v2: update changes the limits inside the delegated subtree" {
	update_config '.linux.resources = {pids: {limit: 10}}'
	set_args sleep 100
	rl_ocirun run -d --bundle "$BUNDLE" "$ID" </dev/null >"$CTR_OUT" 2>&1 || {
		cat "$CTR_OUT" >&2
		false
	}
	init_pid >/dev/null
	[ "$(cat "$DELEG/ctr/pids.max")" = 10 ]
	run rl_ocirun update --pids-limit 7 "$ID"
	expect_status 0
	[ "$(cat "$DELEG/ctr/pids.max")" = 7 ]
	run rl_ocirun delete --force "$ID"
	expect_status 0
	[ ! -d "$DELEG/ctr" ]
}
