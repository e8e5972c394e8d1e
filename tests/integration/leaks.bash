# shellcheck shell=bash
# Leak checks for the integration suite (sourced by helpers.bash): after a
# test, no state dir, cgroup, mount or process of its containers may remain.
# Each check cleans up what it finds, then fails the test.

# leak_check_state ID: the state dir must be gone.
leak_check_state() {
	[[ -e "$ROOT/$1" ]] || return 0
	echo "LEAK: state dir $ROOT/$1 left behind" >&2
	rm -rf "${ROOT:?}/$1"
	return 1
}

# leak_check_untracked_state: containers the test never told teardown about
# (e.g. a second id) are leaks too; force-delete them so they leave nothing.
leak_check_untracked_state() {
	local entry rc=0
	[[ -d "$ROOT" ]] || return 0
	for entry in "$ROOT"/*; do
		[[ -e "$entry" ]] || continue
		# The runtime's own caches (e.g. compiled seccomp filters) are not
		# container state; their name is no valid container id.
		[[ "$(basename "$entry")" == "~cache" ]] && continue
		echo "LEAK: untracked state $entry left behind" >&2
		ocirun delete --force "$(basename "$entry")" >/dev/null 2>&1
		rm -rf "$entry"
		rc=1
	done
	return $rc
}

# leak_check_cgroups ID: no hierarchy may keep /ocirun-test-ID.
leak_check_cgroups() {
	local rc=0 mnt dir
	for mnt in "${CGROUP_MOUNTS[@]}"; do
		dir="$mnt/ocirun-test-$1"
		[[ -d "$dir" ]] || continue
		echo "LEAK: cgroup $dir left behind" >&2
		find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null
		rc=1
	done
	return $rc
}

# leak_check_mounts: no mount point whose path contains the bundle dir.
# Deepest first on cleanup.
leak_check_mounts() {
	local mounts m
	mounts="$(awk -v b="$BUNDLE" 'index($5, b) > 0 {print $5}' /proc/self/mountinfo | sort -r)"
	[[ -z "$mounts" ]] && return 0
	echo "LEAK: mounts left behind:" >&2
	echo "$mounts" >&2
	for m in $mounts; do umount -l "$m" 2>/dev/null; done
	return 1
}

# live_leftover_pids: tracked pids still alive (as pid:start) and processes
# rooted in this test's rootfs (as pid:start too).
live_leftover_pids() {
	local entry pid
	for entry in "${TRACKED_PIDS[@]}"; do
		is_tracked_pid_live "$entry" && echo "$entry"
	done
	for pid in $(pids_in_rootfs); do
		echo "$pid:$(pid_start_time "$pid")"
	done
	return 0
}

# leak_check_processes: the recorded init pids and anything rooted in the
# rootfs must be gone (a short grace period lets SIGKILLed processes die).
leak_check_processes() {
	local entry left
	for _ in $(seq 30); do
		left="$(live_leftover_pids | sort -u)"
		[[ -z "$left" ]] && return 0
		sleep 0.1
	done
	echo "LEAK: processes left behind (pid:start): ${left//$'\n'/ }" >&2
	for entry in $left; do
		# Only this test's container processes: re-check identity first.
		is_tracked_pid_live "$entry" && kill -9 "${entry%%:*}" 2>/dev/null
	done
	return 1
}

# assert_no_leftovers [ID]: right after a failed command, before teardown's
# delete could hide anything: no state dir, cgroup, process or mount.
assert_no_leftovers() {
	local id="${1:-$ID}" mnt rc=0
	if [[ -e "$ROOT/$id" ]]; then
		echo "state dir $ROOT/$id exists" >&2
		rc=1
	fi
	for mnt in "${CGROUP_MOUNTS[@]}"; do
		if [[ -e "$mnt/ocirun-test-$id" ]]; then
			echo "cgroup $mnt/ocirun-test-$id exists" >&2
			rc=1
		fi
	done
	if [[ -n "$(pids_in_rootfs)" ]]; then
		echo "processes in the rootfs: $(pids_in_rootfs | tr '\n' ' ')" >&2
		rc=1
	fi
	if awk -v b="$BUNDLE" 'index($5, b) > 0 {found = 1} END {exit !found}' /proc/self/mountinfo; then
		echo "mounts under $BUNDLE exist" >&2
		rc=1
	fi
	return $rc
}

# record_init_pids: remember init pids of still-known containers.
record_init_pids() {
	local id pid
	for id in "${TRACKED_IDS[@]}"; do
		pid="$(ocirun state "$id" 2>/dev/null | jq -r '.pid // empty')" || continue
		if [[ -n "$pid" && "$pid" != 0 ]]; then
			track_pid "$pid"
		fi
	done
	return 0
}

# teardown_bundle: force-delete the test's containers, then fail the test if
# anything leaked (after cleaning it up, so nothing stays on the host).
teardown_bundle() {
	[[ -n "${BUNDLE:-}" ]] || return 0
	local id rc=0
	record_init_pids
	for id in "${TRACKED_IDS[@]}"; do
		ocirun delete --force "$id" >/dev/null 2>&1
	done
	kill_helpers
	teardown_host_mounts
	leak_check_processes || rc=1
	for id in "${TRACKED_IDS[@]}"; do
		leak_check_state "$id" || rc=1
	done
	leak_check_untracked_state || rc=1
	leak_check_processes || rc=1
	for id in "${TRACKED_IDS[@]}"; do
		leak_check_cgroups "$id" || rc=1
	done
	leak_check_mounts || rc=1
	return $rc
}
