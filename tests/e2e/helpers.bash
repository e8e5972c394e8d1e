# shellcheck shell=bash
# Shared helpers for the e2e tier (containerd driving ocirun); every .bats
# file here loads it. The runtime under test is $OCIRUN (default:
# <repo>/bin/ocirun); run the tier against runc with OCIRUN=/usr/sbin/runc.
# shellcheck disable=SC2034 # variables here are read by the .bats files
# shellcheck disable=SC2154 # status, output are set by bats' run

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$E2E_DIR/../.." && pwd)"
OCIRUN="${OCIRUN:-$REPO_ROOT/bin/ocirun}"
# containerd's shim runs it from another directory: make it absolute.
[[ "$OCIRUN" == /* ]] || OCIRUN="$(command -v "$OCIRUN" 2>/dev/null || echo "$PWD/$OCIRUN")"
export OCIRUN

E2E_IMAGE="localhost/busybox:latest"
# The CRI pod sandbox image: the same rootfs, its entrypoint sleeps.
E2E_PAUSE_IMAGE="localhost/busybox:pause"

# Every cgroup hierarchy of this hybrid host (v1 controllers, the named
# systemd hierarchy, cgroup2 at unified/).
CGROUP_MOUNTS=()
for _cg in /sys/fs/cgroup/*/; do
	[[ -d "$_cg" ]] && CGROUP_MOUNTS+=("${_cg%/}")
done
unset _cg

# shellcheck source=tests/integration/procs.bash
source "$REPO_ROOT/tests/integration/procs.bash"
# shellcheck source=tests/integration/asserts.bash
source "$REPO_ROOT/tests/integration/asserts.bash"
# shellcheck source=tests/e2e/containerd.bash
source "$E2E_DIR/containerd.bash"
# shellcheck source=tests/e2e/leaks.bash
source "$E2E_DIR/leaks.bash"

# ctrd ARG...: ctr talking to this file's containerd, bounded in time so
# that a hung runtime fails the test instead of the tier.
ctrd() {
	timeout 60 ctr --address "$CONTAINERD_SOCK" "$@"
}

# image_tar: the busybox OCI layout tarball, built once per bats run (a
# lock keeps the test files from building it twice).
image_tar() {
	local cache="$BATS_RUN_TMPDIR/e2e-image"
	mkdir -p "$cache"
	(
		flock 9
		if [[ ! -e "$cache/busybox-oci.tar" ]]; then
			"$E2E_DIR/build-image.sh" "$cache/busybox-oci.tar" >&2
		fi
	) 9>"$cache/lock" || return 1
	echo "$cache/busybox-oci.tar"
}

# import_image NAMESPACE: both tags of the image into that containerd
# namespace, unpacked for the default (overlayfs) snapshotter.
import_image() {
	local tar
	tar="$(image_tar)" || return 1
	ctrd --namespace "$1" images import --base-name localhost/busybox "$tar" >/dev/null
}

# e2e_setup_file CRI: what every test file starts with: the packages, a
# private containerd (CRI=1: with the CRI plugin) and the image imported.
# Exports CONTAINERD_DIR, RUNC_ROOT (ocirun's --root as the shim passes it,
# plus /<namespace>) and FIFO_DIR (ctr's stdio fifos).
e2e_setup_file() {
	local cri="$1"
	"$E2E_DIR/install-deps.sh"
	[[ -x "$OCIRUN" ]] || {
		echo "runtime $OCIRUN not found: run 'make build' or set OCIRUN" >&2
		return 1
	}
	E2E_RUN_CONTAINERD_EXISTED=0
	[[ -e /run/containerd ]] && E2E_RUN_CONTAINERD_EXISTED=1
	CONTAINERD_DIR="$BATS_FILE_TMPDIR/containerd"
	RUNC_ROOT="$BATS_FILE_TMPDIR/runc-root"
	FIFO_DIR="$BATS_FILE_TMPDIR/fifo"
	export E2E_RUN_CONTAINERD_EXISTED CONTAINERD_DIR RUNC_ROOT FIFO_DIR
	mkdir -p "$CONTAINERD_DIR" "$RUNC_ROOT" "$FIFO_DIR"
	write_containerd_config "$CONTAINERD_DIR" "$cri"
	start_containerd "$CONTAINERD_DIR"
}

# own_cgroup_parent PATH: the parent cgroup under which this file's
# containers go (containerd's /<namespace>, or the pods' cgroup_parent) is
# removed at the end of the file if no hierarchy had it before.
own_cgroup_parent() {
	local mnt
	for mnt in "${CGROUP_MOUNTS[@]}"; do
		[[ -e "$mnt$1" ]] && return 0
	done
	E2E_OWNED_CGROUP_PARENT="$1"
	export E2E_OWNED_CGROUP_PARENT
}

# remove_owned_cgroup_parent: rmdir it wherever it is still there (ocirun
# removes a parent it created once it is empty; runc leaves it). A parent
# that still has children is a leak the tests report by child.
remove_owned_cgroup_parent() {
	local mnt dir="${E2E_OWNED_CGROUP_PARENT:-}"
	[[ -n "$dir" ]] || return 0
	for mnt in "${CGROUP_MOUNTS[@]}"; do
		[[ -d "$mnt$dir" ]] && rmdir "$mnt$dir"
	done
	return 0
}

# e2e_teardown_file NAMESPACE...: remove whatever containers the tests left
# in those namespaces, stop containerd, then fail if anything remains under
# the runtime's root.
e2e_teardown_file() {
	local ns rc=0
	if [[ -n "${CONTAINERD_PID:-}" ]]; then
		for ns in "$@"; do
			remove_all_containers "$ns" || rc=1
		done
	fi
	stop_containerd
	remove_run_containerd
	remove_owned_cgroup_parent
	for ns in "$@"; do
		leak_check_runc_root "$ns" || rc=1
	done
	leak_check_mounts_under "$BATS_FILE_TMPDIR" || rc=1
	return $rc
}

