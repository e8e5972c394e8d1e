#!/usr/bin/env bats
# --version, help and unknown commands.

load helpers

@test "version: --version prints name, spec and go lines" {
	run "$OCIRUN" --version
	expect_status 0
	[[ "${lines[0]}" =~ ^[a-z]+\ version\ [^\ ]+ ]]
	echo "$output" | grep -Eq '^spec: 1\.[0-9]+\.[0-9]+'
	echo "$output" | grep -Eq '^go: go1\.'
}

@test "help: --help lists the runc commands" {
	run "$OCIRUN" --help
	expect_status 0
	local cmd
	for cmd in create start run delete kill state list spec; do
		echo "$output" | grep -Eq "^ +$cmd( |,)" || {
			echo "help does not list $cmd" >&2
			return 1
		}
	done
}

@test "help: unknown command fails" {
	run "$OCIRUN" no-such-command
	[ "$status" -ne 0 ]
}

@test "help: unknown global flag fails" {
	run "$OCIRUN" --no-such-flag state x
	[ "$status" -ne 0 ]
}
