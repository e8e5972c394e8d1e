#!/usr/bin/env bash
# Build the e2e tier's busybox OCI image offline, as an OCI layout tarball
# that `ctr images import` reads. The layout holds two tags:
#   latest  cmd /bin/sh                     (the containers' image)
#   pause   entrypoint sleeps until killed  (the CRI pod sandbox image)
#
# Usage: build-image.sh OUT.tar
# The rootfs comes from tests/integration/build-bundle.sh (busybox-static,
# one link per applet, /etc/passwd and /etc/group), so both tiers run the
# same files. OCIRUN is the runtime whose `spec` that script calls.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

die() {
	echo "build-image.sh: $*" >&2
	exit 1
}

# pack_layout WORK: an umoci layout at WORK/oci with the rootfs as one layer.
pack_layout() {
	local work="$1" layout="$1/oci"
	umoci init --layout "$layout"
	umoci new --image "$layout:latest"
	umoci unpack --image "$layout:latest" "$work/unpacked"
	# Replace the empty rootfs umoci unpacked by the busybox one.
	rm -rf "$work/unpacked/rootfs"
	mv "$work/bundle/rootfs" "$work/unpacked/rootfs"
	umoci repack --image "$layout:latest" "$work/unpacked"
	umoci config --image "$layout:latest" --no-history \
		--config.env PATH=/bin --config.cmd /bin/sh
	# PID 1 of a pid namespace ignores SIGTERM without a handler: the pod
	# sandbox stops on SIGKILL, which is what containerd sends it.
	umoci config --image "$layout:latest" --tag pause --no-history \
		--clear config.cmd --config.entrypoint /bin/sleep \
		--config.cmd 2147483647
	umoci gc --layout "$layout"
}

main() {
	[[ $# -eq 1 ]] || die "usage: build-image.sh OUT.tar"
	local out="$1" work
	work="$(mktemp -d /tmp/ocirun-e2e-image.XXXXXX)"
	# The trap runs after main returned: it must not name the local.
	# shellcheck disable=SC2064
	trap "rm -rf '$work'" EXIT
	# Without a cache, build-bundle.sh builds the rootfs in place.
	OCIRUN_ROOTFS_CACHE="" "$REPO_ROOT/tests/integration/build-bundle.sh" "$work/bundle" >/dev/null
	pack_layout "$work" >/dev/null
	tar -C "$work/oci" -cf "$out.tmp" .
	mv "$out.tmp" "$out"
}

main "$@"
