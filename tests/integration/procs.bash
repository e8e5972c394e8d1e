# shellcheck shell=bash
# Process bookkeeping for the integration suite (sourced by helpers.bash):
# which processes a test started, and whether they are still alive. Only
# pids recorded here are ever killed, never processes found by name.

# is_live_pid PID: the process exists and is not a zombie.
is_live_pid() {
	local stat state
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	# The state letter follows the parenthesised command name.
	state="${stat##*) }"
	state="${state%% *}"
	[[ -n "$state" && "$state" != Z ]]
}

# pid_start_time PID: field 22 of /proc/PID/stat (clock ticks since boot).
pid_start_time() {
	local stat fields
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	# Fields after the parenthesised command name start at field 3.
	read -ra fields <<<"${stat##*) }"
	echo "${fields[19]}"
}

# pid_parent PID: field 4 of /proc/PID/stat.
pid_parent() {
	local stat fields
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	read -ra fields <<<"${stat##*) }"
	echo "${fields[1]}"
}

# track_pid PID...: container processes the leak check must see gone. The
# start time is kept with each pid so that a recycled pid is never taken
# for (or killed as) ours.
track_pid() {
	local pid start
	for pid in "$@"; do
		start="$(pid_start_time "$pid")" || continue
		TRACKED_PIDS+=("$pid:$start")
	done
	return 0
}

# is_tracked_pid_live PID:START: the same process is still running.
is_tracked_pid_live() {
	local pid="${1%%:*}" start="${1#*:}"
	is_live_pid "$pid" && [[ "$(pid_start_time "$pid")" == "$start" ]]
}

# start_helper CMD...: a host process the test owns, killed by PID in
# teardown. Its pid is in HELPER_PID. fd 3 is closed so bats does not wait
# for it.
start_helper() {
	"$@" </dev/null >/dev/null 2>&1 3>&- &
	HELPER_PID=$!
	HELPER_PIDS+=("$HELPER_PID")
}

# run_in_background [RUN_ARG...]: a foreground `run` as a background child
# of the test, without the timeout wrapper so that signals reach the runtime
# itself. Sets RUN_PID; the container's output goes to $CTR_OUT.
run_in_background() {
	"$OCIRUN" --root "$ROOT" run "$@" --bundle "$BUNDLE" "$ID" \
		</dev/null >"$CTR_OUT" 2>&1 3>&- &
	RUN_PID=$!
	HELPER_PIDS+=("$RUN_PID")
}

# wait_child PID: wait for a background child of the test, for up to 20 s,
# and return its exit status (a bare `wait` could hang the suite).
wait_child() {
	local rc=0
	for _ in $(seq 200); do
		is_live_pid "$1" || break
		sleep 0.1
	done
	if is_live_pid "$1"; then
		echo "process $1 did not exit" >&2
		kill -9 "$1"
		wait "$1" 2>/dev/null
		forget_helper "$1"
		return 255
	fi
	wait "$1" || rc=$?
	forget_helper "$1"
	return $rc
}

# forget_helper PID: a reaped child's pid may be recycled; teardown must not
# kill it any more.
forget_helper() {
	local kept=() pid
	for pid in "${HELPER_PIDS[@]}"; do
		[[ "$pid" == "$1" ]] || kept+=("$pid")
	done
	HELPER_PIDS=("${kept[@]}")
}

# kill_helpers: SIGKILL the test's helper processes. bash may already have
# reaped one that exited (its pid is then free for reuse), so a pid is only
# killed while it is still our child.
kill_helpers() {
	local pid
	for pid in "${HELPER_PIDS[@]}"; do
		[[ "$(pid_parent "$pid")" == "$BASHPID" ]] || continue
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	return 0
}

# pids_in_rootfs: processes whose root is this test's container rootfs. A
# pivoted root reads back as "/" from the host, so compare device:inode
# (bash's -ef, without a fork per process: the host has many).
pids_in_rootfs() {
	local dir
	for dir in /proc/[0-9]*; do
		if [[ "$dir/root/" -ef "$ROOTFS" ]]; then
			echo "${dir#/proc/}"
		fi
	done
}
