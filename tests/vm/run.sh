#!/usr/bin/env bash
# The cgroup v2 test tier: runs bats files inside a qemu VM whose kernel has
# cgroup v1 disabled (cgroup_no_v1=all), so ocirun's v2 manager and its
# eBPF device filter run on a pure cgroup2 hierarchy. The host is hybrid
# (v1 controllers), so these paths run nowhere else.
#
# Usage: tests/vm/run.sh [BATS_FILE...]
#   BATS_FILE  paths relative to the repo (default: the cgroup-related
#              files, see default_bats_files)
#
# Environment:
#   OCIRUN      runtime under test (default: <repo>/bin/ocirun)
#   RECVTTY     console-socket receiver (default: <repo>/bin/recvtty)
#   VM_CACHE    where the kernel is kept between runs (default: <repo>/.cache/vm)
#   VM_TIMEOUT  seconds before the VM counts as hung (default: 900)
#   VM_BATS_FILTER  only the tests whose name matches this regex (bats -f)
#   VM_SMP, VM_APPEND  vCPUs (default 2) and extra kernel arguments, for
#               debugging the VM itself
#   VM_BATS_TEST_TIMEOUT, VM_OCIRUN_TIMEOUT  per-test and per-command
#               timeouts inside the VM (default: 300 and 90 s)
#
# Output: the TAP stream, then "integration (cgroup v2 VM): N passed,
# N failed, N skipped". Exits non-zero on a failed test, a hang or a boot
# problem; the VM's console log is then kept and its tail printed.
#
# The kernel is booted as an uncompressed ELF (vmlinux) from an
# uncompressed initramfs, under TCG with one emulator thread
# (thread=single: multi-threaded TCG hung about 1 boot in 30 in the first
# memory cgroup creation). softlockup_panic + panic=-1 + -no-reboot turn a
# kernel hang into a prompt qemu exit.
set -euo pipefail

VM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$VM_DIR/../.." && pwd)"
OCIRUN="${OCIRUN:-$REPO_ROOT/bin/ocirun}"
RECVTTY="${RECVTTY:-$REPO_ROOT/bin/recvtty}"
VM_CACHE="${VM_CACHE:-$REPO_ROOT/.cache/vm}"
VM_TIMEOUT="${VM_TIMEOUT:-900}"
# Packages the host needs to build and boot the VM (bats, jq, bpftool and
# busybox are copied into it).
VM_DEB_DEPS=(qemu-system-x86 cpio xz-utils busybox-static bats jq bpftool)
# Modules /init loads ("name parameters"): overlay for the runtime's sealed
# binary; loop for /dev/loop-control (10:237), the device tests' probe, and
# block devices (7:N) the io throttle tests can name.
VM_MODULES=("overlay" "loop")
KERNEL_CMDLINE="console=ttyS0 cgroup_no_v1=all panic=-1 softlockup_panic=1 quiet ${VM_APPEND:-}"

# shellcheck source=tests/vm/kernel.sh
source "$VM_DIR/kernel.sh"
# shellcheck source=tests/vm/initramfs.sh
source "$VM_DIR/initramfs.sh"

die() {
	echo "vm: $*" >&2
	exit 2
}

# default_bats_files: the files about cgroups (rootless_cgroup.bats: a
# delegated subtree), plus events.bats once it
# exists (stats come from the cgroup files).
default_bats_files() {
	local f
	for f in cgroups cgroups_v2 devices pause update events rootless_cgroup; do
		[[ -e "$REPO_ROOT/tests/integration/$f.bats" ]] && echo "tests/integration/$f.bats"
	done
}

APT_UPDATED=
apt_update_once() {
	[[ -n "$APT_UPDATED" ]] && return 0
	APT_UPDATED=1
	DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
}

# ensure_packages: install only what is missing (as the Makefile's deps).
ensure_packages() {
	local missing=() pkg
	for pkg in "${VM_DEB_DEPS[@]}"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$pkg")
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	echo "vm: installing ${missing[*]}"
	apt_update_once
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# check_inputs: the files to run and the binaries to copy exist.
check_inputs() {
	local f
	for f in "${BATS_FILES[@]}"; do
		[[ -f "$REPO_ROOT/$f" ]] || die "no such bats file: $f (paths are relative to $REPO_ROOT)"
	done
	[[ -x "$OCIRUN" ]] || die "runtime $OCIRUN not found (make build, or set OCIRUN)"
	[[ -x "$RECVTTY" ]] || die "$RECVTTY not found (make build)"
	OCIRUN="$(cd "$(dirname "$OCIRUN")" && pwd)/$(basename "$OCIRUN")"
}

# boot_vm: runs qemu in the background and streams the TAP while it runs;
# sets QEMU_STATUS (124 when it was killed after VM_TIMEOUT).
boot_vm() {
	local qemu_pid
	: >"$WORK/results.log"
	timeout -k 10 "$VM_TIMEOUT" qemu-system-x86_64 \
		-machine q35 -accel tcg,thread=single -cpu max -m 2G -smp "${VM_SMP:-2}" \
		-display none -monitor none -no-reboot \
		-serial "file:$WORK/console.log" -serial "file:$WORK/results.log" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$KERNEL_DIR/vmlinux" -initrd "$WORK/initramfs.img" \
		-append "$KERNEL_CMDLINE" </dev/null >"$WORK/qemu.out" 2>&1 &
	qemu_pid=$!
	tail -n +1 -F --pid="$qemu_pid" "$WORK/results.log" 2>/dev/null | tr -d '\r'
	QEMU_STATUS=0
	wait "$qemu_pid" || QEMU_STATUS=$?
}

# count_tap PATTERN: lines of the TAP results matching PATTERN.
count_tap() {
	tr -d '\r' <"$WORK/results.log" | grep -Ec "$1" || true
}

# report: the summary line, then the verdict from qemu's exit status and
# the TAP plan. Returns non-zero on any failure.
report() {
	local plan ran pass skip fail problem=""
	plan="$(tr -d '\r' <"$WORK/results.log" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p' | head -n 1)"
	pass="$(count_tap '^ok [0-9]+ ')"
	skip="$(count_tap '^ok [0-9]+ .* # skip')"
	fail="$(count_tap '^not ok [0-9]+ ')"
	ran=$((pass + fail))
	case "$QEMU_STATUS" in
	1) ;; # isa-debug-exit 0: bats passed
	3) [[ "$fail" -gt 0 ]] || problem="the VM reported a failure before or after the tests" ;;
	124 | 137) problem="the VM hung: killed after ${VM_TIMEOUT}s (VM_TIMEOUT)" ;;
	0) problem="the VM stopped without a verdict (kernel panic or boot failure)" ;;
	*) problem="qemu failed with status $QEMU_STATUS: $(tail -n 3 "$WORK/qemu.out")" ;;
	esac
	if [[ -z "$problem" && "$ran" -ne "${plan:-0}" ]]; then
		problem="bats planned ${plan:-no} tests but reported $ran"
	fi
	echo "integration (cgroup v2 VM): $((pass - skip)) passed, $fail failed, $skip skipped"
	if [[ -n "$problem" ]]; then
		echo "vm: $problem" >&2
	fi
	[[ -z "$problem" && "$fail" -eq 0 && "$QEMU_STATUS" -eq 1 ]]
}

# keep_console_log: on failure the console log outlives the work dir.
keep_console_log() {
	local kept="$VM_CACHE/console-last-failure.log"
	cp "$WORK/console.log" "$kept"
	echo "vm: console log kept in $kept; its tail:" >&2
	tail -n 40 "$kept" | tr -d '\r' >&2
}

cleanup() {
	[[ -n "${WORK:-}" ]] && rm -rf "$WORK"
}

main() {
	local started=$SECONDS rc=0
	BATS_FILES=("$@")
	[[ $# -gt 0 ]] || mapfile -t BATS_FILES < <(default_bats_files)
	check_inputs
	ensure_packages
	mkdir -p "$VM_CACHE"
	fetch_kernel
	WORK="$(mktemp -d /tmp/ocirun-vm.XXXXXX)"
	trap cleanup EXIT
	build_initramfs "$WORK/initramfs.img"
	echo "vm: booting $(cat "$KERNEL_DIR/version") with cgroup v1 disabled; runtime $OCIRUN"
	boot_vm
	report || rc=$?
	[[ $rc -eq 0 ]] || keep_console_log
	echo "vm: done in $((SECONDS - started))s"
	return $rc
}

main "$@"
