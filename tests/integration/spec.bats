#!/usr/bin/env bats
# The spec command: a default config.json for a bundle.

load helpers

setup() {
	SPEC_DIR="$BATS_TEST_TMPDIR/spec"
	mkdir -p "$SPEC_DIR"
	cd "$SPEC_DIR" || return
}

@test "spec: writes a valid default config.json" {
	run "$OCIRUN" spec
	expect_status 0
	[ -f config.json ]
	jq -e . config.json >/dev/null
	[[ "$(jq -r .ociVersion config.json)" =~ ^1\.[0-9]+\.[0-9]+ ]]
	[ "$(jq -c .process.args config.json)" = '["sh"]' ]
	[ "$(jq -r .root.path config.json)" = rootfs ]
	# The default namespaces isolate at least pid, mount, ipc, uts, net.
	local ns
	for ns in pid mount ipc uts network; do
		jq -e --arg t "$ns" '.linux.namespaces | map(.type) | index($t)' config.json >/dev/null
	done
}

@test "spec: refuses to overwrite an existing config.json" {
	echo '{"keep": true}' >config.json
	run "$OCIRUN" spec
	[ "$status" -ne 0 ]
	[ "$(jq -c . config.json)" = '{"keep":true}' ]
}

@test "spec: --bundle DIR writes into DIR" {
	mkdir other
	run "$OCIRUN" spec --bundle "$SPEC_DIR/other"
	expect_status 0
	[ -f other/config.json ]
	[ ! -e config.json ]
	jq -e .ociVersion other/config.json >/dev/null
}

@test "spec: -b DIR (short form) writes into DIR" {
	mkdir other
	run "$OCIRUN" spec -b other
	expect_status 0
	[ -f other/config.json ]
}

@test "spec: --rootless adds a user namespace and id mappings" {
	run "$OCIRUN" spec --rootless
	expect_status 0
	jq -e '.linux.namespaces | map(.type) | index("user")' config.json >/dev/null
	[ "$(jq '.linux.uidMappings | length' config.json)" -ge 1 ]
	[ "$(jq '.linux.gidMappings | length' config.json)" -ge 1 ]
	# The mapping makes the caller root inside the container.
	[ "$(jq '.linux.uidMappings[0].containerID' config.json)" -eq 0 ]
	[ "$(jq '.linux.uidMappings[0].hostID' config.json)" -eq "$(id -u)" ]
	[ "$(jq '.linux.gidMappings[0].hostID' config.json)" -eq "$(id -g)" ]
}
