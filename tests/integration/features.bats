#!/usr/bin/env bats
# features: the JSON says what this build accepts, and it is true: each
# listed namespace, capability, mount option and seccomp action/operator is
# accepted by `run`, and what is reported off (intelRdt) is refused.
# shellcheck disable=SC2016 # jq filters use $vars, in single quotes on purpose
# shellcheck disable=SC2154 # status, output, lines are set by bats' run

load helpers

bats_require_minimum_version 1.5.0

setup() {
	skip_if_runc # the checks below follow ocirun's own list
	setup_bundle true
	run ocirun features
	expect_status 0
	FEATURES="$output"
}

teardown() {
	teardown_bundle
}

# feature FILTER: a jq query on the features JSON, one value per line.
feature() {
	jq -r "$1" <<<"$FEATURES"
}

# run_ok: `run` of the bundle succeeds (the container exits 0).
run_ok() {
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
}

@test "features: valid JSON naming this version and spec" {
	[ "$(feature .ociVersionMax)" = "$("$OCIRUN" --version | sed -n 's/^spec: //p')" ]
	[ "$(feature '.annotations["org.ocirun.version"]')" = "$("$OCIRUN" --version | sed -n '1s/^ocirun version //p')" ]
	[ "$(feature '.hooks | length')" = 6 ]
	[ "$(feature .linux.seccomp.enabled)" = true ]
}

@test "features: every listed namespace is accepted" {
	local ns
	for ns in $(feature '.linux.namespaces[]'); do
		echo "namespace $ns"
		update_config '.linux.namespaces |= (map(select(.type != $t)) + [{type: $t}])' --arg t "$ns"
		if [[ "$ns" == user ]]; then
			let_mapped_root_in
			update_config '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
				| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
		fi
		run_ok
	done
}

@test "features: every listed capability is accepted and granted" {
	local caps
	caps="$(feature '.linux.capabilities')"
	# This host withholds CAP_SYS_RESOURCE (bit 24) from us: no runtime
	# can grant it here.
	if ((((0x$(awk '/CapPrm/ {print $2}' /proc/self/status) >> 24) & 1) == 0)); then
		caps="$(jq -c 'map(select(. != "CAP_SYS_RESOURCE"))' <<<"$caps")"
	fi
	update_config '.process.capabilities = {bounding: $c, effective: $c, permitted: $c}' --argjson c "$caps"
	set_args sh -c 'grep CapEff /proc/self/status'
	run_ok
	# Every name maps to a bit the kernel knows: the set is the full one.
	[ "${output##*[[:space:]]}" = "$(awk '/CapPrm/ {print $2}' /proc/self/status)" ]
}

@test "features: every listed mount option is accepted" {
	local opt
	for opt in $(feature '.mountOptions[]'); do
		case "$opt" in
		remount | bind | rbind) continue ;; # not for a new tmpfs: the bind test below
		esac
		echo "option $opt"
		update_config '.mounts |= (map(select(.destination != "/mnt")) + [{destination: "/mnt", type: "tmpfs", source: "tmpfs", options: [$o]}])' --arg o "$opt"
		run_ok
	done
	update_config '.mounts |= (map(select(.destination != "/mnt")) + [{destination: "/mnt", type: "bind", source: "/tmp", options: ["rbind", "ro"]}])'
	run_ok
}

@test "features: every listed seccomp action and operator is accepted" {
	local action op
	for action in $(feature '.linux.seccomp.actions[]'); do
		[[ "$action" == SCMP_ACT_NOTIFY ]] && continue # needs an agent: seccomp.bats
		echo "action $action"
		update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["acct"], action: $a}]}' --arg a "$action"
		run_ok
	done
	for op in $(feature '.linux.seccomp.operators[]'); do
		echo "operator $op"
		update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["acct"], action: "SCMP_ACT_ERRNO", args: [{index: 0, value: 1, valueTwo: 1, op: $o}]}]}' --arg o "$op"
		run_ok
	done
}

@test "features: what is reported off is refused" {
	[ "$(feature .linux.intelRdt.enabled)" = false ]
	update_config '.linux.intelRdt = {closID: "x"}'
	run ocirun run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains linux.intelRdt
}
