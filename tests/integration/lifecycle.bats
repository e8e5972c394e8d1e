#!/usr/bin/env bats
# create / start / kill / delete / state / list.

load helpers

setup() {
	setup_bundle sleep 100
	SHARED="$BATS_TEST_TMPDIR/shared"
	mkdir "$SHARED"
}

teardown() {
	teardown_bundle
}

# The program marks on a host dir that it ran, then waits.
use_marker_program() {
	bind_mount_config "$SHARED" /shared rbind rw
	set_args sh -c 'touch /shared/started; exec sleep 100'
}

@test "lifecycle: create, start, kill, delete" {
	use_marker_program
	create_container
	run ocirun state "$ID"
	expect_status 0
	[ "$(echo "$output" | jq -r .status)" = created ]
	local pid
	pid="$(init_pid)"
	[ "$pid" -gt 0 ]
	is_live_pid "$pid"
	# The user program has not run yet.
	sleep 0.3
	[ ! -e "$SHARED/started" ]

	run ocirun start "$ID"
	expect_status 0
	wait_for_file "$SHARED/started"
	[ "$(container_field "$ID" status)" = running ]
	[ "$(container_field "$ID" pid)" = "$pid" ]

	run ocirun kill "$ID" KILL
	expect_status 0
	# Nothing waits for the init here; state must still see it gone.
	wait_for_status "$ID" stopped
	if is_live_pid "$pid"; then return 1; fi

	run ocirun delete "$ID"
	expect_status 0
	run ocirun state "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
	local mnt
	for mnt in "${CGROUP_MOUNTS[@]}"; do
		[ ! -e "$mnt/$CGROUP_NAME" ]
	done
}

@test "lifecycle: kill defaults to SIGTERM" {
	set_args sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	run_detached
	wait_for_status "$ID" running
	local pid
	pid="$(init_pid)"
	run ocirun kill "$ID"
	expect_status 0
	wait_for_status "$ID" stopped
}

@test "lifecycle: start twice fails" {
	create_container
	run ocirun start "$ID"
	expect_status 0
	run ocirun start "$ID"
	[ "$status" -ne 0 ]
	[ "$(container_field "$ID" status)" = running ]
}

@test "lifecycle: start of a stopped container fails" {
	set_args true
	create_container
	init_pid >/dev/null
	run ocirun start "$ID"
	expect_status 0
	wait_for_status "$ID" stopped
	run ocirun start "$ID"
	[ "$status" -ne 0 ]
}

@test "lifecycle: delete of a running container needs --force" {
	run_detached
	wait_for_status "$ID" running
	local pid
	pid="$(init_pid)"
	run ocirun delete "$ID"
	[ "$status" -ne 0 ]
	# The container is unharmed.
	[ "$(container_field "$ID" status)" = running ]
	is_live_pid "$pid"

	run ocirun delete --force "$ID"
	expect_status 0
	run ocirun state "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "lifecycle: delete -f of a created container works" {
	create_container
	local pid
	pid="$(init_pid)"
	run ocirun delete -f "$ID"
	expect_status 0
	[ ! -e "$ROOT/$ID" ]
}

@test "lifecycle: delete of an unknown id fails, with --force exits 0" {
	run ocirun delete no-such-container
	[ "$status" -ne 0 ]
	run ocirun delete --force no-such-container
	expect_status 0
}

@test "lifecycle: state of an unknown id fails" {
	run ocirun state no-such-container
	[ "$status" -ne 0 ]
}

@test "lifecycle: kill of a stopped container fails" {
	set_args true
	run ocirun run --keep --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$(container_field "$ID" status)" = stopped ]
	run ocirun kill "$ID" KILL
	[ "$status" -ne 0 ]
}

@test "lifecycle: kill accepts SIGKILL, KILL and 9" {
	local sig
	for sig in SIGKILL KILL 9; do
		run_detached
		wait_for_status "$ID" running
		init_pid >/dev/null
		run ocirun kill "$ID" "$sig"
		expect_status 0
		wait_for_status "$ID" stopped
		run ocirun delete "$ID"
		expect_status 0
	done
}

@test "lifecycle: kill --all signals every process of the container" {
	set_args sh -c 'sleep 100 & sleep 100 & wait'
	run_detached
	wait_for_status "$ID" running
	init_pid >/dev/null
	local procs="/sys/fs/cgroup/pids/$CGROUP_NAME/cgroup.procs" i
	for i in $(seq 50); do
		[ "$(wc -l <"$procs")" -ge 3 ] && break
		sleep 0.1
	done
	[ "$(wc -l <"$procs")" -ge 3 ]
	# shellcheck disable=SC2046 # one pid per line
	track_pid $(cat "$procs")
	run ocirun kill --all "$ID" KILL
	expect_status 0
	wait_for_status "$ID" stopped
	for i in $(seq 50); do
		[ ! -s "$procs" ] && break
		sleep 0.1
	done
	[ ! -s "$procs" ]
}

@test "lifecycle: list shows the table, json and ids" {
	create_container
	local pid
	pid="$(init_pid)"

	run ocirun list
	expect_status 0
	[[ "${lines[0]}" =~ ^ID\ +PID\ +STATUS\ +BUNDLE\ +CREATED\ +OWNER ]]
	[[ "${lines[1]}" =~ ^"$ID"\ +"$pid"\ +created\ +"$BUNDLE"\  ]]

	run ocirun list --format json
	expect_status 0
	[ "$(echo "$output" | jq length)" -eq 1 ]
	[ "$(echo "$output" | jq -r '.[0].id')" = "$ID" ]
	[ "$(echo "$output" | jq -r '.[0].pid')" = "$pid" ]
	[ "$(echo "$output" | jq -r '.[0].status')" = created ]
	[ "$(echo "$output" | jq -r '.[0].bundle')" = "$BUNDLE" ]

	run ocirun list -q
	expect_status 0
	[ "$output" = "$ID" ]
}

@test "lifecycle: list of many containers: name order, each one's own status and pid" {
	# Enough containers (33) for list to read them on more than one goroutine.
	local ids=() want="" id i pid status
	for i in $(seq -w 1 33); do
		id="$ID-$i"
		update_config ".linux.cgroupsPath = \"/ocirun-test-$id\""
		TRACKED_IDS+=("$id")
		ids+=("$id")
		if ! ocirun create --bundle "$BUNDLE" "$id" </dev/null >"$CTR_OUT" 2>&1; then
			cat "$CTR_OUT" >&2
			return 1
		fi
	done
	ocirun start "$ID-07"
	ocirun kill "$ID-13" KILL
	wait_for_status "$ID-13" stopped
	for id in "${ids[@]}"; do
		pid="$(init_pid "$id")"
		case "$id" in
		"$ID-07") status=running ;;
		"$ID-13") status=stopped ;;
		*) status=created ;;
		esac
		want+="$id $status $pid"$'\n'
	done

	run ocirun list -q
	expect_status 0
	[ "$output" = "$(printf '%s\n' "${ids[@]}" | LC_ALL=C sort)" ]
	run ocirun list -f json
	expect_status 0
	[ "$(echo "$output" | jq -r '.[] | "\(.id) \(.status) \(.pid)"')" = "${want%$'\n'}" ]
}

@test "lifecycle: list of an empty root prints only the header" {
	run ocirun list
	expect_status 0
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" =~ ^ID\ +PID ]]
	run ocirun list -f json
	expect_status 0
	[ "$(echo "$output" | jq length)" -eq 0 ]
}

@test "lifecycle: state prints the OCI state fields" {
	update_config '.annotations = {"org.ocirun.test": "yes"}'
	create_container
	run ocirun state "$ID"
	expect_status 0
	local state="$output"
	local pid
	pid="$(init_pid)"
	[ "$(jq -r .id <<<"$state")" = "$ID" ]
	[[ "$(jq -r .ociVersion <<<"$state")" =~ ^1\. ]]
	[ "$(jq -r .pid <<<"$state")" = "$pid" ]
	[ "$(jq -r .status <<<"$state")" = created ]
	[ "$(jq -r .bundle <<<"$state")" = "$BUNDLE" ]
	[ "$(jq -r .rootfs <<<"$state")" = "$ROOTFS" ]
	[ "$(jq -r '.owner | type' <<<"$state")" = string ]
	[ "$(jq -r '.annotations["org.ocirun.test"]' <<<"$state")" = yes ]
	# created is an RFC 3339 timestamp.
	[[ "$(jq -r .created <<<"$state")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9:]+)$ ]]
	# Host view: the pid is a live process.
	is_live_pid "$pid"
}

@test "lifecycle: a created container whose init is killed from the host is stopped" {
	create_container
	local pid
	pid="$(init_pid)"
	kill -9 "$pid"
	wait_for_status "$ID" stopped
	run ocirun delete "$ID"
	expect_status 0
}

@test "lifecycle: create then start a process that runs as a non-root user" {
	# The init opens the exec fifo after it became uid 1000: the fifo
	# must be writable by it whatever the runtime's umask.
	update_config '.process.user = {uid: 1000, gid: 1000}'
	set_args sleep 100
	(umask 077 && create_container)
	run ocirun start "$ID"
	expect_status 0
	wait_for_status "$ID" running
	grep -q "^Uid:[[:space:]]*1000[[:space:]]" "/proc/$(init_pid)/status"
}

@test "lifecycle: create then start in a user namespace" {
	let_mapped_root_in
	update_config '.linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
	create_container
	run ocirun start "$ID"
	expect_status 0
	wait_for_status "$ID" running
	grep -q "^Uid:[[:space:]]*100000[[:space:]]" "/proc/$(init_pid)/status"
}
