#!/usr/bin/env bats
# libcontainer embedded in another Go program (examples/runbundle): it runs
# a bundle like `ocirun run` and leaves nothing behind.
# shellcheck disable=SC2154 # status, output, lines are set by bats' run

load helpers

bats_require_minimum_version 1.5.0

setup() {
	skip_if_runc # about ocirun's Go API, not the CLI
	setup_bundle sh -c 'echo "embedded as pid $$"; exit 3'
	RUNBUNDLE="$BATS_TEST_TMPDIR/runbundle"
	(cd "$REPO_ROOT" && go build -o "$RUNBUNDLE" ./examples/runbundle)
}

teardown() {
	teardown_bundle
	# The example's state root: empty once its container is gone.
	rmdir /run/runbundle 2>/dev/null || true
}

@test "embed: examples/runbundle runs a bundle through libcontainer" {
	run "$RUNBUNDLE" "$BUNDLE"
	[ "$status" -eq 3 ]
	[ "$output" = "embedded as pid 1" ]
	# Its state root is its own; the container is gone from it.
	[ -z "$(ls /run/runbundle 2>/dev/null)" ]
}
