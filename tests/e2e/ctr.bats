#!/usr/bin/env bats
# containerd 1.6 drives ocirun through its io.containerd.runc.v2 shim, as
# `ctr run --runc-binary $OCIRUN --runc-root DIR` sets it up. Each test
# proves from outside what the container saw and what the host shows, and
# its teardown checks that ocirun left no state dir, cgroup (/default/<id>
# on this v1 host), mount or process behind.

# shellcheck disable=SC2016 # commands for the container's shell, in single quotes on purpose
# shellcheck disable=SC2034 # variables read by the helpers
# shellcheck disable=SC2154 # status, output, stderr are set by bats' run

load helpers

setup_file() {
	# containerd's cgroupsPath on v1 is /<namespace>/<id>.
	own_cgroup_parent /default
	e2e_setup_file 0
	import_image default
}

teardown_file() {
	e2e_teardown_file default
}

setup() {
	ID="e2e-$BATS_TEST_NUMBER-$$-$RANDOM"
	OUT="$BATS_TEST_TMPDIR/out"
	mkdir -p "$OUT"
	track_container default "$ID" "/default/$ID"
}

teardown() {
	e2e_teardown
}

# ctr_run [OPTION...] ID [ARG...]: `ctr run` of the busybox image through
# ocirun. The options go before the image, ID and ARG... after it.
ctr_run() {
	local opts=()
	while [[ $# -gt 0 && "$1" == -* ]]; do
		opts+=("$1")
		shift
	done
	ctrd run --runc-binary "$OCIRUN" --runc-root "$RUNC_ROOT" --fifo-dir "$FIFO_DIR" \
		"${opts[@]}" "$E2E_IMAGE" "$@"
}

# run_detached ARG...: `ctr run -d` of $ID with $OUT bind-mounted at /out,
# then remembers its init and shim for the leak check.
run_detached() {
	ctr_run -d "--mount=type=bind,src=$OUT,dst=/out,options=rbind" "$ID" "$@" </dev/null
	track_task default "$ID"
}

# A PID 1 that ends on SIGTERM (PID 1 ignores it without a handler) and
# records the signal in /out for the host to read. `wait` returns as soon as
# a trapped signal arrives; its one sleep keeps the process list stable.
TERM_TRAP='trap "echo TERM >/out/signal; exit 3" TERM; sleep 100000 & echo up >/out/ready; wait'

# task_status ID: RUNNING, PAUSED, STOPPED... as `ctr task ls` shows it.
task_status() {
	ctrd tasks ls | awk -v id="$1" '$1 == id {print $3}'
}

# wait_task_status ID STATUS: poll `ctr task ls` for up to 10 s.
wait_task_status() {
	local got=""
	for _ in $(seq 100); do
		got="$(task_status "$1")"
		[[ "$got" == "$2" ]] && return 0
		sleep 0.1
	done
	echo "task $1: status '$got', want '$2'" >&2
	return 1
}

# proc_state PID: the state letter of /proc/PID/stat.
proc_state() {
	local stat
	read -r stat <"/proc/$1/stat"
	stat="${stat##*) }"
	echo "${stat%% *}"
}

# ocirun_state ID FIELD: a field of ocirun's own `state`, read from the
# root the shim gave it (<runc-root>/<namespace>).
ocirun_state() {
	"$OCIRUN" --root "$RUNC_ROOT/default" state "$1" | jq -r ".$2"
}

# expect_no_container_left: containerd forgot the container and ocirun left
# nothing of it (checked here, before teardown's cleanup could hide it).
expect_no_container_left() {
	run ctrd containers ls --quiet
	[[ "$output" != *"$ID"* ]] || {
		echo "containerd still lists $ID" >&2
		return 1
	}
	leak_check_pids
	leak_check_container default "$ID" "/default/$ID"
}

@test "ctr run: the program's output and exit code come back through the shim" {
	run ctr_run --rm "$ID" sh -c 'echo "hello from $(cat /proc/self/cgroup | grep memory)"; exit 7'
	expect_status 7
	expect_output_contains "hello from 4:memory:/default/$ID"
	expect_no_container_left
}

@test "ctr run -t: the program gets a terminal" {
	# --foreground keeps ctr in the terminal's foreground process group:
	# without it, ctr's tcsetattr (raw mode) stops it with SIGTTOU whenever
	# script(1) runs the command through dash (SHELL unset, as in CI).
	run script -qec "timeout --foreground 60 ctr --address '$CONTAINERD_SOCK' run --rm -t \
		--runc-binary '$OCIRUN' --runc-root '$RUNC_ROOT' --fifo-dir '$FIFO_DIR' \
		'$E2E_IMAGE' '$ID' sh -c 'tty; test -t 0 && echo stdin-is-a-tty'" /dev/null </dev/null
	expect_status 0
	expect_output_contains "/dev/pts/0"
	expect_output_contains "stdin-is-a-tty"
	expect_no_container_left
}

@test "ctr run -d: task ps lists the container's processes, ocirun holds its state" {
	run_detached sh -c "$TERM_TRAP"
	wait_task_status "$ID" RUNNING
	[[ "$(ocirun_state "$ID" status)" == running ]]
	init="$(task_pid default "$ID")"
	[[ "$(ocirun_state "$ID" pid)" == "$init" ]]
	ctrd tasks exec -d --exec-id bg "$ID" sleep 1000
	run ctrd tasks ps "$ID"
	expect_status 0
	# The pids ctr lists are exactly those in the container's cgroup.
	listed="$(tail -n +2 <<<"$output" | awk '{print $1}' | sort -n)"
	procs="$(sort -n "/sys/fs/cgroup/pids/default/$ID/cgroup.procs")"
	mapfile -t proc_list <<<"$procs"
	track_pid "${proc_list[@]}"
	[[ "$listed" == "$procs" ]] || {
		echo "task ps: $listed; cgroup.procs: $procs" >&2
		false
	}
	[[ "$(wc -l <<<"$listed")" -ge 3 ]] # sh, its sleep, the exec'd sleep
	grep -qx "$init" <<<"$listed"
}

@test "ctr task exec: output and exit code, in the container's namespaces" {
	run_detached sh -c "$TERM_TRAP"
	wait_task_status "$ID" RUNNING
	run ctrd tasks exec --exec-id e1 "$ID" sh -c 'echo "pid1=$(cat /proc/1/cmdline | tr "\0" " ")"; exit 5'
	expect_status 5
	expect_output_contains 'pid1=sh -c trap'
	init="$(task_pid default "$ID")"
	run ctrd tasks exec --exec-id e2 "$ID" readlink /proc/self/ns/pid
	expect_status 0
	[[ "$output" == "$(readlink "/proc/$init/ns/pid")" ]]
}

@test "ctr task exec -t: the exec'd process gets a terminal" {
	run_detached sh -c "$TERM_TRAP"
	wait_task_status "$ID" RUNNING
	run script -qec "timeout --foreground 60 ctr --address '$CONTAINERD_SOCK' tasks exec -t \
		--fifo-dir '$FIFO_DIR' --exec-id tty '$ID' sh -c 'tty; test -t 0 && echo stdin-is-a-tty'" /dev/null </dev/null
	expect_status 0
	expect_output_contains "/dev/pts/"
	expect_output_contains "stdin-is-a-tty"
}

@test "ctr task pause freezes the processes, resume thaws them" {
	run_detached sh -c "$TERM_TRAP"
	wait_task_status "$ID" RUNNING
	init="$(task_pid default "$ID")"
	ctrd tasks pause "$ID"
	[[ "$(task_status "$ID")" == PAUSED ]]
	[[ "$(ocirun_state "$ID" status)" == paused ]]
	[[ "$(cat "/sys/fs/cgroup/freezer/default/$ID/freezer.state")" == FROZEN ]]
	# A frozen task sleeps uninterruptibly in the freezer.
	[[ "$(proc_state "$init")" == D ]]
	ctrd tasks resume "$ID"
	[[ "$(task_status "$ID")" == RUNNING ]]
	[[ "$(cat "/sys/fs/cgroup/freezer/default/$ID/freezer.state")" == THAWED ]]
	[[ "$(proc_state "$init")" != D ]]
	# It runs again: an exec completes.
	run ctrd tasks exec --exec-id after "$ID" echo thawed
	expect_status 0
	expect_output_contains thawed
}

@test "ctr task metrics shows the container's cgroup values" {
	run_detached sh -c "$TERM_TRAP"
	wait_task_status "$ID" RUNNING
	run ctrd tasks metrics --format json "$ID"
	expect_status 0
	pids="$(jq -r '.pids.current' <<<"$output")"
	memory="$(jq -r '.memory.usage.usage' <<<"$output")"
	[[ "$pids" -eq "$(wc -l <"/sys/fs/cgroup/pids/default/$ID/cgroup.procs")" ]]
	[[ "$pids" -ge 1 ]]
	[[ "$memory" -gt 0 ]]
}

@test "ctr task kill sends one signal; task rm reports the exit code; rm leaves nothing" {
	run_detached sh -c "$TERM_TRAP"
	wait_for_file "$OUT/ready"
	ctrd tasks kill "$ID"
	wait_task_status "$ID" STOPPED
	[[ "$(cat "$OUT/signal")" == TERM ]]
	run ctrd tasks rm "$ID"
	expect_status 0
	expect_output_contains "exit code 3"
	ctrd containers rm "$ID"
	expect_no_container_left
}

@test "ctr task kill --all reaches exec'd processes too" {
	run_detached sh -c "$TERM_TRAP"
	wait_task_status "$ID" RUNNING
	ctrd tasks exec -d --exec-id bg "$ID" sleep 1000
	mapfile -t procs <"/sys/fs/cgroup/pids/default/$ID/cgroup.procs"
	track_pid "${procs[@]}"
	[[ "${#procs[@]}" -ge 2 ]]
	ctrd tasks kill --all --signal KILL "$ID"
	wait_task_status "$ID" STOPPED
	for pid in "${procs[@]}"; do
		if is_live_pid "$pid"; then
			echo "process $pid survived kill --all" >&2
			false
		fi
	done
	ctrd tasks rm "$ID"
	ctrd containers rm "$ID"
	expect_no_container_left
}

@test "ctr run of a missing executable: ocirun's error reaches ctr, nothing is left" {
	run ctr_run --rm "$ID" /no/such/program
	expect_status 1
	expect_output_contains 'OCI runtime create failed: '
	if [[ "$(basename "$OCIRUN")" != runc ]]; then
		# The shim quotes the last error line of ocirun's JSON log as is.
		expect_output_contains 'OCI runtime create failed: exec: "/no/such/program": stat /no/such/program: no such file or directory'
	fi
	expect_no_container_left
}

@test "ctr run with a config ocirun refuses: the field-named error reaches ctr" {
	[[ "$(basename "$OCIRUN")" != runc ]] || skip "ocirun-specific validation"
	run ctr_run --rm "--cgroup=/default/../$ID" "$ID" true
	expect_status 1
	expect_output_contains 'OCI runtime create failed: linux.cgroupsPath: must not contain ".."'
	expect_no_container_left
	leak_check_cgroup "/$ID"
}
