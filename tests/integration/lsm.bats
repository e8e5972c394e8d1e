#!/usr/bin/env bats
# AppArmor and SELinux settings: process.apparmorProfile / exec --apparmor,
# process.selinuxLabel / exec --process-label, linux.mountLabel. This host
# has neither LSM, so these tests pin down what happens without them: a
# requested confinement is refused (never silently dropped), a mount label
# alone is ignored. The writing paths are unit-tested in initproc/lsm_test.go.
# shellcheck disable=SC2154 # status, output, lines are set by bats' run

load helpers

bats_require_minimum_version 1.5.0

setup() {
	setup_bundle sleep 100
}

teardown() {
	teardown_bundle
}

apparmor_enabled() {
	[[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" == Y ]]
}

selinux_enabled() {
	[[ -e /sys/fs/selinux/enforce ]]
}

@test "apparmor: process.apparmorProfile on a host without AppArmor is refused" {
	apparmor_enabled && skip "AppArmor is enabled here"
	update_config '.process.apparmorProfile = "ocirun-test-profile"'
	run ! ocirun run --bundle "$BUNDLE" "$ID"
	echo "$output"
	assert_no_leftovers
	skip_if_runc
	[ "${#lines[@]}" -eq 1 ]
	expect_output_contains "process.apparmorProfile: AppArmor is not enabled on this host"
}

@test "apparmor: exec --apparmor on a host without AppArmor is refused" {
	apparmor_enabled && skip "AppArmor is enabled here"
	run_detached
	init_pid >/dev/null
	run ! ocirun exec --apparmor ocirun-test-profile "$ID" true
	echo "$output"
	# The container is unharmed and a plain exec still works.
	[ "$(container_field "$ID" status)" = running ]
	run ocirun exec "$ID" true
	expect_status 0
}

@test "apparmor: exec --apparmor error names the field" {
	apparmor_enabled && skip "AppArmor is enabled here"
	skip_if_runc
	run_detached
	init_pid >/dev/null
	run ! ocirun exec --apparmor ocirun-test-profile "$ID" true
	expect_output_contains "process.apparmorProfile: AppArmor is not enabled on this host"
}

@test "selinux: process.selinuxLabel on a host without SELinux is refused, as runc does" {
	selinux_enabled && skip "SELinux is enabled here"
	update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0:c1,c2"'
	run ! ocirun run --bundle "$BUNDLE" "$ID"
	echo "$output"
	assert_no_leftovers
	skip_if_runc
	expect_output_contains "process.selinuxLabel: SELinux is disabled or not supported on this host"
}

@test "selinux: exec --process-label on a host without SELinux is refused" {
	selinux_enabled && skip "SELinux is enabled here"
	run_detached
	init_pid >/dev/null
	run ! ocirun exec --process-label "system_u:system_r:container_t:s0:c1,c2" "$ID" true
	echo "$output"
	[ "$(container_field "$ID" status)" = running ]
	skip_if_runc
	expect_output_contains "process.selinuxLabel: SELinux is disabled"
}

@test "selinux: linux.mountLabel alone is ignored without SELinux" {
	selinux_enabled && skip "SELinux is enabled here"
	# runc 1.1.5 passes context= to the mounts anyway and fails with EINVAL.
	skip_if_runc
	update_config '.linux.mountLabel = "system_u:object_r:container_file_t:s0:c1,c2"'
	set_args cat /proc/self/mountinfo
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	expect_output_contains " /dev/shm "
	[[ "$output" != *context=* ]]
}
