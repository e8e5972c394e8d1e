#!/usr/bin/env bats
# The run command: foreground, detached, exit codes, signals, stdio.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

@test "run: prints the container's output and exits 0" {
	set_args echo hello-from-container
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = hello-from-container ]
	# Without --keep the container is deleted when it exits.
	run ocirun state "$ID"
	[ "$status" -ne 0 ]
}

@test "run: exit code of the container is the exit code of run" {
	set_args sh -c 'exit 42'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 42
}

@test "run: a container killed by a signal exits 128+N" {
	# A pid namespace's init cannot SIGKILL itself (the kernel drops it), so
	# this runs in the host pid namespace; see the next test for the pid ns.
	update_config 'del(.linux.namespaces[] | select(.type == "pid"))'
	set_args sh -c 'kill -9 $$'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 137
}

@test "run: an init in a pid namespace SIGKILLed from the host exits 137" {
	set_args sh -c 'echo ready; while :; do sleep 0.1; done'
	run_in_background --pid-file "$BATS_TEST_TMPDIR/init.pid"
	wait_for_output "$CTR_OUT" ready
	local pid rc=0
	pid="$(cat "$BATS_TEST_TMPDIR/init.pid")"
	track_pid "$pid"
	kill -9 "$pid"
	wait_child "$RUN_PID" || rc=$?
	[ "$rc" -eq 137 ]
}

@test "run: -d detaches and the container is running" {
	set_args sleep 100
	run_detached
	wait_for_status "$ID" running
	local pid
	pid="$(init_pid)"
	[ "$pid" -gt 0 ]
	# Host view: the init runs sleep, as a real process.
	is_live_pid "$pid"
	[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 100 " ]
}

@test "run: --keep leaves the exited container stopped until delete" {
	set_args sh -c 'exit 3'
	run ocirun run --keep --bundle "$BUNDLE" "$ID"
	expect_status 3
	run ocirun state "$ID"
	expect_status 0
	[ "$(echo "$output" | jq -r .status)" = stopped ]
	[ -d "$ROOT/$ID" ]
	run ocirun delete "$ID"
	expect_status 0
	run ocirun state "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "run: --pid-file with an absolute path holds the init pid" {
	set_args sleep 100
	run_detached --pid-file "$BATS_TEST_TMPDIR/init.pid"
	local pid
	pid="$(init_pid)"
	[ "$(cat "$BATS_TEST_TMPDIR/init.pid")" = "$pid" ]
	is_live_pid "$pid"
}

@test "run: --pid-file with a relative path is relative to the cwd" {
	set_args sleep 100
	mkdir "$BATS_TEST_TMPDIR/cwd"
	cd "$BATS_TEST_TMPDIR/cwd"
	run_detached --pid-file rel.pid
	local pid
	pid="$(init_pid)"
	[ "$(cat "$BATS_TEST_TMPDIR/cwd/rel.pid")" = "$pid" ]
}

@test "run: signals sent to the foreground run are forwarded to the container" {
	# The trap script reports readiness, then waits for SIGUSR1.
	set_args sh -c 'trap "echo got-usr1; exit 7" USR1; echo ready; while :; do sleep 0.1; done'
	run_in_background
	wait_for_output "$CTR_OUT" ready
	kill -USR1 "$RUN_PID"
	local rc=0
	wait_child "$RUN_PID" || rc=$?
	cat "$CTR_OUT"
	grep -q got-usr1 "$CTR_OUT"
	[ "$rc" -eq 7 ]
}

@test "run: stdin is passed through to the container" {
	set_args cat
	run bash -c 'echo hi-through-stdin | "$0" --root "$1" run --bundle "$2" "$3"' \
		"$OCIRUN" "$ROOT" "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = hi-through-stdin ]
}

@test "run: --root X and --root=X both work" {
	set_args sleep 100
	ROOT="$BATS_TEST_TMPDIR/alt-root" # teardown cleans up under this root
	timeout 20 "$OCIRUN" --root="$ROOT" run -d --bundle "$BUNDLE" "$ID" \
		</dev/null >"$CTR_OUT" 2>&1
	[ -d "$ROOT/$ID" ]
	run timeout 20 "$OCIRUN" --root "$ROOT" state "$ID"
	expect_status 0
	[ "$(echo "$output" | jq -r .status)" = running ]
	track_pid "$(echo "$output" | jq -r .pid)"
	run timeout 20 "$OCIRUN" --root="$ROOT" delete --force "$ID"
	expect_status 0
	[ ! -e "$ROOT/$ID" ]
}

@test "run: -b is the short form of --bundle" {
	set_args echo short-bundle
	run ocirun run -b "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = short-bundle ]
}

@test "run: the bundle defaults to the current directory" {
	set_args echo from-cwd
	cd "$BUNDLE"
	run ocirun run "$ID"
	expect_status 0
	[ "$output" = from-cwd ]
}
