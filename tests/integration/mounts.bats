#!/usr/bin/env bats
# Mounts: filesystems, bind mounts, propagation, masked/readonly paths.

load helpers

setup() {
	setup_bundle
	HOSTDIR="$BATS_TEST_TMPDIR/host"
	mkdir "$HOSTDIR"
}

teardown() {
	teardown_bundle
}

# add_mount DEST TYPE SOURCE [OPTION...]
add_mount() {
	local dest="$1" type="$2" src="$3" opts
	shift 3
	opts="$(jq -nc '$ARGS.positional' --args -- "$@")"
	update_config '.mounts += [{destination: $d, type: $t, source: $s, options: $o}]' \
		--arg d "$dest" --arg t "$type" --arg s "$src" --argjson o "$opts"
}

# mountinfo_line OUTPUT MOUNTPOINT: the mountinfo line of MOUNTPOINT.
mountinfo_line() {
	awk -v m="$2" '$5 == m' <<<"$1"
}

@test "mounts: proc, sysfs, mqueue and devpts from the default config" {
	set_args mount
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	echo "$output" | grep -Eq '^proc on /proc type proc '
	echo "$output" | grep -Eq '^sysfs on /sys type sysfs \(ro,'
	echo "$output" | grep -Eq '^mqueue on /dev/mqueue type mqueue '
	echo "$output" | grep -Eq '^devpts on /dev/pts type devpts .*ptmxmode=666'
	echo "$output" | grep -Eq '^[^ ]+ on /dev type tmpfs '
	echo "$output" | grep -Eq '^[^ ]+ on /dev/shm type tmpfs '
}

@test "mounts: proc shows the container's own processes" {
	set_args sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; ls /proc | grep -c "^[0-9]"; exit 0'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[[ "${lines[0]}" == "sh -c "* ]]
	# sh, cat|tr|grep at most: far fewer than the host has.
	[ "${lines[1]}" -le 5 ]
}

@test "mounts: tmpfs with size and mode, visible only in the container's namespace" {
	add_mount /scratch tmpfs tmpfs nosuid nodev size=1m mode=1770
	set_args sh -c 'mount | grep " /scratch "; stat -c %a /scratch; exec sleep 100'
	run_detached
	local pid
	pid="$(init_pid)"
	wait_for_output "$CTR_OUT" '^[0-9]+$'
	grep -Eq '^tmpfs on /scratch type tmpfs \(.*size=1024k' "$CTR_OUT"
	grep -Eq '^tmpfs on /scratch type tmpfs \(.*nosuid' "$CTR_OUT"
	[ "$(sed -n 2p "$CTR_OUT")" = 1770 ]
	# Host view: the mount lives in the container's mount namespace only.
	mountinfo_line "$(cat "/proc/$pid/mountinfo")" /scratch | grep -q ' - tmpfs '
	if grep -q ' /scratch ' /proc/self/mountinfo; then
		echo "/scratch leaked into the host's mount namespace" >&2
		return 1
	fi
}

@test "mounts: read-only bind mount" {
	echo original >"$HOSTDIR/file"
	bind_mount_config "$HOSTDIR" /ro rbind ro
	set_args sh -c 'cat /ro/file; if echo changed >/ro/file; then echo write-ok; else echo write-failed; fi; touch /ro/new 2>/dev/null || echo touch-failed'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = original ]
	expect_output_contains write-failed
	expect_output_contains touch-failed
	# Host view: nothing changed.
	[ "$(cat "$HOSTDIR/file")" = original ]
	[ ! -e "$HOSTDIR/new" ]
}

@test "mounts: read-write bind mount, writes visible on the host" {
	bind_mount_config "$HOSTDIR" /rw rbind rw
	set_args sh -c 'echo from-container >/rw/file; mkdir /rw/dir'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "$(cat "$HOSTDIR/file")" = from-container ]
	[ -d "$HOSTDIR/dir" ]
}

@test "mounts: rbind carries submounts, bind does not" {
	mkdir "$HOSTDIR/sub"
	host_mount -t tmpfs tmpfs "$HOSTDIR/sub"
	echo inner >"$HOSTDIR/sub/inner"
	bind_mount_config "$HOSTDIR" /recursive rbind
	bind_mount_config "$HOSTDIR" /single bind
	set_args sh -c 'cat /recursive/sub/inner; ls -A /single/sub | wc -l'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = inner ]
	[ "${lines[1]}" -eq 0 ]
}

@test "mounts: propagation flags of bind mounts" {
	# A shared host source, so slave and shared mounts have a peer group.
	host_mount --bind "$HOSTDIR" "$HOSTDIR"
	mount --make-shared "$HOSTDIR"
	bind_mount_config "$HOSTDIR" /p-private rbind rprivate
	bind_mount_config "$HOSTDIR" /p-slave rbind rslave
	bind_mount_config "$HOSTDIR" /p-shared rbind shared
	set_args cat /proc/self/mountinfo
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	local private slave shared
	private="$(mountinfo_line "$output" /p-private)"
	slave="$(mountinfo_line "$output" /p-slave)"
	shared="$(mountinfo_line "$output" /p-shared)"
	echo "private: $private"
	echo "slave: $slave"
	echo "shared: $shared"
	[[ -n "$private" && "$private" != *shared:* && "$private" != *master:* ]]
	[[ "$slave" == *master:* && "$slave" != *shared:* ]]
	[[ "$shared" == *shared:* ]]
}

@test "mounts: rootfsPropagation rslave and rprivate" {
	# Shared host mounts for the rootfs and a bind source.
	host_mount --bind "$HOSTDIR" "$HOSTDIR"
	mount --make-shared "$HOSTDIR"
	host_mount --bind "$ROOTFS" "$ROOTFS"
	mount --make-shared "$ROOTFS"
	bind_mount_config "$HOSTDIR" /plain
	set_args cat /proc/self/mountinfo

	update_config '.linux.rootfsPropagation = "rslave"'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[[ "$(mountinfo_line "$output" /)" == *master:* ]]
	[[ "$(mountinfo_line "$output" /plain)" == *master:* ]]
	[[ "$(mountinfo_line "$output" /plain)" != *shared:* ]]

	update_config '.linux.rootfsPropagation = "rprivate"'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	local root plain
	root="$(mountinfo_line "$output" /)"
	plain="$(mountinfo_line "$output" /plain)"
	[[ -n "$root" && "$root" != *master:* && "$root" != *shared:* ]]
	[[ -n "$plain" && "$plain" != *master:* && "$plain" != *shared:* ]]
}

@test "mounts: cgroup filesystem at /sys/fs/cgroup" {
	set_args sh -c 'ls /sys/fs/cgroup; ls /sys/fs/cgroup/memory/ | grep -c "^memory\."; mount | grep " /sys/fs/cgroup"'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	expect_output_contains memory
	expect_output_contains pids
	echo "$output" | grep -Eq '^[0-9]+$'
	[ "$(echo "$output" | grep -E '^[0-9]+$')" -gt 0 ]
	echo "$output" | grep -q ' on /sys/fs/cgroup'
}

@test "mounts: a destination missing from the rootfs is created" {
	add_mount /new/deep/dir tmpfs tmpfs size=64k
	bind_mount_config "$HOSTDIR" /also/new
	set_args sh -c 'mount | grep -c " /new/deep/dir type tmpfs"; [ -d /also/new ] && echo bind-ok'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" = bind-ok ]
	# Host view: the mountpoints were made in the bundle's rootfs.
	[ -d "$ROOTFS/new/deep/dir" ]
	[ -d "$ROOTFS/also/new" ]
}

@test "mounts: maskedPaths hide files and directories" {
	echo s3cret >"$ROOTFS/etc/secret"
	mkdir "$ROOTFS/secretdir"
	echo s3cret >"$ROOTFS/secretdir/file"
	update_config '.linux.maskedPaths += ["/etc/secret", "/secretdir"]'
	set_args sh -c 'echo "file=[$(cat /etc/secret)]"; echo "dir=[$(ls -A /secretdir)]"; echo "timer_list=$(wc -c </proc/timer_list)"; echo "fw=[$(ls -A /sys/firmware)]"'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = "file=[]" ]
	[ "${lines[1]}" = "dir=[]" ]
	[ "${lines[2]}" = "timer_list=0" ]
	[ "${lines[3]}" = "fw=[]" ]
	# Host view: the files are intact, the host's proc/sys unmasked.
	[ "$(cat "$ROOTFS/etc/secret")" = s3cret ]
	[ "$(wc -c </proc/timer_list)" -gt 0 ]
	[ -n "$(ls -A /sys/firmware)" ]
	[ "$(cat "$ROOTFS/secretdir/file")" = s3cret ]
}

@test "mounts: readonlyPaths refuse writes, the rest of a rw root does not" {
	update_config '.root.readonly = false | .linux.readonlyPaths += ["/rodir"]'
	mkdir "$ROOTFS/rodir"
	set_args sh -c 'touch /rodir/x 2>/dev/null && echo ro-write-ok || echo ro-write-failed; touch /rw-ok && echo rw-write-ok; echo 1 >/proc/sys/kernel/ns_last_pid 2>/dev/null || echo procsys-failed'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	expect_output_contains ro-write-failed
	expect_output_contains rw-write-ok
	expect_output_contains procsys-failed
	[ ! -e "$ROOTFS/rodir/x" ]
	[ -e "$ROOTFS/rw-ok" ]
}

@test "mounts: root.readonly makes / read-only" {
	update_config '.root.readonly = true'
	set_args sh -c 'touch /x 2>/dev/null && echo write-ok || echo write-failed; grep " / " /proc/self/mountinfo'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = write-failed ]
	[[ "${lines[1]}" =~ \ /\ ro[,\ ] ]]
	[ ! -e "$ROOTFS/x" ]
}

@test "mounts: --no-pivot runs in the rootfs" {
	set_args sh -c 'cat /etc/hostname; [ -e /work ] && echo host-visible || echo jailed'
	run ocirun run --no-pivot --bundle "$BUNDLE" "$ID"
	expect_status 0
	[ "${lines[0]}" = ocirun-test ]
	[ "${lines[1]}" = jailed ]
}
