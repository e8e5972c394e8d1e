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

# The cgroup layout the resource files follow: v2 when /sys/fs/cgroup is
# itself a cgroup2 mount (a pure v2 host, e.g. the VM tier: tests/vm), v1
# otherwise. A hybrid host counts as v1: its limits live in the v1
# controllers, its cgroup2 at unified/ has none.
if [[ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" == cgroup2fs ]]; then
	CGROUP_LAYOUT=v2
else
	CGROUP_LAYOUT=v1
fi

# Every cgroup hierarchy a container is placed in: on v1/hybrid the v1
# controllers, the named systemd hierarchy and the cgroup2 mount at
# unified/; on v2 the one cgroup2 mount (whose subdirectories are cgroups).
CGROUP_MOUNTS=()
# The v1 resource controllers mounted on this host (the named systemd
# hierarchy and cgroup2 at unified/ are not controllers); none on v2.
CGROUP_V1_CONTROLLERS=()
if [[ "$CGROUP_LAYOUT" == v2 ]]; then
	CGROUP_MOUNTS=(/sys/fs/cgroup)
else
	for _cg in /sys/fs/cgroup/*/; do
		[[ -d "$_cg" ]] && CGROUP_MOUNTS+=("${_cg%/}")
	done
	for _cg in cpu cpuacct cpuset memory devices freezer blkio pids; do
		[[ -d "/sys/fs/cgroup/$_cg" ]] && CGROUP_V1_CONTROLLERS+=("$_cg")
	done
	unset _cg
fi

# Seconds one runtime command may take before the test fails; the VM tier
# raises it (software emulation is many times slower).
OCIRUN_TIMEOUT="${OCIRUN_TIMEOUT:-20}"

# shellcheck source=tests/integration/procs.bash
source "$INTEGRATION_DIR/procs.bash"
# shellcheck source=tests/integration/asserts.bash
source "$INTEGRATION_DIR/asserts.bash"
# shellcheck source=tests/integration/leaks.bash
source "$INTEGRATION_DIR/leaks.bash"

# is_runc: the suite drives runc (to validate the tests), not ocirun.
is_runc() {
	[[ "$(basename "$OCIRUN")" == runc ]]
}

# Tests that check ocirun's own error texts call this first.
skip_if_runc() {
	is_runc && skip "ocirun-specific"
	return 0
}

# ocirun ARG...: the runtime with this test's --root, bounded by a timeout
# ($OCIRUN_TIMEOUT) so a hung runtime fails the test instead of the suite.
ocirun() {
	timeout "$OCIRUN_TIMEOUT" "$OCIRUN" --root "$ROOT" "$@"
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

# --- cgroup layout helpers: the same test checks the v1 file on v1/hybrid
# hosts and the v2 file (after runc's conversions) on pure v2 hosts.

# cgroup_layout: v1 (v1 or hybrid host) or v2 (pure cgroup v2 host).
cgroup_layout() {
	echo "$CGROUP_LAYOUT"
}

# is_cgroup_v2: the host is pure cgroup v2.
is_cgroup_v2() {
	[[ "$CGROUP_LAYOUT" == v2 ]]
}

# skip_unless_cgroup LAYOUT REASON: skip the test on the other layout,
# saying why it cannot apply there.
skip_unless_cgroup() {
	[[ "$CGROUP_LAYOUT" == "$1" ]] || skip "cgroup $1 only: $2"
	return 0
}

# cgroup_dir CONTROLLER [NAME]: the host directory of cgroup NAME (default
# the test container's, $CGROUP_NAME; may be nested, "a/b") holding
# CONTROLLER's files on this layout.
cgroup_dir() {
	local name="${2:-$CGROUP_NAME}"
	if is_cgroup_v2; then
		echo "/sys/fs/cgroup/$name"
	else
		echo "/sys/fs/cgroup/$1/$name"
	fi
}

# cgroup_read CONTROLLER FILE: a file of the test container's cgroup.
cgroup_read() {
	cat "$(cgroup_dir "$1")/$2"
}

# expect_cgroup CONTROLLER FILE WANT: that file reads exactly WANT.
expect_cgroup() {
	local got
	got="$(cgroup_read "$1" "$2")" || return 1
	if [[ "$got" != "$3" ]]; then
		echo "$(cgroup_dir "$1")/$2: '$got', want '$3'" >&2
		return 1
	fi
}

# container_cgroup_file CONTROLLER FILE: where a container with its own
# cgroup namespace (the default spec) sees its own cgroup's FILE.
container_cgroup_file() {
	if is_cgroup_v2; then
		echo "/sys/fs/cgroup/$2"
	else
		echo "/sys/fs/cgroup/$1/$2"
	fi
}

# cpu_shares_to_weight SHARES: runc's cpu.shares -> cpu.weight conversion
# (2..262144 -> 1..10000).
cpu_shares_to_weight() {
	echo $((1 + ($1 - 2) * 9999 / 262142))
}

# blkio_weight_to_io_weight WEIGHT: runc's blkio weight -> io.weight
# conversion (10..1000 -> 1..10000).
blkio_weight_to_io_weight() {
	echo $((1 + ($1 - 10) * 9999 / 990))
}

# device_programs DIR: "ID NAME" of each eBPF device program attached to
# the cgroup2 directory DIR: the form v2 device rules take (bpftool).
device_programs() {
	if ! command -v bpftool >/dev/null; then
		echo "bpftool not installed (apt-get install bpftool)" >&2
		return 1
	fi
	bpftool -j cgroup list "$1" |
		jq -r '.[] | select(.attach_type | test("device")) | "\(.id) \(.name // "")"'
}

# let_mapped_root_in: a user namespace's root is "other" to bats' 0700 temp
# dirs; let it traverse them (only bats' own dirs; nothing above
# $BATS_RUN_TMPDIR is touched).
let_mapped_root_in() {
	local dir="$BUNDLE"
	while [[ "$dir" == "$BATS_RUN_TMPDIR"* ]]; do
		chmod o+x "$dir"
		dir="$(dirname "$dir")"
	done
}

# one_device_program DIR: the "ID NAME" line of the one device program
# attached to DIR; fails, showing what is attached, when there is not
# exactly one.
one_device_program() {
	local progs
	progs="$(device_programs "$1")" || return 1
	if [[ -z "$progs" || "$progs" == *$'\n'* ]]; then
		echo "want one device program on $1, got: '${progs//$'\n'/, }'" >&2
		return 1
	fi
	echo "$progs"
}

# setup_rootless_bundle OWNER: a bundle for an unprivileged caller (uid or
# user name OWNER), in a directory it can reach (the bats temp dirs are
# root's own), with the rootless config exactly as `spec --rootless` writes
# it (run by the file's as_user), only the process and the rootfs path
# changed. Sets RL_DIR, ID, ROOT, BUNDLE, ROOTFS, CTR_OUT.
setup_rootless_bundle() {
	RL_DIR="$(mktemp -d /tmp/ocirun-rootless.XXXXXX)"
	chmod 755 "$RL_DIR"
	ID="rl${BATS_TEST_NUMBER}-$$"
	ROOT="$RL_DIR/state"
	BUNDLE="$RL_DIR/bundle"
	ROOTFS="$BUNDLE/rootfs"
	CTR_OUT="$RL_DIR/container.out"
	TRACKED_IDS=("$ID")
	TRACKED_PIDS=()
	HELPER_PIDS=()
	HOST_MOUNTS=()
	"$INTEGRATION_DIR/build-bundle.sh" -i "$ID" "$BUNDLE" >/dev/null
	rm "$BUNDLE/config.json"
	chown -R "$1:$1" "$RL_DIR"
	as_user "$OCIRUN" spec --rootless --bundle "$BUNDLE"
	update_config '.process.terminal = false | .root.path = "rootfs" | .root.readonly = false'
	chmod 644 "$BUNDLE/config.json"
}

# write_process_json FILE SCRIPT: a process.json running `sh -c SCRIPT` as
# uid/gid 1000 with its own env, cwd, groups, capabilities and rlimits.
write_process_json() {
	# CAP_KILL is bit 5, CAP_CHOWN bit 0. A non-root process keeps
	# capabilities across its execve only through the ambient set.
	jq -n --arg script "$2" '{
		args: ["sh", "-c", $script],
		env: ["PATH=/bin", "FROM_JSON=yes"],
		cwd: "/home/user",
		user: {uid: 1000, gid: 1000, additionalGids: [1001]},
		capabilities: {
			bounding: ["CAP_KILL", "CAP_CHOWN"], effective: ["CAP_KILL"],
			permitted: ["CAP_KILL"], inheritable: ["CAP_KILL"], ambient: ["CAP_KILL"]},
		rlimits: [
			{type: "RLIMIT_NPROC", soft: 500, hard: 600},
			{type: "RLIMIT_NOFILE", soft: 512, hard: 1024}],
		noNewPrivileges: true
	}' >"$1"
}
