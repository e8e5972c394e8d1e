#!/usr/bin/env bats
# Configuration and usage errors: they fail, say what is wrong, and leave
# nothing behind. Tests tagged "ocirun-specific" check ocirun's own texts.

load helpers

bats_require_minimum_version 1.5.0

setup() {
	setup_bundle sleep 100
}

teardown() {
	teardown_bundle
}

# create_fails: `create` must fail and leave nothing behind.
create_fails() {
	run --separate-stderr ocirun create --bundle "$BUNDLE" "$ID" </dev/null
	if [[ "$status" -eq 0 ]]; then
		echo "create succeeded, want failure" >&2
		return 1
	fi
	assert_no_leftovers
}

# stderr_is_one_line_mentioning TEXT
stderr_is_one_line_mentioning() {
	echo "stderr: $stderr"
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"$1"* ]]
}

@test "errors: malformed config.json fails" {
	echo '{"ociVersion": ' >"$BUNDLE/config.json"
	create_fails
}

@test "errors: malformed config.json is reported on one line" {
	skip_if_runc # ocirun-specific
	echo '{"ociVersion": ' >"$BUNDLE/config.json"
	create_fails
	stderr_is_one_line_mentioning config.json
}

@test "errors: missing config.json fails" {
	rm "$BUNDLE/config.json"
	create_fails
	[[ "$stderr" == *config.json* ]]
}

@test "errors: missing rootfs fails" {
	rm -rf "$ROOTFS"
	create_fails
}

@test "errors: missing rootfs names root.path" {
	skip_if_runc # ocirun-specific
	rm -rf "$ROOTFS"
	create_fails
	stderr_is_one_line_mentioning root.path
}

@test "errors: unknown namespace type fails" {
	update_config '.linux.namespaces += [{type: "bogus"}]'
	create_fails
}

@test "errors: unknown namespace type names linux.namespaces" {
	skip_if_runc # ocirun-specific
	update_config '.linux.namespaces += [{type: "bogus"}]'
	create_fails
	stderr_is_one_line_mentioning linux.namespaces
}

@test "errors: a namespace path of the wrong type fails" {
	update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/ipc" else . end)'
	create_fails
}

@test "errors: a namespace path of the wrong type names linux.namespaces" {
	skip_if_runc # ocirun-specific
	update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/ipc" else . end)'
	create_fails
	stderr_is_one_line_mentioning linux.namespaces
}

@test "errors: a namespace path that does not exist fails" {
	update_config '.linux.namespaces |= map(if .type == "network" then .path = "/nonexistent/ns/net" else . end)'
	create_fails
}

@test "errors: container ids with / or .. are refused" {
	local bad
	for bad in "a/b" ".." "../escape" "a/../b"; do
		run --separate-stderr ocirun create --bundle "$BUNDLE" "$bad" </dev/null
		[ "$status" -ne 0 ]
		assert_no_leftovers
	done
	# Host view: nothing was created next to or below the state root.
	[ ! -e "$BATS_TEST_TMPDIR/escape" ]
	[ ! -e "$ROOT/a" ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "errors: refused container ids are named in the message" {
	skip_if_runc # ocirun-specific
	local bad
	for bad in "a/b" "../escape"; do
		run --separate-stderr ocirun create --bundle "$BUNDLE" "$bad" </dev/null
		[ "$status" -ne 0 ]
		[[ "$stderr" == *"$bad"* ]]
	done
}

@test "errors: an empty container id is refused" {
	run ocirun create --bundle "$BUNDLE" "" </dev/null
	[ "$status" -ne 0 ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "errors: a duplicate id fails and the first container is unharmed" {
	create_container
	local pid
	pid="$(init_pid)"
	run --separate-stderr ocirun create --bundle "$BUNDLE" "$ID" </dev/null
	[ "$status" -ne 0 ]
	# The first container is still there, same init, still startable.
	[ "$(container_field "$ID" status)" = created ]
	[ "$(container_field "$ID" pid)" = "$pid" ]
	is_live_pid "$pid"
	run ocirun start "$ID"
	expect_status 0
	wait_for_status "$ID" running
	grep -qx "$pid" "/sys/fs/cgroup/pids/$CGROUP_NAME/cgroup.procs"
}

@test "errors: a duplicate id names the id" {
	skip_if_runc # ocirun-specific
	create_container
	init_pid >/dev/null
	run --separate-stderr ocirun create --bundle "$BUNDLE" "$ID" </dev/null
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"$ID"* ]]
}

@test "errors: a missing command-line argument fails" {
	run ocirun start
	[ "$status" -ne 0 ]
	run ocirun kill
	[ "$status" -ne 0 ]
}

@test "errors: linux.intelRdt without resctrl says the filesystem is missing" {
	skip_if_runc # ocirun-specific
	[[ -d /sys/fs/resctrl/info ]] && skip "this host has resctrl mounted"
	update_config '.linux.intelRdt = {closID: "ocirun-test"}'
	create_fails
	stderr_is_one_line_mentioning "linux.intelRdt: the resctrl filesystem is not mounted at /sys/fs/resctrl"
}

@test "errors: a memory limit too small for the init names the limit" {
	skip_if_runc # ocirun-specific
	# Either the kernel refuses the limit (usage is already above it) or
	# the OOM killer ends the init before it reports: both name the field.
	# The Go init is forced: a plain container's init is C only (see
	# initstage.bats) and fits in 400 kB.
	update_config '.linux.resources.memory = {limit: 400000}'
	export OCIRUN_INIT_GO=1
	create_fails
	stderr_is_one_line_mentioning "linux.resources.memory.limit"
}
