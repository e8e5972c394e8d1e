#!/usr/bin/env bats
# containerd 1.6's CRI plugin runs pods through ocirun, registered as the
# runtime handler "ocirun" (what a Kubernetes RuntimeClass names), driven by
# the small CRI client in tests/e2e/cmd/criclient as a kubelet would.
# Pods use host networking, so no CNI plugin is needed. Each test's teardown
# checks that no state dir, cgroup, mount or process of its pods and
# containers remains.

# shellcheck disable=SC2016 # commands for the container's shell, in single quotes on purpose
# shellcheck disable=SC2034 # variables read by the helpers
# shellcheck disable=SC2154 # status, output, stderr are set by bats' run

load helpers
load cri

bats_require_minimum_version 1.5.0

setup_file() {
	CGROUP_PARENT="/ocirun-e2e-cri-$$"
	export CGROUP_PARENT
	own_cgroup_parent "$CGROUP_PARENT"
	e2e_setup_file 1
	import_image k8s.io
	build_criclient
	wait_cri_ready
}

teardown_file() {
	e2e_teardown_file k8s.io
}

setup() {
	TRACKED_PODS=()
}

teardown() {
	remove_tracked_pods
	e2e_teardown
}

# ocirun_state ID FIELD: ocirun's own view, from the root the shim gave it.
ocirun_state() {
	"$OCIRUN" --root "$RUNC_ROOT/k8s.io" state "$1" | jq -r ".$2"
}

# ns_of PID NS: the namespace link of a host process, e.g. ipc:[4026532178].
ns_of() {
	readlink "/proc/$1/ns/$2"
}

# expect_nothing_left: containerd forgot the pod and its containers, and
# ocirun left nothing of them (checked here, before teardown cleans up).
expect_nothing_left() {
	local entry ns id cg known
	known="$(ctrd --namespace k8s.io containers ls --quiet)"
	for entry in "${TRACKED_CONTAINERS[@]}"; do
		IFS='|' read -r ns id cg <<<"$entry"
		if grep -qx "$id" <<<"$known"; then
			echo "containerd still lists $id" >&2
			return 1
		fi
		leak_check_container "$ns" "$id" "$cg" || return 1
	done
	leak_check_pids
}

@test "RunPodSandbox with the ocirun handler: ocirun runs the sandbox" {
	run_pod
	[[ "$(inspectp_field "$POD_ID" .status.state)" == SANDBOX_READY ]]
	[[ "$(inspectp_field "$POD_ID" .status.linux.namespaces.options.network)" == NODE ]]
	pid="$(inspectp_field "$POD_ID" .info.pid)"
	# ocirun keeps the sandbox's state under the root the handler set.
	[[ "$(ocirun_state "$POD_ID" status)" == running ]]
	[[ "$(ocirun_state "$POD_ID" pid)" == "$pid" ]]
	# The sandbox image's entrypoint, in the cgroup below the pod's parent.
	[[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" == "/bin/sleep 2147483647 " ]]
	grep -qx "$pid" "/sys/fs/cgroup/memory$CGROUP_PARENT/$POD_ID/cgroup.procs"
	# Its own IPC namespace (pod mode), the host's network.
	[[ "$(ns_of "$pid" ipc)" != "$(ns_of $$ ipc)" ]]
	[[ "$(ns_of "$pid" net)" == "$(ns_of $$ net)" ]]

	cri stopp "$POD_ID"
	[[ "$(inspectp_field "$POD_ID" .status.state)" == SANDBOX_NOTREADY ]]
	cri rmp "$POD_ID"
	expect_nothing_left
}

@test "a container in the pod joins the sandbox's IPC and UTS namespaces by path" {
	run_pod
	spid="$(inspectp_field "$POD_ID" .info.pid)"
	create_in_pod app sh -c 'echo started; trap "exit 0" TERM; sleep 100000 & wait'
	cri start "$CTR_ID"
	[[ "$(inspect_field "$CTR_ID" .status.state)" == CONTAINER_RUNNING ]]
	cpid="$(inspect_field "$CTR_ID" .info.pid)"
	track_pid "$cpid"
	[[ "$(ocirun_state "$CTR_ID" pid)" == "$cpid" ]]
	# containerd hands ocirun the sandbox's namespaces as paths...
	run inspect_field "$CTR_ID" '.info.runtimeSpec.linux.namespaces[] | select(.path) | "\(.type)=\(.path)"'
	[[ "$output" == *"ipc=/proc/$spid/ns/ipc"* ]]
	[[ "$output" == *"uts=/proc/$spid/ns/uts"* ]]
	# ...and ocirun joined them instead of making new ones.
	[[ "$(ns_of "$cpid" ipc)" == "$(ns_of "$spid" ipc)" ]]
	[[ "$(ns_of "$cpid" ipc)" != "$(ns_of $$ ipc)" ]]
	[[ "$(ns_of "$cpid" uts)" == "$(ns_of "$spid" uts)" ]]
	# Its pid namespace is its own (container mode).
	[[ "$(ns_of "$cpid" pid)" != "$(ns_of "$spid" pid)" ]]
	# Seen from inside: the sandbox's hostname and IPC namespace.
	run cri exec "$CTR_ID" hostname
	expect_status 0
	[[ "$output" == "$(nsenter --uts="/proc/$spid/ns/uts" hostname)" ]]
	run cri exec "$CTR_ID" readlink /proc/self/ns/ipc
	[[ "$output" == "$(ns_of "$spid" ipc)" ]]
	# The container's output reached the pod's log directory.
	grep -q ' stdout F started$' "$BATS_TEST_TMPDIR/logs/app.log"
}

@test "ExecSync returns stdout, stderr and the exit code of the exec'd command" {
	run_pod
	create_in_pod app sleep 100000
	cri start "$CTR_ID"
	run --separate-stderr cri exec "$CTR_ID" sh -c 'echo "out $(cat /proc/1/cmdline | tr "\0" " ")"; echo err >&2; exit 4'
	expect_status 4
	[[ "$output" == "out sleep 100000 " ]]
	[[ "$stderr" == err ]]
	run cri exec "$CTR_ID" true
	expect_status 0
}

@test "StopContainer delivers SIGTERM; RemoveContainer, StopPodSandbox, RemovePodSandbox leave nothing" {
	run_pod
	create_in_pod app sh -c 'trap "exit 0" TERM; sleep 100000 & wait'
	cri start "$CTR_ID"
	track_pid "$(inspect_field "$CTR_ID" .info.pid)"
	# A grace period far above the test's patience: exit 0 proves the
	# trap ran, i.e. SIGTERM reached PID 1 of the container.
	SECONDS=0
	cri stop --timeout 60 "$CTR_ID"
	[[ "$SECONDS" -lt 30 ]]
	[[ "$(inspect_field "$CTR_ID" .status.state)" == CONTAINER_EXITED ]]
	[[ "$(inspect_field "$CTR_ID" .status.exitCode)" == 0 ]]
	[[ ! -e "$RUNC_ROOT/k8s.io/$CTR_ID" ]]
	cri rm "$CTR_ID"
	cri stopp "$POD_ID"
	cri rmp "$POD_ID"
	expect_nothing_left
}

@test "StopPodSandbox kills the pod's running containers" {
	run_pod
	create_in_pod app sleep 100000
	cri start "$CTR_ID"
	track_pid "$(inspect_field "$CTR_ID" .info.pid)"
	cri stopp "$POD_ID"
	[[ "$(inspect_field "$CTR_ID" .status.state)" == CONTAINER_EXITED ]]
	# sleep as PID 1 ignores SIGTERM: it died of SIGKILL.
	[[ "$(inspect_field "$CTR_ID" .status.exitCode)" == 137 ]]
	cri rmp "$POD_ID"
	expect_nothing_left
}

@test "StartContainer of a missing executable: ocirun's error reaches the CRI client" {
	run_pod
	create_in_pod broken /no/such/program
	run cri start "$CTR_ID"
	expect_status 125
	[[ "$output" == *"OCI runtime"*"failed"* ]]
	if [[ "$(basename "$OCIRUN")" != runc ]]; then
		[[ "$output" == *'failed: exec: "/no/such/program": stat /no/such/program: no such file or directory'* ]]
	fi
	[[ ! -e "$RUNC_ROOT/k8s.io/$CTR_ID" ]]
	cri rm "$CTR_ID"
	cri stopp "$POD_ID"
	cri rmp "$POD_ID"
	expect_nothing_left
}
