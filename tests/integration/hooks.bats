#!/usr/bin/env bats
# OCI hooks (runtime-spec v1.3.0): every phase runs at its point of the
# lifecycle with the state on stdin; failures fail create, start and run
# (and the container is destroyed), except poststop failures, which are
# warnings; timeouts kill the hook. Tests tagged "ocirun-specific" check where runc 1.1.5 differs.
# shellcheck disable=SC2016 # jq filters use $vars, in single quotes on purpose
# shellcheck disable=SC2154 # status, output, lines, stderr are set by bats' run

load helpers

bats_require_minimum_version 1.5.0

setup() {
	setup_bundle sleep 100
	# Host hooks log here; the startContainer hook, which runs inside the
	# container, logs to the same dir bind-mounted at /hooklog.
	HOOK_DIR="$BATS_TEST_TMPDIR/hooklog"
	HOOK_LOG="$HOOK_DIR/hooks.log"
	HOOK="$BATS_TEST_TMPDIR/hook.sh"
	mkdir "$HOOK_DIR"
	write_hook_script "$HOOK"
	write_hook_script "$ROOTFS/bin/hook.sh"
	bind_mount_config "$HOOK_DIR" /hooklog rbind rw
}

teardown() {
	teardown_bundle
}

# write_hook_script FILE: a POSIX sh hook (for the host's dash and the
# container's busybox). `hook.sh PHASE LOGDIR [ACTION]` saves its stdin to
# LOGDIR/PHASE.json and appends "PHASE STATUS PID MNTNS" to LOGDIR/hooks.log
# (PID from the state, "none" if absent; MNTNS is the hook's own mount
# namespace). ACTION: "fail" exits 3, "sleep" writes its pid to
# LOGDIR/PHASE.sleeper and sleeps for 30 s, "args" records its further
# args and the HOOK_VAR and HOST_ONLY variables in LOGDIR/PHASE.args.
write_hook_script() {
	cat >"$1" <<-'EOF'
		#!/bin/sh
		phase="$1" dir="$2" action="${3:-}"
		cat >"$dir/$phase.json"
		status="$(sed -n 's/.*"status": *"\([^"]*\)".*/\1/p' "$dir/$phase.json")"
		pid="$(sed -n 's/.*"pid": *\([0-9]*\).*/\1/p' "$dir/$phase.json")"
		echo "$phase $status ${pid:-none} $(readlink /proc/self/ns/mnt)" >>"$dir/hooks.log"
		case "$action" in
		fail)
			echo "hook $phase fails on purpose" >&2
			exit 3
			;;
		sleep)
			echo $$ >"$dir/$phase.sleeper"
			exec sleep 30
			;;
		args)
			shift 3
			echo "args=$* HOOK_VAR=${HOOK_VAR:-unset} HOST_ONLY=${HOST_ONLY:-unset}" >"$dir/$phase.args"
			;;
		esac
		exit 0
	EOF
	chmod 755 "$1"
}

# add_hook PHASE [ACTION [EXTRA_ARG...]]: append a hook.sh run to
# hooks.PHASE. startContainer runs inside the container, with its paths.
add_hook() {
	local phase="$1" action="${2:-}" path="$HOOK" dir="$HOOK_DIR" path_env extra
	shift
	[[ $# -gt 0 ]] && shift
	path_env="PATH=/usr/sbin:/usr/bin:/sbin:/bin"
	if [[ "$phase" == startContainer ]]; then
		path=/bin/hook.sh dir=/hooklog path_env=PATH=/bin
	fi
	extra="$(jq -nc '$ARGS.positional' --args -- "$@")"
	update_config '.hooks[$phase] += [{path: $path, args: (["hook.sh", $phase, $dir, $action] + $extra), env: [$pathenv, "HOOK_VAR=from-config"]}]' \
		--arg phase "$phase" --arg path "$path" --arg dir "$dir" --arg action "$action" \
		--arg pathenv "$path_env" --argjson extra "$extra"
}

# add_every_hook: one recording hook in each phase.
add_every_hook() {
	local phase
	for phase in prestart createRuntime createContainer startContainer poststart poststop; do
		add_hook "$phase"
	done
}

# logged_phases: the phases in hooks.log, in order, on one line.
logged_phases() {
	[[ -e "$HOOK_LOG" ]] || return 0
	awk '{print $1}' "$HOOK_LOG" | paste -sd ' '
}

# log_field PHASE N: field N of PHASE's line in hooks.log (2 status, 3 pid,
# 4 mount namespace).
log_field() {
	awk -v p="$1" -v n="$2" '$1 == p {print $n}' "$HOOK_LOG"
}

# expect_phases PHASE...: exactly these phases ran, in this order.
expect_phases() {
	local got
	got="$(logged_phases)"
	if [[ "$got" != "$*" ]]; then
		echo "hooks ran: '$got', want '$*'" >&2
		cat "$HOOK_LOG" >&2 2>/dev/null
		return 1
	fi
}

# expect_state_json PHASE STATUS: PHASE's stdin was the state of this
# container with STATUS.
expect_state_json() {
	local json="$HOOK_DIR/$1.json"
	cat "$json"
	[ "$(jq -r .id "$json")" = "$ID" ]
	[ "$(jq -r .status "$json")" = "$2" ]
	[ "$(jq -r .bundle "$json")" = "$BUNDLE" ]
	[[ "$(jq -r .ociVersion "$json")" =~ ^1\. ]]
	[ "$(jq -r '.annotations["org.ocirun.test"]' "$json")" = hooks ]
}

# create_fails: `create` must fail and leave nothing behind.
create_fails() {
	run --separate-stderr ocirun create --bundle "$BUNDLE" "$ID" </dev/null
	echo "stderr: $stderr"
	if [[ "$status" -eq 0 ]]; then
		echo "create succeeded, want failure" >&2
		return 1
	fi
	assert_no_leftovers
	run ocirun state "$ID"
	[ "$status" -ne 0 ]
}

@test "hooks: create runs prestart, createRuntime and createContainer" {
	update_config '.annotations = {"org.ocirun.test": "hooks"}'
	add_hook prestart
	add_hook createRuntime
	add_hook createContainer
	local pid host_mnt init_mnt
	host_mnt="$(readlink /proc/self/ns/mnt)"
	create_container
	pid="$(init_pid)"
	init_mnt="$(readlink "/proc/$pid/ns/mnt")"
	[ "$init_mnt" != "$host_mnt" ]
	expect_phases prestart createRuntime createContainer
	expect_state_json prestart creating
	expect_state_json createRuntime creating
	expect_state_json createContainer creating
	[ "$(log_field prestart 3)" = "$pid" ]
	[ "$(log_field createRuntime 3)" = "$pid" ]
	# prestart and createRuntime run in the runtime namespace,
	# createContainer in the container's (its host path still resolved).
	[ "$(log_field prestart 4)" = "$host_mnt" ]
	[ "$(log_field createRuntime 4)" = "$host_mnt" ]
	[ "$(log_field createContainer 4)" = "$init_mnt" ]
}

@test "hooks: start runs startContainer inside the container" {
	update_config '.annotations = {"org.ocirun.test": "hooks"}'
	add_hook startContainer
	# Only the container's /bin/hook.sh logs to /hooklog: no host path.
	[ ! -e /bin/hook.sh ]
	[ ! -e /hooklog ]
	create_container
	local pid
	pid="$(init_pid)"
	expect_phases
	run ocirun start "$ID"
	expect_status 0
	expect_phases startContainer
	expect_state_json startContainer created
	[ "$(log_field startContainer 4)" = "$(readlink "/proc/$pid/ns/mnt")" ]
}

@test "hooks: start runs poststart, before it returns" {
	# runc 1.1.5 runs poststart hooks during create, with status "created".
	skip_if_runc # ocirun-specific
	update_config '.annotations = {"org.ocirun.test": "hooks"}'
	add_hook poststart
	create_container
	local pid
	pid="$(init_pid)"
	expect_phases
	run ocirun start "$ID"
	expect_status 0
	expect_phases poststart
	expect_state_json poststart running
	[ "$(log_field poststart 3)" = "$pid" ]
	[ "$(log_field poststart 4)" = "$(readlink /proc/self/ns/mnt)" ]
}

@test "hooks: delete runs poststop, not the init's exit" {
	update_config '.annotations = {"org.ocirun.test": "hooks"}'
	add_hook poststop
	run_detached
	local pid
	pid="$(init_pid)"
	run ocirun kill "$ID" KILL
	expect_status 0
	wait_for_status "$ID" stopped
	expect_phases
	run ocirun delete "$ID"
	expect_status 0
	expect_phases poststop
	expect_state_json poststop stopped
	[ "$(log_field poststop 4)" = "$(readlink /proc/self/ns/mnt)" ]
	# Once stopped, the pid is optional; if given it is the old init's.
	[[ "$(log_field poststop 3)" == none || "$(log_field poststop 3)" == "$pid" ]]
}

@test "hooks: every phase runs in lifecycle order" {
	# runc 1.1.5 runs poststart hooks during create.
	skip_if_runc # ocirun-specific
	add_every_hook
	create_container
	init_pid >/dev/null
	expect_phases prestart createRuntime createContainer
	run ocirun start "$ID"
	expect_status 0
	expect_phases prestart createRuntime createContainer startContainer poststart
	run ocirun delete --force "$ID"
	expect_status 0
	expect_phases prestart createRuntime createContainer startContainer poststart poststop
}

@test "hooks: createContainer and startContainer get the init's host pid" {
	# runc 1.1.5 gives them getpid() inside the container's pid namespace
	# (1); the spec's state has the pid as seen by the runtime.
	skip_if_runc # ocirun-specific
	add_hook createContainer
	add_hook startContainer
	create_container
	local pid
	pid="$(init_pid)"
	[ "$(log_field createContainer 3)" = "$pid" ]
	run ocirun start "$ID"
	expect_status 0
	[ "$(log_field startContainer 3)" = "$pid" ]
}

@test "hooks: args and env are passed to the hook" {
	add_hook createRuntime args first "second arg"
	add_hook startContainer args in-container
	# The runtime's own environment does not reach a hook with env.
	HOST_ONLY=leaks create_container
	init_pid >/dev/null
	run ocirun start "$ID"
	expect_status 0
	cat "$HOOK_DIR"/*.args
	[ "$(cat "$HOOK_DIR/createRuntime.args")" = "args=first second arg HOOK_VAR=from-config HOST_ONLY=unset" ]
	[ "$(cat "$HOOK_DIR/startContainer.args")" = "args=in-container HOOK_VAR=from-config HOST_ONLY=unset" ]
}

@test "hooks: a failing prestart, createRuntime or createContainer hook fails create" {
	local phase want=()
	for phase in prestart createRuntime createContainer; do
		update_config 'del(.hooks)'
		rm -f "$HOOK_LOG"
		add_hook "$phase" fail
		add_every_hook
		create_fails
		# The hooks up to the failing one ran, then (lifecycle step 12 and
		# 13) the container was destroyed and poststop ran.
		case "$phase" in
		prestart) want=(prestart poststop) ;;
		createRuntime) want=(prestart createRuntime poststop) ;;
		createContainer) want=(prestart createRuntime createContainer poststop) ;;
		esac
		expect_phases "${want[@]}"
	done
}

@test "hooks: a failing create hook is named in the error" {
	skip_if_runc # ocirun-specific
	local phase
	for phase in prestart createRuntime createContainer; do
		update_config 'del(.hooks)'
		add_hook "$phase"
		add_hook "$phase" fail
		create_fails
		[[ "$stderr" == *"hooks.${phase}[1]"* ]]
		# The hook's own output explains why.
		[[ "$stderr" == *"hook $phase fails on purpose"* ]]
	done
}

@test "hooks: a failing startContainer hook stops the container before its program" {
	set_args sh -c 'touch /hooklog/program-ran; exec sleep 100'
	add_hook startContainer fail
	create_container
	init_pid >/dev/null
	ocirun start "$ID" || true
	wait_for_status "$ID" stopped
	[ ! -e "$HOOK_DIR/program-ran" ]
	run ocirun delete "$ID"
	expect_status 0
}

@test "hooks: a failing startContainer hook fails start" {
	# runc 1.1.5 runs them after it told start the program runs: exit 0.
	skip_if_runc # ocirun-specific
	add_hook startContainer fail
	add_hook poststart
	create_container
	init_pid >/dev/null
	run ocirun start "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"hooks.startContainer[0]"* ]]
	wait_for_status "$ID" stopped
	expect_phases startContainer
}

@test "hooks: a failing poststart hook fails start and destroys the container" {
	# runtime-spec v1.3.0 lifecycle step 9: "If any poststart hook fails,
	# the runtime MUST generate an error, stop the container, and continue
	# the lifecycle at step 12" (destroy, then poststop). runc 1.1.5 runs
	# poststart hooks during create instead.
	skip_if_runc # ocirun-specific
	add_hook poststart fail
	add_hook poststart
	add_hook poststop
	create_container
	local pid
	pid="$(init_pid)"
	run ocirun start "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *poststart* ]]
	# The first failure stops the hooks; the container is then destroyed.
	expect_phases poststart poststop
	! is_live_pid "$pid"
	run ocirun state "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "hooks: a failing poststart hook fails run, leaving nothing" {
	skip_if_runc # ocirun-specific, as above
	set_args true
	add_hook poststart fail
	run ocirun run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *poststart* ]]
	expect_phases poststart
	[ ! -e "$ROOT/$ID" ]
}

@test "hooks: a failing poststop hook does not fail delete" {
	add_hook poststop fail
	run_detached
	init_pid >/dev/null
	run ocirun delete --force "$ID"
	expect_status 0
	expect_phases poststop
	run ocirun state "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "hooks: the poststop hooks after a failing one still run" {
	# runtime-spec lifecycle step 13: "the remaining hooks and lifecycle
	# continue as if the hook had succeeded". runc 1.1.5 stops at the
	# failing hook.
	skip_if_runc # ocirun-specific
	add_hook poststop fail
	add_hook poststop
	run_detached
	init_pid >/dev/null
	run ocirun delete --force "$ID"
	expect_status 0
	expect_phases poststop poststop
}

@test "hooks: a hook past its timeout is killed and fails create" {
	add_hook createRuntime sleep
	update_config '.hooks.createRuntime[0].timeout = 1'
	local started=$SECONDS sleeper
	create_fails
	[ $((SECONDS - started)) -le 5 ]
	# The sleeping hook itself is gone.
	sleeper="$(cat "$HOOK_DIR/createRuntime.sleeper")"
	track_pid "$sleeper"
	for _ in $(seq 20); do
		is_live_pid "$sleeper" || break
		sleep 0.1
	done
	if is_live_pid "$sleeper"; then return 1; fi
}

@test "hooks: run runs every phase" {
	update_config '.annotations = {"org.ocirun.test": "hooks"}'
	add_every_hook
	set_args echo ran
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = ran ]
	# The order of start and poststart is checked above (runc 1.1.5 runs
	# poststart during create); here: the create phases first, poststop
	# last, each phase once.
	[[ "$(logged_phases)" == "prestart createRuntime createContainer "*" poststop" ]]
	[ "$(awk '{print $1}' "$HOOK_LOG" | sort | paste -sd ' ')" = \
		"createContainer createRuntime poststart poststop prestart startContainer" ]
	expect_state_json createRuntime creating
	expect_state_json startContainer created
	expect_state_json poststop stopped
}
