# shellcheck shell=bash
# CRI helpers for cri.bats: the small CRI client (tests/e2e/cmd/criclient)
# standing in for crictl, and pod/container configs as a kubelet would send
# them: host networking (no CNI), the pod's own IPC namespace, each
# container in its own pid namespace, cgroups below $CGROUP_PARENT.

# build_criclient: the client binary, built once per bats run. Sets
# CRICLIENT.
build_criclient() {
	local out="$BATS_RUN_TMPDIR/criclient"
	local go="${GO:-go}"
	command -v "$go" >/dev/null || go=/usr/local/go/bin/go
	(
		flock 9
		[[ -x "$out" ]] || (cd "$REPO_ROOT" && "$go" build -o "$out" ./tests/e2e/cmd/criclient)
	) 9>"$BATS_RUN_TMPDIR/criclient.lock" || return 1
	CRICLIENT="$out"
	export CRICLIENT
}

# cri ARG...: the CRI client on this file's containerd, bounded in time.
cri() {
	timeout 90 "$CRICLIENT" --socket "$CONTAINERD_SOCK" "$@"
}

# wait_cri_ready: the CRI service answers and has seen both imported images
# (it learns of them from containerd's events, asynchronously).
wait_cri_ready() {
	local ref
	for ref in "$E2E_PAUSE_IMAGE" "$E2E_IMAGE"; do
		for _ in $(seq 100); do
			cri image "$ref" >/dev/null 2>&1 && continue 2
			sleep 0.1
		done
		echo "CRI does not see image $ref:" >&2
		cri image "$ref" >&2
		return 1
	done
}

# namespace_options: what the pod and its containers ask for.
NAMESPACE_OPTIONS='{"network": "NODE", "pid": "CONTAINER", "ipc": "POD"}'

# write_pod_config FILE NAME: a host-network PodSandboxConfig. No hostname:
# like the kubelet for host-network pods (there is no UTS namespace to set
# it in).
write_pod_config() {
	jq -n --arg name "$2" --arg uid "$2-$$-$RANDOM" --arg logs "$BATS_TEST_TMPDIR/logs" \
		--arg cg "$CGROUP_PARENT" --argjson ns "$NAMESPACE_OPTIONS" \
		'{metadata: {name: $name, namespace: "ocirun-e2e", uid: $uid, attempt: 0},
		  log_directory: $logs,
		  linux: {cgroup_parent: $cg, security_context: {namespace_options: $ns}}}' >"$1"
}

# write_container_config FILE NAME ARG...: a ContainerConfig running ARG...
# of the busybox image; its output goes to <pod logs>/NAME.log.
write_container_config() {
	local file="$1" name="$2"
	shift 2
	jq -n --arg name "$name" --arg image "$E2E_IMAGE" --argjson ns "$NAMESPACE_OPTIONS" \
		'{metadata: {name: $name}, image: {image: $image}, command: $ARGS.positional,
		  log_path: ($name + ".log"),
		  linux: {security_context: {namespace_options: $ns}}}' --args -- "$@" >"$file"
}

# run_pod: RunPodSandbox with the ocirun handler. Sets POD_ID and POD_JSON;
# teardown removes the pod and checks it left nothing.
run_pod() {
	POD_JSON="$BATS_TEST_TMPDIR/pod.json"
	write_pod_config "$POD_JSON" "pod-$BATS_TEST_NUMBER"
	POD_ID="$(cri runp --runtime ocirun "$POD_JSON")" || return 1
	TRACKED_PODS+=("$POD_ID")
	track_container k8s.io "$POD_ID" "$CGROUP_PARENT/$POD_ID"
	track_task k8s.io "$POD_ID"
}

# create_in_pod NAME ARG...: CreateContainer in $POD_ID. Sets CTR_ID.
create_in_pod() {
	local json="$BATS_TEST_TMPDIR/$1.json"
	write_container_config "$json" "$@"
	CTR_ID="$(cri create "$POD_ID" "$json" "$POD_JSON")" || return 1
	track_container k8s.io "$CTR_ID" "$CGROUP_PARENT/$CTR_ID"
}

# inspect_field ID JQ_FILTER / inspectp_field POD_ID JQ_FILTER: a field of
# the verbose status ({status, info}).
inspect_field() {
	cri inspect "$1" | jq -r "$2"
}
inspectp_field() {
	cri inspectp "$1" | jq -r "$2"
}

# remove_tracked_pods: StopPodSandbox and RemovePodSandbox of the test's
# pods, as the kubelet would; errors are left to the leak checks.
remove_tracked_pods() {
	local pod
	for pod in "${TRACKED_PODS[@]}"; do
		cri stopp "$pod" >/dev/null 2>&1
		cri rmp "$pod" >/dev/null 2>&1
	done
	return 0
}
