#!/usr/bin/env bats
# --log and --log-format: where the runtime reports its own errors.

load helpers

setup() {
	setup_bundle true
	LOG="$BATS_TEST_TMPDIR/runtime.log"
	# A create that must fail: the rootfs is missing.
	rm -rf "$ROOTFS"
}

teardown() {
	teardown_bundle
}

@test "log: --log-format json writes the error as the last JSON line" {
	run ocirun --log "$LOG" --log-format json create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ -s "$LOG" ]
	local last
	last="$(tail -n 1 "$LOG")"
	jq -e . <<<"$last" >/dev/null
	[ "$(jq -r .level <<<"$last")" = error ]
	[ -n "$(jq -r '.msg // empty' <<<"$last")" ]
	# Every line of the file is JSON.
	jq -e . "$LOG" >/dev/null
	# Host view: nothing was left for the failed container.
	[ ! -e "$ROOT/$ID" ]
}

@test "log: the json error names the missing rootfs" {
	skip_if_runc # ocirun-specific: the config field in the message
	run ocirun --log "$LOG" --log-format json create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$(tail -n 1 "$LOG" | jq -r .msg)" == *root.path* ]]
}

@test "log: text format writes level=error and msg" {
	run ocirun --log "$LOG" --log-format text create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$(tail -n 1 "$LOG")" =~ level=error\ msg= ]]
}

@test "log: text is the default format" {
	run ocirun --log "$LOG" create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$(tail -n 1 "$LOG")" =~ level=error\ msg= ]]
}

@test "log: the log file is appended to, not truncated" {
	echo "earlier line" >"$LOG"
	run ocirun --log "$LOG" --log-format json create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ "$(head -n 1 "$LOG")" = "earlier line" ]
	[ "$(tail -n 1 "$LOG" | jq -r .level)" = error ]
}

@test "log: the error still reaches stderr" {
	run ocirun --log "$LOG" --log-format json create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ -n "$output" ]
}

@test "log: an unknown --log-format fails" {
	run ocirun --log "$LOG" --log-format xml state "$ID"
	[ "$status" -ne 0 ]
}

@test "log: --debug logs the duration of every phase of a start, the init's included" {
	skip_if_runc # ocirun's phase timings
	"$INTEGRATION_DIR/build-bundle.sh" -i "$ID" "$BATS_TEST_TMPDIR/ok" true >/dev/null
	# The rootfs and process phases are the parent's with the init stage
	# (initstage.bats), the Go init's (reported with "ready") without it.
	local phase go_init init
	for go_init in 0 1; do
		: >"$LOG"
		OCIRUN_INIT_GO=$go_init run ocirun --debug --log "$LOG" --log-format json \
			run --bundle "$BATS_TEST_TMPDIR/ok" "$ID"
		[ "$status" -eq 0 ]
		init="init stage: "
		[[ $go_init == 1 ]] && init="init: "
		for phase in "config load" "clone with namespaces" "cgroups: create, limits" "cgroups: place" \
			"container: rootfs, mounts, pivot_root" "${init}process:" "init handshake until ready" \
			"program ran" "destroy:"; do
			echo "phase $phase"
			jq -r 'select(.level == "debug") | .msg' "$LOG" | grep -E "^phase .*$phase.* [0-9]+\.[0-9]{3} ms$"
		done
	done
	# Without --debug nothing is timed.
	: >"$LOG"
	run ocirun --log "$LOG" --log-format json run --bundle "$BATS_TEST_TMPDIR/ok" "$ID"
	[ "$status" -eq 0 ]
	! grep -q phase "$LOG"
}
