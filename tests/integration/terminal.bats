#!/usr/bin/env bats
# process.terminal: the pty goes to --console-socket for detached processes
# (create, run -d, exec -d) and is relayed by the runtime in the foreground.
# recvtty (tests/cmd/recvtty) plays the console socket's receiver.

load helpers

setup() {
	setup_bundle sh
	update_config '.process.terminal = true
		| .process.consoleSize = {height: 30, width: 100}'
}

teardown() {
	teardown_bundle
}

# expect_tty_output TEXT: what recvtty read from the terminal contains TEXT
# (lines end in \r\n there: the pty translates newlines).
expect_tty_output() {
	run cat "$RECVTTY_OUT"
	expect_output_contains "$1"
}

# expect_console_socket_error: the last `run` failed and said why: a
# detached terminal needs --console-socket (runc says "console socket").
expect_console_socket_error() {
	[ "$status" -ne 0 ]
	if [[ ! "$output" =~ console[-\ ]socket ]]; then
		echo "error does not mention the console socket:" >&2
		echo "$output" >&2
		return 1
	fi
}

@test "terminal: run -d sends the pty to --console-socket" {
	set_args sh -c 'tty; stty size; [ -t 0 ] && echo stdin-is-a-tty; echo the-end'
	start_recvtty
	run_detached --console-socket "$CONSOLE_SOCKET"
	wait_recvtty
	expect_tty_output /dev/pts/0
	expect_tty_output "30 100"
	expect_tty_output stdin-is-a-tty
	expect_tty_output the-end
	wait_for_status "$ID" stopped
}

@test "terminal: create + start, input written to the pty reaches the program" {
	# shellcheck disable=SC2016 # $line expands in the container
	set_args sh -c 'read -r line; echo "got <$line>"'
	start_recvtty -input $'hello-tty\n'
	create_container --console-socket "$CONSOLE_SOCKET"
	init_pid >/dev/null
	[ "$(container_field "$ID" status)" = created ]
	run ocirun start "$ID"
	expect_status 0
	wait_recvtty
	expect_tty_output "got <hello-tty>"
	# The program wrote to the pty, not to the runtime's own stdio.
	run cat "$CTR_OUT"
	[[ "$output" != *"got <"* ]]
	wait_for_status "$ID" stopped
}

@test "terminal: create and run -d without --console-socket fail" {
	run ocirun create --bundle "$BUNDLE" "$ID" </dev/null
	expect_console_socket_error
	assert_no_leftovers

	run ocirun run -d --bundle "$BUNDLE" "$ID" </dev/null
	expect_console_socket_error
	assert_no_leftovers
}

@test "terminal: --console-socket with no listener fails and leaves nothing" {
	local sock="$BATS_TEST_TMPDIR/nobody-listens.sock"
	run ocirun create --console-socket "$sock" --bundle "$BUNDLE" "$ID" </dev/null
	[ "$status" -ne 0 ]
	# The error names the socket it could not reach.
	expect_output_contains "$sock"
	assert_no_leftovers
}

@test "terminal: exec -t -d --console-socket into a non-terminal container" {
	update_config '.process.terminal = false'
	set_args sleep 100
	run_detached
	wait_for_status "$ID" running
	init_pid >/dev/null
	start_recvtty
	local pidfile="$BATS_TEST_TMPDIR/exec.pid"
	run ocirun exec -t -d --console-socket "$CONSOLE_SOCKET" --pid-file "$pidfile" \
		"$ID" sh -c 'tty; [ -t 0 ] && echo stdin-is-a-tty; echo the-end' </dev/null
	expect_status 0
	track_pid "$(cat "$pidfile")"
	wait_recvtty
	run cat "$RECVTTY_OUT"
	[[ "$output" =~ /dev/pts/[0-9]+ ]]
	expect_output_contains stdin-is-a-tty
	expect_output_contains the-end
	# The container is unharmed.
	[ "$(container_field "$ID" status)" = running ]
}

@test "terminal: exec -t -d without --console-socket fails" {
	update_config '.process.terminal = false'
	set_args sleep 100
	run_detached
	wait_for_status "$ID" running
	init_pid >/dev/null
	run ocirun exec -t -d "$ID" true </dev/null
	expect_console_socket_error
	[ "$(container_field "$ID" status)" = running ]
}

@test "terminal: foreground run relays the pty and propagates the exit code" {
	command -v script >/dev/null || skip "util-linux script is not installed"
	set_args sh -c 'tty; [ -t 0 ] && echo stdin-is-a-tty; exit 7'
	# script(1) gives the runtime a real terminal as its stdio. --foreground
	# keeps the runtime in the terminal's foreground process group, as
	# under an interactive shell.
	local cmd
	cmd="$(printf '%q ' timeout --foreground 20 "$OCIRUN" --root "$ROOT" \
		run --bundle "$BUNDLE" "$ID")"
	run script -qec "$cmd" /dev/null </dev/null
	expect_status 7
	expect_output_contains /dev/pts/0
	expect_output_contains stdin-is-a-tty
}
