#!/usr/bin/env bats
# Attacks from inside a container (or from a malicious image/config) for
# every runc CVE class since 2019. Each test performs the attack and checks
# from the host and from inside that it failed. docs/security.md maps each
# protection to its test.
# shellcheck disable=SC2016 # scripts for the container, in single quotes on purpose
# shellcheck disable=SC2154 # status, output, lines are set by bats' run
# shellcheck disable=SC2030,SC2031 # TRACKED_IDS is read by teardown, in the same shell

load helpers

bats_require_minimum_version 1.5.0

setup() {
	setup_bundle true
	OUT="$BATS_TEST_TMPDIR/out"
	mkdir -p "$OUT"
}

teardown() {
	teardown_bundle
}

# checksum FILE: sha256 of FILE.
checksum() {
	sha256sum "$1" | cut -d' ' -f1
}

# with_held_socket CMD...: run CMD as a helper of the test with fd 3 one end
# of a socketpair whose other end a python parent holds until
# release_socket: a process reading fd 3 blocks until then. Sets HOLDER.
HOLD_SOCKET_PY='
import os, signal, socket, sys
a, b = socket.socketpair()
pid = os.fork()
if pid == 0:
    a.close()
    os.dup2(b.fileno(), 3)
    os.set_inheritable(3, True)
    os.execvp(sys.argv[1], sys.argv[1:])
b.close()
signal.signal(signal.SIGTERM, lambda *_: a.close())
signal.pause()
os.waitpid(pid, 0)
'
with_held_socket() {
	[ -x /usr/bin/python3 ] || skip "python3 is needed to hold a socket"
	start_helper /usr/bin/python3 -c "$HOLD_SOCKET_PY" "$@"
	HOLDER="$HELPER_PID"
}

release_socket() {
	kill -TERM "$HOLDER"
	wait_child "$HOLDER" || true
}

# install_runtime_libs: the runtime binary may be dynamically linked (cgo):
# give the rootfs its loader and libraries so it can run there.
install_runtime_libs() {
	local lib
	for lib in $(ldd "$OCIRUN" 2>/dev/null | grep -o '/[^ ]*'); do
		cp --parents -L "$lib" "$ROOTFS"
	done
}

RUNTIME_AS_PROGRAM_ENV='["_OCIRUN_SYNC_FD=3", "_LIBCONTAINER_INITPIPE=3"]'

# The attacker's half of CVE-2019-5736: hold /proc/$1/exe open, wait for
# that process to exit (a running binary cannot be opened for writing:
# ETXTBSY), then re-open the held file for writing through /proc/self/fd
# and append to it. Without protection this writes the host's binary.
# Results go to /out (a host directory).
ATTACK_EXE='
	exec 5<"/proc/$1/exe" || { echo OPEN_FAILED >/out/result; exit 0; }
	readlink "/proc/$1/exe" >/out/target
	touch /out/ready
	i=0
	while [ -e "/proc/$1/exe" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	# Retry a while: another process (the exiting runtime CLI) may still
	# run the same binary for a moment, which also gives ETXTBSY.
	result=DENIED
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		if { printf PWNED >>/proc/self/fd/5; } 2>/out/err; then result=WROTE; break; fi
		sleep 0.2
	done
	echo $result >/out/result
'

@test "CVE-2019-5736: the container's program exec'ing the runtime binary cannot overwrite it" {
	# The container's program is /proc/self/exe, resolved while the init
	# still runs the runtime's binary, so the container gets a process
	# running that binary. Without a pid namespace an attacker in the
	# container outlives it, re-opens its /proc/PID/exe for writing and
	# replaces the host's runtime. ocirun's init runs from a read-only,
	# detached overlay mount: the re-open fails with EROFS.
	local before
	before="$(checksum "$OCIRUN")"
	bind_mount_config "$OUT" /out
	update_config '.linux.namespaces |= map(select(.type != "pid"))
		| .process.env += $env' --argjson env "$RUNTIME_AS_PROGRAM_ENV"
	set_args /proc/self/exe init
	install_runtime_libs
	with_held_socket "$OCIRUN" --root "$ROOT" run -d --preserve-fds 1 --bundle "$BUNDLE" "$ID"
	wait_for_status "$ID" running
	local pid
	pid="$(init_pid)"
	ocirun exec -d "$ID" sh -c "$ATTACK_EXE" attack "$pid" </dev/null >"$BATS_TEST_TMPDIR/attacker.out" 2>&1
	wait_for_file "$OUT/ready"
	release_socket
	wait_for_file "$OUT/result"
	echo "target: $(cat "$OUT/target"); result: $(cat "$OUT/result"); $(cat "$OUT/err")"
	[ "$(cat "$OUT/result")" = DENIED ]
	[ "$(checksum "$OCIRUN")" = "$before" ]
}

@test "CVE-2019-5736: a process in the container cannot overwrite the binary of an exec'd runtime" {
	# `exec` starts the runtime's init inside a running container; here
	# its program is /proc/self/exe again, so it stays the runtime binary.
	# The container's pid 1 watches for a process whose exe is not
	# busybox, holds its exe open and writes through it once it exited.
	local before
	before="$(checksum "$OCIRUN")"
	bind_mount_config "$OUT" /out
	set_args sh -c '
		while :; do
			for p in /proc/[0-9]*; do
				case "$(readlink "$p/exe")" in
				*busybox* | "") ;;
				*) sh -c "$0" attack "${p#/proc/}"; exit 0 ;;
				esac
			done
		done' "$ATTACK_EXE"
	install_runtime_libs
	run_detached
	track_pid "$(init_pid)"
	with_held_socket "$OCIRUN" --root "$ROOT" exec --preserve-fds 1 \
		-e _OCIRUN_SYNC_FD=3 -e _LIBCONTAINER_INITPIPE=3 "$ID" /proc/self/exe init
	wait_for_file "$OUT/ready"
	release_socket
	wait_for_file "$OUT/result"
	echo "target: $(cat "$OUT/target"); result: $(cat "$OUT/result"); $(cat "$OUT/err")"
	[ "$(cat "$OUT/result")" = DENIED ]
	[ "$(checksum "$OCIRUN")" = "$before" ]
}

@test "CVE-2019-16884: only a proc filesystem may be mounted at /proc" {
	# An image "volume" at /proc (a directory with a fake
	# self/attr/apparmor/exec and no masked files) would make the runtime
	# write the LSM label into a plain file and the container run
	# unconfined, with /proc/kcore & co. unmasked.
	local fake="$BATS_TEST_TMPDIR/fakeproc"
	mkdir -p "$fake/self/attr/apparmor"
	update_config '.mounts |= map(if .destination == "/proc"
		then {destination: "/proc", type: "bind", source: $src, options: ["rbind"]} else . end)' \
		--arg src "$fake"
	run ! ocirun run --bundle "$BUNDLE" "$ID"
	echo "$output"
	assert_no_leftovers
	skip_if_runc
	expect_output_contains "only a proc filesystem may be mounted at /proc"
}

@test "CVE-2023-27561/CVE-2023-28642: a bind mount through rootfs/mnt -> /proc is refused" {
	# The image ships /mnt as a symlink to /proc; a volume at
	# /mnt/self/attr/exec (or /mnt/sys/kernel/...) then lands inside the
	# container's procfs, over the very files the runtime writes or masks.
	ln -s /proc "$ROOTFS/mnt"
	echo "fake" >"$BATS_TEST_TMPDIR/fake"
	bind_mount_config "$BATS_TEST_TMPDIR/fake" /mnt/sys/kernel/core_pattern bind
	set_args cat /proc/sys/kernel/core_pattern
	run ocirun run --bundle "$BUNDLE" "$ID"
	echo "$output"
	# Refused, or at least the fake file is not what the container sees.
	[ "$status" -ne 0 ] || [[ "$output" != fake ]]
	skip_if_runc
	expect_status 1
	expect_output_contains "is inside /proc"
}

@test "CVE-2019-16884: proc is never mounted onto a symlinked /proc" {
	# The image's /proc is a symlink to a directory the container can
	# reach: mounting through it would put procfs (and the runtime's
	# masks) in the wrong place and leave /proc to the image.
	rmdir "$ROOTFS/proc"
	mkdir "$ROOTFS/elsewhere"
	ln -s /elsewhere "$ROOTFS/proc"
	run ! ocirun run --bundle "$BUNDLE" "$ID"
	echo "$output"
	assert_no_leftovers
	# Nothing was mounted on the symlink's target either.
	[ -z "$(ls -A "$ROOTFS/elsewhere")" ]
}

@test "CVE-2021-30465/CVE-2024-45310: swapping volume directories for symlinks while containers start" {
	# A container sharing a volume (here a host process acting inside it)
	# swaps a directory the next container mounts into for a symlink to a
	# host directory, hoping the runtime's mkdir (CVE-2024-45310: empty
	# files and directories created on the host) or mount (CVE-2021-30465:
	# a mount landing outside the rootfs) follows it between its check and
	# its use. Mount targets must be resolved once, inside the rootfs, and
	# mounted through the resolved fd: nothing may be created in or mounted
	# on the host's victim directory, and a container may only see its
	# mounts where the unattacked one had them or where the symlink leads
	# when read inside the rootfs (rootfs/$victim/...).
	local vol="$BATS_TEST_TMPDIR/vol" victim="$BATS_TEST_TMPDIR/victim" i
	mkdir -p "$vol/a/b" "$victim"
	echo file >"$BATS_TEST_TMPDIR/file"
	bind_mount_config "$vol" /vol
	update_config '.mounts += [{destination: "/vol/a/b/mnt", type: "tmpfs", source: "tmpfs"}]'
	bind_mount_config "$BATS_TEST_TMPDIR/file" /vol/a/b/file bind
	set_args sh -c 'awk "{print \$5}" /proc/self/mountinfo | sort'
	# The mounts a container sees without the attacker.
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	local baseline="$output"
	[[ "$baseline" == *"/vol/a/b/mnt"* ]]
	start_helper bash -c '
		cd "$1" || exit 1
		while :; do
			rm -rf a; ln -s "$2" a; rm -f a; mkdir -p a/b
		done' swapper "$vol" "$victim"
	local swapper="$HELPER_PID" ok=0
	for i in $(seq 20); do
		run ocirun run --bundle "$BUNDLE" "$ID-$i"
		TRACKED_IDS+=("$ID-$i")
		[ "$status" -eq 0 ] || continue
		ok=$((ok + 1))
		# Every mount point seen is one the unattacked container had (a
		# second mount on one of them counts as extra), or the configured
		# destinations reached through the symlink inside the rootfs.
		comm -13 <(echo "$baseline") <(echo "$output") |
			grep -vxF -e "$victim/b/mnt" -e "$victim/b/file" >"$BATS_TEST_TMPDIR/extra" || true
		if [ -s "$BATS_TEST_TMPDIR/extra" ]; then
			echo "run $i saw unexpected mounts:" && cat "$BATS_TEST_TMPDIR/extra"
			return 1
		fi
	done
	kill -9 "$swapper"
	wait "$swapper" 2>/dev/null || true
	forget_helper "$swapper"
	echo "$ok of 20 containers started under attack"
	# Nothing was created on the host outside the volume.
	run ls -A "$victim"
	[ -z "$output" ]
	run awk -v v="$victim" 'index($5, v) == 1' /proc/self/mountinfo
	[ -z "$output" ]
}

@test "CVE-2024-21626: no runtime fd reaches the container's program (run and exec)" {
	# A leaked directory fd of the runtime (the host's /proc, a cgroup dir)
	# is a handle outside the rootfs: /proc/self/fd/N/.. walks the host.
	set_args sh -c 'ls /proc/$$/fd; sleep 100'
	run_detached
	init_pid >/dev/null
	wait_for_output "$CTR_OUT" '^2$'
	[ "$(tr '\n' ' ' <"$CTR_OUT")" = "0 1 2 " ]
	run ocirun exec "$ID" sh -c 'ls /proc/$$/fd; true'
	expect_status 0
	[ "$(echo "$output" | tr '\n' ' ')" = "0 1 2 " ]
}

# escape_check: the container script that looks for $MARKER (a host file)
# from its cwd's ancestors: found only when the cwd is on the host.
escape_script() {
	echo 'cd ../../../../../../../.. && if [ -e ".$1" ]; then echo ESCAPED; else echo CONTAINED; fi'
}

@test "CVE-2024-21626: process.cwd /proc/self/fd/N never starts the program outside the rootfs" {
	# The runtime chdirs into process.cwd while still holding its own fds:
	# /proc/self/fd/N names one of them, possibly a host directory. The
	# program would then start with a host cwd and reach the host's / via
	# "..". Tried with create+start (the init holds more fds there) and run.
	local marker="$BATS_TEST_TMPDIR/marker" n mode
	touch "$marker"
	set_args sh -c "$(escape_script "$marker")"
	for mode in run create; do
		for n in 3 4 5 6 7 8 9 10; do
			update_config '.process.cwd = $cwd' --arg cwd "/proc/self/fd/$n"
			TRACKED_IDS+=("$ID-$mode-$n")
			if [ "$mode" = run ]; then
				run ocirun run --bundle "$BUNDLE" "$ID-$mode-$n"
			else
				# The program's stdio goes to $CTR_OUT, not to bats' pipe.
				status=0
				ocirun create --bundle "$BUNDLE" "$ID-$mode-$n" </dev/null >"$CTR_OUT" 2>&1 || status=$?
				[ "$status" -ne 0 ] || ocirun start "$ID-$mode-$n"
				sleep 0.3
				output="$(cat "$CTR_OUT")"
			fi
			echo "$mode fd $n: status $status: $output"
			[[ "$output" != *ESCAPED* ]]
			ocirun delete --force "$ID-$mode-$n" >/dev/null 2>&1 || true
		done
	done
}

@test "CVE-2024-21626: exec --cwd /proc/self/fd/N cannot reach the host" {
	# Same attack on exec, plus a host directory deliberately passed as
	# fd 3 with --preserve-fds: the cwd check must catch it too.
	local marker="$BATS_TEST_TMPDIR/marker" n
	touch "$marker"
	set_args sleep 100
	run_detached
	init_pid >/dev/null
	for n in 3 4 5 6 7 8 9 10; do
		run ocirun exec --cwd "/proc/self/fd/$n" "$ID" sh -c "$(escape_script "$marker")"
		echo "fd $n: status $status: $output"
		[[ "$output" != *ESCAPED* ]]
	done
	run ocirun exec --preserve-fds 1 --cwd /proc/self/fd/3 "$ID" sh -c "$(escape_script "$marker")" 3<"$BATS_TEST_TMPDIR"
	echo "preserved host dir: status $status: $output"
	[[ "$output" != *ESCAPED* ]]
	skip_if_runc
	expect_output_contains "outside the container's root filesystem"
}

# dev_bind_config DIR: /dev becomes a bind of DIR (a /dev the container
# shares or controls), with the usual device nodes plus what the test plants.
dev_bind_config() {
	local dev="$1" name
	mkdir -p "$dev/pts" "$dev/shm" "$dev/mqueue"
	for name in zero full random urandom tty; do
		cp -a "/dev/$name" "$dev/$name"
	done
	ln -s pts/ptmx "$dev/ptmx"
	update_config '.mounts |= map(if .destination == "/dev"
		then {destination: "/dev", type: "bind", source: $src, options: ["rbind"]} else . end)' \
		--arg src "$dev"
}

@test "CVE-2025-31133: a /dev/null that is not the null device is never used to mask paths" {
	# The container controls /dev (shared with an earlier container) and
	# replaces /dev/null with a symlink to a file, or with another device.
	# Masking binds /dev/null over /proc/kcore & co.: a runtime that trusts
	# the path binds the attacker's file there instead (e.g. a writable
	# /proc/sys/kernel/core_pattern over a masked path).
	echo EXPOSED >"$ROOTFS/exposed"
	dev_bind_config "$BATS_TEST_TMPDIR/dev"
	set_args cat /proc/timer_list
	ln -s /exposed "$BATS_TEST_TMPDIR/dev/null"
	run ocirun run --bundle "$BUNDLE" "$ID"
	echo "symlink: $status: $output"
	[[ "$output" != *EXPOSED* ]]

	rm "$BATS_TEST_TMPDIR/dev/null"
	mknod -m 666 "$BATS_TEST_TMPDIR/dev/null" c 1 5 # /dev/zero's numbers
	set_args sh -c 'head -c 4 /proc/timer_list | od -An -c'
	run ocirun run --bundle "$BUNDLE" "$ID-zero"
	TRACKED_IDS+=("$ID-zero")
	echo "1:5 device: $status: $output"
	[ "$status" -ne 0 ] || [[ "$output" != *'\0'* ]]
	skip_if_runc
	expect_output_contains "not the null device"
}

@test "CVE-2025-52565: a symlinked /dev/console is never followed when mounting the terminal" {
	# The runtime bind-mounts the container's pty over /dev/console. If the
	# container made /dev/console a symlink, following it would mount the
	# pty somewhere else (or, with /dev/pts/N swapped, mount a file of the
	# attacker's choice at /dev/console).
	mkdir "$ROOTFS/target-dir"
	echo TARGET >"$ROOTFS/target-dir/target"
	dev_bind_config "$BATS_TEST_TMPDIR/dev"
	mknod -m 666 "$BATS_TEST_TMPDIR/dev/null" c 1 3
	ln -s /target-dir/target "$BATS_TEST_TMPDIR/dev/console"
	update_config '.process.terminal = true'
	set_args sh -c 'cat /target-dir/target; [ -c /target-dir/target ] && echo PTY-MOUNTED; true'
	start_recvtty
	run ocirun run -d --console-socket "$CONSOLE_SOCKET" --bundle "$BUNDLE" "$ID"
	local rc="$status" out="$output"
	echo "status $rc: $out"
	if [ "$rc" -eq 0 ]; then
		wait_recvtty || true
	else
		kill -9 "$RECVTTY_PID"
	fi
	echo "terminal: $(cat "$RECVTTY_OUT")"
	run ! grep -q PTY-MOUNTED "$RECVTTY_OUT"
	skip_if_runc
	[ "$rc" -eq 1 ]
	[[ "$out" == *"/dev/console in the container is a symlink"* ]]
}

@test "CVE-2025-52881: a mount over a /proc/sys file cannot redirect a sysctl write" {
	# The runtime writes linux.sysctl through /proc/sys. A config mount
	# over that file (here a host file standing in for another procfs file
	# such as /proc/sys/kernel/core_pattern) would receive the write.
	# Mounts into /proc are refused, and the sysctls are written through a
	# private, verified procfs instance anyway.
	local decoy="$BATS_TEST_TMPDIR/decoy"
	echo untouched >"$decoy"
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	bind_mount_config "$decoy" /proc/sys/net/ipv4/ip_forward bind
	run ocirun run --bundle "$BUNDLE" "$ID"
	echo "status $status: $output"
	[ "$(cat "$decoy")" = untouched ]
}

@test "CVE-2022-29162: exec --cap adds no inheritable capabilities" {
	# runc < 1.1.2 put --cap capabilities in the inheritable set too, so a
	# file with inheritable file capabilities exec'd by that process got
	# them in its permitted set.
	set_args sleep 100
	run_detached
	init_pid >/dev/null
	run ocirun exec --cap CAP_SYS_ADMIN "$ID" grep -E '^Cap(Inh|Eff)' /proc/self/status
	expect_status 0
	echo "$output"
	[[ "$output" == *"CapInh:	0000000000000000"* ]]
	# CAP_SYS_ADMIN (21) did reach the effective set.
	local eff
	eff="$(echo "$output" | awk '$1 == "CapEff:" {print $2}')"
	(((0x$eff >> 21) & 1))
	# Inheritable only when the process.json asks for it.
	jq '.process | .args = ["grep", "^CapInh", "/proc/self/status"]
		| .capabilities.inheritable = ["CAP_KILL"]' "$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/process.json"
	run ocirun exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
	expect_status 0
	[[ "$output" == *"CapInh:	0000000000000020"* ]]
}

# setuid_helper: a static setuid-root program in the rootfs printing its
# euid and effective capabilities (busybox drops setuid privileges itself,
# so it cannot show what the kernel would grant).
setuid_helper() {
	command -v gcc >/dev/null || skip "gcc is needed to build the setuid helper"
	cat >"$BATS_TEST_TMPDIR/suid.c" <<-'EOF'
		#include <stdio.h>
		#include <string.h>
		#include <unistd.h>
		int main(void) {
			char line[256];
			FILE *f = fopen("/proc/self/status", "r");
			printf("euid=%d\n", (int)geteuid());
			while (f && fgets(line, sizeof line, f))
				if (strncmp(line, "CapEff:", 7) == 0) fputs(line, stdout);
			return 0;
		}
	EOF
	gcc -static -O1 -o "$ROOTFS/bin/suid-probe" "$BATS_TEST_TMPDIR/suid.c"
	chown 0:0 "$ROOTFS/bin/suid-probe"
	chmod 4755 "$ROOTFS/bin/suid-probe"
}

@test "noNewPrivileges and an empty bounding set: a setuid-root binary regains nothing" {
	setuid_helper
	update_config '.process.user = {uid: 1000, gid: 1000} | del(.process.capabilities)'
	set_args /bin/suid-probe
	# With no_new_privs the setuid bit is ignored: still uid 1000.
	update_config '.process.noNewPrivileges = true'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	echo "$output"
	[[ "$output" == *"euid=1000"* ]]
	[[ "$output" == *"CapEff:	0000000000000000"* ]]
	# Without it the binary becomes euid 0, but the bounding set was
	# dropped before the uid change: still no capability.
	update_config '.process.noNewPrivileges = false'
	run ocirun run --bundle "$BUNDLE" "$ID-nonnp"
	TRACKED_IDS+=("$ID-nonnp")
	expect_status 0
	echo "$output"
	[[ "$output" == *"euid=0"* ]]
	[[ "$output" == *"CapEff:	0000000000000000"* ]]
}

@test "default spec: masked and read-only paths (runc's list) are enforced" {
	local p
	for p in /proc/acpi /proc/asound /proc/kcore /proc/keys /proc/latency_stats /proc/timer_list \
		/proc/timer_stats /proc/sched_debug /sys/firmware /proc/scsi; do
		jq -e --arg p "$p" '.linux.maskedPaths | index($p)' "$BUNDLE/config.json" >/dev/null
	done
	for p in /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger; do
		jq -e --arg p "$p" '.linux.readonlyPaths | index($p)' "$BUNDLE/config.json" >/dev/null
	done
	# Masked files read empty, masked directories are empty, and the
	# read-only paths are read-only mounts (checked in mountinfo rather than
	# by writing: a write to /proc/sysrq-trigger that got through would
	# reach the host's kernel).
	# Paths this kernel lacks (e.g. /proc/kcore without CONFIG_PROC_KCORE)
	# are skipped, as the runtime skips them; each kind must be seen once.
	set_args sh -c '
		for f in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug; do
			[ -e $f ] || continue
			[ -z "$(head -c 1 $f)" ] && echo "masked $f" || echo "NOT MASKED $f"
		done
		[ -z "$(ls -A /sys/firmware)" ] && echo "masked dir" || echo "NOT MASKED /sys/firmware"
		for p in /proc/sys /proc/sysrq-trigger /proc/bus /proc/fs /proc/irq; do
			[ -e $p ] || continue
			awk -v p=$p "\$5 == p && \$6 ~ /^ro/ {ok = 1} END {exit !ok}" /proc/self/mountinfo &&
				echo "read-only $p" || echo "NOT READ-ONLY $p"
		done'
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	echo "$output"
	[[ "$output" != *NOT* ]]
	[[ "$output" == *"masked /proc/"* ]]
	[[ "$output" == *"masked dir"* ]]
	[[ "$output" == *"read-only /proc/sys"* ]]
}

@test "keyring: each container gets its own session keyring; --no-new-keyring keeps the caller's" {
	# The session keyring holds secrets (e.g. for kerberos or fscrypt);
	# sharing the host's would hand them to the container. /proc/keys lists
	# the keyrings the reader possesses: unmask it for this test.
	update_config '.linux.maskedPaths -= ["/proc/keys"]'
	set_args cat /proc/keys
	run ocirun run --bundle "$BUNDLE" "$ID"
	expect_status 0
	echo "$output"
	[[ "$output" == *"_ses.$ID"* ]]
	run ocirun run --no-new-keyring --bundle "$BUNDLE" "$ID-keep"
	TRACKED_IDS+=("$ID-keep")
	expect_status 0
	echo "$output"
	[[ "$output" != *"_ses.$ID-keep"* ]]
}
