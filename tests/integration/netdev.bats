#!/usr/bin/env bats
# linux.netDevices: a host interface (one end of a veth pair the test makes;
# this kernel has no dummy type) is moved into the container's network
# namespace under its new name, and back to the host on delete.
# shellcheck disable=SC2154 # status, output, lines are set by bats' run

load helpers

bats_require_minimum_version 1.5.0

setup() {
	setup_bundle sleep 100
	VETH="ocv$$${BATS_TEST_NUMBER}"
	PEER="ocp$$${BATS_TEST_NUMBER}"
	ip link add "$VETH" type veth peer name "$PEER"
}

teardown() {
	teardown_bundle
	# Deleting either end removes the pair, wherever the other end is.
	ip link del "$PEER" 2>/dev/null || ip link del "$VETH" 2>/dev/null
	return 0
}

@test "netDevices: the interface moves in under its new name and back out on delete" {
	skip_if_runc # runc 1.1.5 predates linux.netDevices
	update_config '.linux.netDevices = {($dev): {name: "ctr0"}}' --arg dev "$VETH"
	run_detached
	init_pid >/dev/null
	run ocirun exec "$ID" cat /proc/net/dev
	expect_status 0
	expect_output_contains "ctr0:"
	! ip link show "$VETH" 2>/dev/null
	run ocirun delete --force "$ID"
	expect_status 0
	ip link show "$VETH"
}

@test "netDevices: without a name the interface keeps its host name" {
	skip_if_runc # runc 1.1.5 predates linux.netDevices
	update_config '.linux.netDevices = {($dev): {}}' --arg dev "$VETH"
	run_detached
	init_pid >/dev/null
	run ocirun exec "$ID" cat /proc/net/dev
	expect_status 0
	expect_output_contains "$VETH:"
}

@test "netDevices: a missing interface or no network namespace fails clearly, leaving nothing" {
	skip_if_runc # ocirun's messages (runc 1.1.5 ignores netDevices)
	update_config '.linux.netDevices = {"ocirun-none0": {}}'
	run ocirun run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains 'linux.netDevices: host interface "ocirun-none0": no such device'
	[ ! -e "$ROOT/$ID" ]
	update_config '.linux.netDevices = {($dev): {name: "a/b"}}' --arg dev "$VETH"
	run ocirun run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains "linux.netDevices[\"$VETH\"]: interface name \"a/b\" contains"
	update_config '.linux.netDevices = {($dev): {}} | .linux.namespaces |= map(select(.type != "network"))' --arg dev "$VETH"
	run ocirun run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains "linux.netDevices: needs a network namespace"
	# The interface never left the host.
	ip link show "$VETH"
}
