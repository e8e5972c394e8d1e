# shellcheck shell=bash
# Shared helpers for the ocirun integration suite; every .bats file loads it.
# shellcheck disable=SC2016 # jq filters use $vars, in single quotes on purpose
# shellcheck disable=SC2034 # variables here are read by the .bats files
# shellcheck disable=SC2154 # status, output, lines are set by bats' run
#
# The runtime under test is $OCIRUN (default: <repo>/bin/ocirun). Run the
# suite against runc with: OCIRUN=/usr/sbin/runc bats tests/integration

INTEGRATION_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INTEGRATION_DIR/../.." && pwd)"
OCIRUN="${OCIRUN:-$REPO_ROOT/bin/ocirun}"
# A relative path would break once we cd (e.g. into the bundle).
[[ "$OCIRUN" != */* || "$OCIRUN" == /* ]] || OCIRUN="$PWD/$OCIRUN"
export OCIRUN
# One rootfs per bats run; build-bundle.sh copies it for each test.
export OCIRUN_ROOTFS_CACHE="${OCIRUN_ROOTFS_CACHE:-$BATS_RUN_TMPDIR/rootfs-cache}"

# Every cgroup hierarchy of this hybrid host: v1 controllers, the named
# systemd hierarchy and the cgroup2 mount at unified/.
CGROUP_MOUNTS=()
for _cg in /sys/fs/cgroup/*/; do
	[[ -d "$_cg" ]] && CGROUP_MOUNTS+=("${_cg%/}")
done
unset _cg

# The v1 resource controllers mounted on this host (the named systemd
# hierarchy and cgroup2 at unified/ are not controllers).
CGROUP_V1_CONTROLLERS=()
for _cg in cpu cpuacct cpuset memory devices freezer blkio pids; do
	[[ -d "/sys/fs/cgroup/$_cg" ]] && CGROUP_V1_CONTROLLERS+=("$_cg")
done
unset _cg

# shellcheck source=tests/integration/procs.bash
source "$INTEGRATION_DIR/procs.bash"
# shellcheck source=tests/integration/leaks.bash
source "$INTEGRATION_DIR/leaks.bash"

# Tests that check ocirun's own error texts call this first.
skip_if_runc() {
	[[ "$(basename "$OCIRUN")" == runc ]] && skip "ocirun-specific"
	return 0
}

# ocirun ARG...: the runtime with this test's --root, bounded by a timeout so
# a hung runtime fails the test instead of the whole suite.
ocirun() {
	timeout 20 "$OCIRUN" --root "$ROOT" "$@"
}

# setup_bundle [ARG...]: a fresh bundle whose process runs ARG... (default sh).
# Sets ID, ROOT, BUNDLE, ROOTFS, CGROUP_NAME and CTR_OUT (stdio of detached
# containers).
setup_bundle() {
	ID="t${BATS_TEST_NUMBER}-$$-$RANDOM"
	ROOT="$BATS_TEST_TMPDIR/state"
	BUNDLE="$BATS_TEST_TMPDIR/bundle"
	ROOTFS="$BUNDLE/rootfs"
	CGROUP_NAME="ocirun-test-$ID"
	CTR_OUT="$BATS_TEST_TMPDIR/container.out"
	TRACKED_IDS=("$ID")
	TRACKED_PIDS=()
	HELPER_PIDS=()
	HOST_MOUNTS=()
	"$INTEGRATION_DIR/build-bundle.sh" -i "$ID" "$BUNDLE" "$@"
}

# set_args ARG...: replace process.args. The "--" stops jq from reading a
# "-c" among the args as its own flag.
set_args() {
	jq '.process.args = $ARGS.positional' "$BUNDLE/config.json" --args -- "$@" \
		>"$BUNDLE/config.json.new"
	mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

# update_config FILTER [JQ_ARG...]: apply a jq filter to the bundle config.
update_config() {
	local filter="$1"
	shift
	jq "$@" "$filter" "$BUNDLE/config.json" >"$BUNDLE/config.json.new"
	mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

# bind_mount_config SRC DEST [OPTION...]: append a bind mount to the config;
# the options default to "rbind".
bind_mount_config() {
	local src="$1" dest="$2" opts
	shift 2
	[[ $# -gt 0 ]] || set -- rbind
	opts="$(jq -nc '$ARGS.positional' --args -- "$@")"
	update_config '.mounts += [{source: $s, destination: $d, type: "bind", options: $o}]' \
		--arg s "$src" --arg d "$dest" --argjson o "$opts"
}

# host_mount ARG...: mount(8) on the host, unmounted by teardown_host_mounts.
host_mount() {
	mount "$@"
	HOST_MOUNTS+=("${@: -1}")
}

# teardown_host_mounts: undo host_mount, last first.
teardown_host_mounts() {
	local i
	for ((i = ${#HOST_MOUNTS[@]} - 1; i >= 0; i--)); do
		umount -l "${HOST_MOUNTS[i]}" 2>/dev/null
	done
	HOST_MOUNTS=()
}

# create_container [ARG...]: `create` with the container's stdio in $CTR_OUT,
# so that no pipe of bats stays open in the container.
create_container() {
	if ! ocirun create --bundle "$BUNDLE" "$@" "$ID" </dev/null >"$CTR_OUT" 2>&1; then
		cat "$CTR_OUT" >&2
		echo "create $ID failed" >&2
		return 1
	fi
}

# run_detached [ARG...]: `run -d` with the container's stdio in $CTR_OUT.
run_detached() {
	if ! ocirun run -d --bundle "$BUNDLE" "$@" "$ID" </dev/null >"$CTR_OUT" 2>&1; then
		cat "$CTR_OUT" >&2
		echo "run -d $ID failed" >&2
		return 1
	fi
}

# container_field ID FIELD: one field of `state` (e.g. pid, status).
container_field() {
	ocirun state "$1" | jq -r ".$2"
}

# init_pid [ID]: the container's init pid, remembered for the leak check.
init_pid() {
	local pid
	pid="$(container_field "${1:-$ID}" pid)" || return 1
	track_pid "$pid"
	echo "$pid"
}

# wait_for_status ID STATUS: poll `state` until STATUS, for up to 10 s.
wait_for_status() {
	local id="$1" want="$2" got="" i
	for i in $(seq 100); do
		got="$(ocirun state "$id" 2>/dev/null | jq -r .status)" || got=""
		[[ "$got" == "$want" ]] && return 0
		sleep 0.1
	done
	echo "container $id: status '$got', want '$want'" >&2
	return 1
}

# wait_for_file FILE: poll until FILE exists, for up to 10 s.
wait_for_file() {
	local i
	for i in $(seq 100); do
		[[ -e "$1" ]] && return 0
		sleep 0.1
	done
	echo "timed out waiting for $1" >&2
	return 1
}

# wait_for_output FILE PATTERN: poll until FILE has a line matching PATTERN
# (grep -E), for up to 10 s.
wait_for_output() {
	local i
	for i in $(seq 100); do
		grep -Eq "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "timed out waiting for '$2' in $1:" >&2
	cat "$1" >&2
	return 1
}

# expect_status WANT: the exit status of the last `run`, with its output on
# mismatch.
expect_status() {
	if [[ "$status" -ne "$1" ]]; then
		echo "exit status $status, want $1; output:" >&2
		echo "$output" >&2
		return 1
	fi
}

# expect_output_contains TEXT: the output of the last `run` contains TEXT.
expect_output_contains() {
	if [[ "$output" != *"$1"* ]]; then
		echo "output does not contain '$1':" >&2
		echo "$output" >&2
		return 1
	fi
}

# The console-socket receiver built from tests/cmd/recvtty (make build).
RECVTTY="${RECVTTY:-$REPO_ROOT/bin/recvtty}"

# start_recvtty [RECVTTY_ARG...]: recvtty listening on $CONSOLE_SOCKET as a
# helper of the test; returns once it listens. Sets RECVTTY_PID; the
# terminal's output goes to $RECVTTY_OUT, recvtty's errors to $RECVTTY_ERR.
start_recvtty() {
	local ready="$BATS_TEST_TMPDIR/recvtty.ready" i
	CONSOLE_SOCKET="$BATS_TEST_TMPDIR/console.sock"
	RECVTTY_OUT="$BATS_TEST_TMPDIR/recvtty.out"
	RECVTTY_ERR="$BATS_TEST_TMPDIR/recvtty.err"
	if [[ ! -x "$RECVTTY" ]]; then
		echo "$RECVTTY not found: run 'make build'" >&2
		return 1
	fi
	rm -f "$ready"
	# Its own timeout stays below wait_child's, so a runtime that never
	# connects shows up as recvtty's error rather than a kill.
	"$RECVTTY" -timeout 15s -ready "$ready" "$@" "$CONSOLE_SOCKET" \
		</dev/null >"$RECVTTY_OUT" 2>"$RECVTTY_ERR" 3>&- &
	RECVTTY_PID=$!
	HELPER_PIDS+=("$RECVTTY_PID")
	for i in $(seq 100); do
		[[ -e "$ready" ]] && return 0
		is_live_pid "$RECVTTY_PID" || break
		sleep 0.1
	done
	echo "recvtty did not start listening on $CONSOLE_SOCKET:" >&2
	cat "$RECVTTY_ERR" >&2
	return 1
}

# wait_recvtty: wait until recvtty saw the terminal hang up (every process
# holding the pty slave is gone); fails with recvtty's errors if it did not
# exit 0.
wait_recvtty() {
	local rc=0
	wait_child "$RECVTTY_PID" || rc=$?
	if [[ $rc -ne 0 ]]; then
		echo "recvtty exited with $rc:" >&2
		cat "$RECVTTY_ERR" >&2
	fi
	return $rc
}
