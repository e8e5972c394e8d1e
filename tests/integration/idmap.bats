#!/usr/bin/env bats
# Idmapped bind mounts (mounts[].uidMappings/gidMappings, "idmap"/"ridmap"),
# in containers without and with (as Kubernetes' user namespaces) a user
# namespace; the parent makes the idmapped tree, the init attaches it. The kernel shows an id X stored
# on disk as the host id X maps to in the mount's mappings (containerID X →
# hostID), and stores an id written through the mount mapped back: with
# {containerID: 0, hostID: 100000, size: 65536}, a file owned by 1000 on
# disk is owned by 101000 inside, and uid 101000 creates files owned by 1000.
# shellcheck disable=SC2016 # jq filters use $vars, in single quotes on purpose
# shellcheck disable=SC2154 # status, output, lines are set by bats' run

load helpers

bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	HOSTDIR="$BATS_TEST_TMPDIR/host"
	mkdir "$HOSTDIR"
	chmod 777 "$HOSTDIR"
	echo data >"$HOSTDIR/f"
	chown 1000:1001 "$HOSTDIR/f"
}

teardown() {
	teardown_bundle
}

UIDMAP='[{containerID: 0, hostID: 100000, size: 65536}]'
GIDMAP='[{containerID: 0, hostID: 200000, size: 65536}]'

# idmap_mount_config DEST [OPTION...]: bind $HOSTDIR at DEST with the uid
# mapping 0→100000 and the gid mapping 0→200000 (65536 ids each).
idmap_mount_config() {
	local dest="$1" opts
	shift
	opts="$(jq -nc '$ARGS.positional' --args -- "$@")"
	update_config ".mounts += [{source: \$s, destination: \$d, type: \"bind\", options: \$o,
		uidMappings: $UIDMAP, gidMappings: $GIDMAP}]" \
		--arg s "$HOSTDIR" --arg d "$dest" --argjson o "$opts"
}

# expect_refused FIELD_TEXT: run fails naming the field; nothing is left.
expect_refused() {
	run ocirun run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains "$1"
}

@test "idmap: features report idmapped mounts" {
	run -0 "$OCIRUN" features
	[ "$(jq -r .linux.mountExtensions.idmap.enabled <<<"$output")" = true ]
}

@test "idmap: the container sees on-disk ids through the mapping; the host does not" {
	# Mappings without an idmap option mean "idmap", as in runc.
	idmap_mount_config /mnt rbind
	set_args sh -c 'stat -c "%u %g" /mnt/f; grep " /mnt " /proc/self/mountinfo'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = "101000 201001" ]
	[[ "${lines[1]}" == *idmapped* ]]
	# The host's view of the same file is unchanged.
	[ "$(stat -c '%u %g' "$HOSTDIR/f")" = "1000 1001" ]
}

@test "idmap: a file created through the mount is stored with the mapped-back owner" {
	idmap_mount_config /mnt rbind idmap
	update_config '.process.user = {uid: 101000, gid: 201000}'
	set_args sh -c 'touch /mnt/new && stat -c "%u %g" /mnt/new'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = "101000 201000" ]
	[ "$(stat -c '%u %g' "$HOSTDIR/new")" = "1000 1000" ]
}

@test "idmap: ids outside the mapping cannot be written through the mount" {
	# Host root (uid 0) has no id on disk through this mount.
	idmap_mount_config /mnt rbind
	set_args touch /mnt/byroot
	run ocirun run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains "Value too large"
	[ ! -e "$HOSTDIR/byroot" ]
}

# submount_config OPTION...: a tmpfs at $HOSTDIR/sub holding g (owner
# 1000), then the idmapped bind of $HOSTDIR at /mnt with OPTION...
submount_config() {
	mkdir "$HOSTDIR/sub"
	host_mount -t tmpfs -o mode=777 tmpfs "$HOSTDIR/sub"
	touch "$HOSTDIR/sub/g"
	chown 1000:1000 "$HOSTDIR/sub/g"
	idmap_mount_config /mnt "$@"
	set_args sh -c 'stat -c "%u" /mnt/f /mnt/sub/g'
}

@test "idmap: ridmap maps the submounts of an rbind too" {
	submount_config rbind ridmap
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = 101000 ]
	[ "${lines[1]}" = 101000 ]
}

@test "idmap: idmap maps only the top mount of an rbind" {
	submount_config rbind idmap
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = 101000 ]
	[ "${lines[1]}" = 1000 ]
}

@test "idmap: the user namespace holder is gone once the container runs" {
	skip_if_runc # reads ocirun's state.json
	idmap_mount_config /mnt rbind
	set_args sleep 100
	# A foreground run keeps its parent alive: only the runtime itself can
	# have ended the holder, not the parent's exit closing the holder's stdin.
	run_in_background
	wait_for_status "$ID" running
	init_pid >/dev/null
	local userns holder
	userns="$(jq -r '.config.mounts[-1].idmap_userns' "$ROOT/$ID/state.json")"
	holder="$(sed -En 's|^/proc/([0-9]+)/ns/user$|\1|p' <<<"$userns")"
	[ -n "$holder" ]
	is_live_pid "$RUN_PID"
	run ! is_live_pid "$holder"
	# The mount keeps the mapping of the holder's namespace.
	run ocirun exec "$ID" stat -c %u /mnt/f
	expect_status 0
	[ "$output" = 101000 ]
}

@test "idmap: a filesystem without idmap support fails with a clear error" {
	skip_if_runc
	local n
	n="$(jq '.mounts | length' "$BUNDLE/config.json")"
	HOSTDIR=/sys/kernel # sysfs cannot be idmapped
	idmap_mount_config /mnt bind
	run ocirun run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	expect_output_contains "mounts[$n]: idmapped mounts are not supported by this kernel or filesystem"
}

@test "idmap: bad input is refused naming the field" {
	skip_if_runc
	local n
	n="$(jq '.mounts | length' "$BUNDLE/config.json")"
	cp "$BUNDLE/config.json" "$BUNDLE/config.orig"

	update_config ".mounts += [{destination: \"/t\", type: \"tmpfs\", source: \"tmpfs\", uidMappings: $UIDMAP, gidMappings: $GIDMAP}]"
	expect_refused "mounts[$n].uidMappings: only bind mounts can be idmapped"

	cp "$BUNDLE/config.orig" "$BUNDLE/config.json"
	update_config ".mounts += [{destination: \"/t\", type: \"bind\", source: \"/tmp\", uidMappings: $UIDMAP}]"
	expect_refused "mounts[$n].gidMappings: required with uidMappings"

	cp "$BUNDLE/config.orig" "$BUNDLE/config.json"
	update_config '.mounts += [{destination: "/t", type: "bind", source: "/tmp", options: ["rbind", "ridmap"]}]'
	expect_refused "mounts[$n].options: idmap and ridmap need uidMappings and gidMappings"

	cp "$BUNDLE/config.orig" "$BUNDLE/config.json"
	update_config ".mounts += [{destination: \"/t\", type: \"bind\", source: \"/tmp\",
		uidMappings: [{containerID: 0, hostID: 100000, size: 0}], gidMappings: $GIDMAP}]"
	expect_refused "mounts[$n].uidMappings[0].size"

}

# userns_container: the container gets a user namespace with the same
# mappings as idmap_mount_config's, as Kubernetes sets up a pod's volumes.
userns_container() {
	let_mapped_root_in
	mkdir -p "$ROOTFS/mnt" # the mapped root may not create it in root's rootfs
	update_config ".linux.namespaces += [{type: \"user\"}] | .linux.uidMappings = $UIDMAP | .linux.gidMappings = $GIDMAP"
}

# expect_userns_view: inside, the on-disk owner 1000:1001 reads back as
# 1000:1001 (without the idmapped mount it would be unmapped: 65534), and
# a file the container's root creates is stored as 0:0 on the host.
expect_userns_view() {
	set_args sh -c 'stat -c %u:%g /mnt/f; touch /mnt/new && stat -c %u:%g /mnt/new'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = 1000:1001 ]
	[ "${lines[1]}" = 0:0 ]
	[ "$(stat -c %u:%g "$HOSTDIR/new")" = 0:0 ]
	[ "$(stat -c %u:%g "$HOSTDIR/f")" = 1000:1001 ] # the host's view is unchanged
}

@test "idmap: in a container with a user namespace, the mount maps on-disk ids into it" {
	userns_container
	idmap_mount_config /mnt rbind
	expect_userns_view
}

@test "idmap: idmap without mappings borrows the container's user namespace mappings" {
	userns_container
	update_config '.mounts += [{source: $s, destination: "/mnt", type: "bind", options: ["rbind", "idmap"]}]' \
		--arg s "$HOSTDIR"
	expect_userns_view
}

@test "idmap: without the idmapped mount a user namespace container sees the files unmapped" {
	# The control for the two tests above: the same bind, not idmapped.
	userns_container
	update_config '.mounts += [{source: $s, destination: "/mnt", type: "bind", options: ["rbind"]}]' \
		--arg s "$HOSTDIR"
	set_args stat -c %u:%g /mnt/f
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$output" = 65534:65534 ]
}
