#!/usr/bin/env bats
# events: cgroup statistics (--stats, --interval) and OOM notifications.
# Only ocirun's output is asserted on, so the file runs on cgroup v1,
# hybrid and v2 hosts alike.
# shellcheck disable=SC2016 # the container's shell code is single-quoted on purpose

load helpers

setup() {
	setup_bundle sleep 100
	EVENTS_OUT="$BATS_TEST_TMPDIR/events.out"
	EVENTS_ERR="$BATS_TEST_TMPDIR/events.err"
}

teardown() {
	teardown_bundle
}

# runtime_is_runc: runc 1.1 ends `events` only when the container's cgroup
# is removed (delete), not when the container stops.
runtime_is_runc() {
	[[ "$(basename "$OCIRUN")" == runc ]]
}

# stats_field JQ_PATH: one number of a fresh `events --stats`.
stats_field() {
	ocirun events --stats "$ID" | jq -er "$1"
}

# start_events ARG...: `events ARG... $ID` as a helper of the test, its
# stdout in $EVENTS_OUT. Sets EVENTS_PID.
start_events() {
	"$OCIRUN" --root "$ROOT" events "$@" "$ID" </dev/null >"$EVENTS_OUT" 2>"$EVENTS_ERR" 3>&- &
	EVENTS_PID=$!
	HELPER_PIDS+=("$EVENTS_PID")
}

# wait_events_exit: `events` must end by itself, with status 0.
wait_events_exit() {
	local rc=0
	wait_child "$EVENTS_PID" || rc=$?
	if [[ $rc -ne 0 ]]; then
		echo "events exited with $rc; stderr:" >&2
		cat "$EVENTS_ERR" >&2
	fi
	return $rc
}

@test "events --stats: one stats event for the container, in runc's shape" {
	update_config '.linux.resources.memory.limit = 268435456 | .linux.resources.pids.limit = 50'
	run_detached
	wait_for_status "$ID" running
	run ocirun events --stats "$ID"
	expect_status 0
	[ "${#lines[@]}" -eq 1 ]
	echo "$output" | jq -e --arg id "$ID" '
		.type == "stats" and .id == $id
		and .data.cpu.usage.total > 0
		and (.data.cpu.usage | has("kernel") and has("user"))
		and (.data.cpu | has("throttling"))
		and .data.memory.usage.usage > 0
		and .data.memory.usage.limit == 268435456
		and (.data.memory.raw | type) == "object"
		and .data.pids.current == 1 and .data.pids.limit == 50
		and (.data | has("blkio") and has("hugetlb") and has("cpuset"))'
}

@test "events --stats: memory usage grows when the container fills a tmpfs" {
	update_config '.linux.resources.memory.limit = 268435456'
	run_detached
	wait_for_status "$ID" running
	local before after shm_before shm_after
	before="$(stats_field .data.memory.usage.usage)"
	shm_before="$(stats_field .data.memory.raw.shmem)"
	# tmpfs pages are charged to the writer's memory cgroup and stay there.
	run ocirun exec "$ID" dd if=/dev/zero of=/dev/shm/fill bs=1M count=32
	expect_status 0
	after="$(stats_field .data.memory.usage.usage)"
	shm_after="$(stats_field .data.memory.raw.shmem)"
	echo "usage $before -> $after, shmem $shm_before -> $shm_after" >&2
	[ $((after - before)) -ge $((30 << 20)) ]
	[ $((shm_after - shm_before)) -ge $((32 << 20)) ]
	# The memory is freed with the file.
	run ocirun exec "$ID" rm /dev/shm/fill
	expect_status 0
	[ "$(stats_field .data.memory.raw.shmem)" -lt $((shm_before + (1 << 20))) ]
}

@test "events --stats: pids.current is the number of processes in the container" {
	set_args sh -c 'sleep 100 & sleep 100 & exec sleep 100'
	update_config '.linux.resources.pids.limit = 50'
	run_detached
	wait_for_status "$ID" running
	local n
	for _ in $(seq 50); do
		n="$(ocirun ps --format json "$ID" | jq length)"
		[ "$n" -eq 3 ] && break
		sleep 0.1
	done
	[ "$n" -eq 3 ]
	[ "$(stats_field .data.pids.current)" -eq 3 ]
	[ "$(stats_field .data.pids.limit)" -eq 50 ]
	# No pipe of bats may stay open in the container (see create_container).
	ocirun exec -d "$ID" sleep 100 </dev/null >/dev/null 2>&1
	# exec -d may return while its helper processes are still exiting.
	for _ in $(seq 50); do
		n="$(stats_field .data.pids.current)"
		[ "$n" -eq 4 ] && break
		sleep 0.1
	done
	echo "pids.current after exec: $n" >&2
	[ "$n" -eq 4 ]
}

@test "events --stats: cpu usage grows after the container burns CPU" {
	run_detached
	wait_for_status "$ID" running
	local before after
	before="$(stats_field .data.cpu.usage.total)"
	# A busy loop for one second of wall time (bounded by time, not by a
	# count of iterations, so that a slow emulated VM finishes as fast).
	run ocirun exec "$ID" sh -c 'timeout 1 sh -c "while :; do :; done"; exit 0'
	expect_status 0
	after="$(stats_field .data.cpu.usage.total)"
	echo "cpu total $before -> $after ns" >&2
	[ $((after - before)) -ge 100000000 ]
	[ "$(stats_field '.data.cpu.usage.user + .data.cpu.usage.kernel')" -gt 0 ]
}

@test "events --interval: stats lines stream until the container is killed" {
	run_detached
	wait_for_status "$ID" running
	init_pid >/dev/null
	start_events --interval 1s
	for _ in $(seq 100); do
		[ "$(wc -l <"$EVENTS_OUT")" -ge 2 ] && break
		sleep 0.1
	done
	[ "$(wc -l <"$EVENTS_OUT")" -ge 2 ]
	run ocirun kill "$ID" KILL
	expect_status 0
	wait_for_status "$ID" stopped
	runtime_is_runc && ocirun delete "$ID"
	wait_events_exit
	# Every line is one stats event of this container.
	jq -es --arg id "$ID" 'length >= 2 and all(.type == "stats" and .id == $id and .data.pids.current >= 1)' "$EVENTS_OUT"
}

@test "events: an OOM kill in the container is reported" {
	# No swap to escape to (memory+swap = memory), and a shell variable
	# that doubles: page faults cannot fail, so the OOM killer must act.
	update_config '.linux.resources.memory = {limit: 16777216, swap: 16777216}'
	set_args sh -c 'x=0123456789abcdef; while :; do x=$x$x; done'
	create_container
	init_pid >/dev/null
	start_events --interval 10s
	sleep 0.5 # let events register before the program starts
	run ocirun start "$ID"
	expect_status 0
	wait_for_status "$ID" stopped
	runtime_is_runc && ocirun delete "$ID"
	wait_events_exit
	cat "$EVENTS_OUT" >&2
	jq -es --arg id "$ID" 'map(select(.type == "oom")) | length >= 1 and all(.id == $id and (has("data") | not))' "$EVENTS_OUT"
}

@test "events: bad interval, missing and stopped containers fail clearly" {
	run_detached
	wait_for_status "$ID" running
	run ocirun events --interval 0 "$ID"
	[ "$status" -ne 0 ]
	run ocirun events --interval -1s "$ID"
	[ "$status" -ne 0 ]
	run ocirun events --stats "nope-$ID"
	[ "$status" -ne 0 ]
	expect_output_contains "does not exist"

	run ocirun kill "$ID" KILL
	expect_status 0
	wait_for_status "$ID" stopped
	for args in --stats "--interval 1s"; do
		# shellcheck disable=SC2086 # two words on purpose
		run ocirun events $args "$ID"
		[ "$status" -ne 0 ]
		expect_output_contains "is not running"
	done
}

@test "events: ocirun's error texts name the flag and the container" {
	skip_if_runc
	run_detached
	wait_for_status "$ID" running
	run ocirun events --interval 0 "$ID"
	[ "$status" -ne 0 ]
	[ "$output" = "--interval: 0s: must be greater than 0" ]
	run ocirun events --interval soon "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains 'invalid value "soon" for flag -interval'
	run ocirun events --stats "nope-$ID"
	[ "$output" = "container \"nope-$ID\" does not exist" ]
	run ocirun kill "$ID" KILL
	wait_for_status "$ID" stopped
	run ocirun events --stats "$ID"
	[ "$output" = "container \"$ID\" is not running" ]
}
