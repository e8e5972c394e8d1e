#!/usr/bin/env bash
# Build an OCI bundle (rootfs + config.json) from Debian's busybox-static.
#
# Usage: build-bundle.sh [-i ID] DIR [ARG...]
#   -i ID   container id; the bundle's linux.cgroupsPath becomes /ocirun-test-ID
#           (default: a random id)
#   DIR     bundle directory to create (must not contain a config.json yet)
#   ARG...  process.args of the container (default: sh)
#
# Environment:
#   OCIRUN               runtime binary whose `spec` command writes config.json
#                        (default: <repo>/bin/ocirun)
#   OCIRUN_ROOTFS_CACHE  directory where the rootfs is built once and then
#                        copied from (default: $BATS_RUN_TMPDIR/rootfs-cache
#                        under bats, otherwise no cache)
#   BUSYBOX              busybox binary to install (default: /bin/busybox)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
OCIRUN="${OCIRUN:-$REPO_ROOT/bin/ocirun}"
# A relative path would break once we cd (e.g. into the bundle).
[[ "$OCIRUN" != */* || "$OCIRUN" == /* ]] || OCIRUN="$PWD/$OCIRUN"
BUSYBOX="${BUSYBOX:-/bin/busybox}"

die() {
	echo "build-bundle.sh: $*" >&2
	exit 1
}

usage() {
	die "usage: build-bundle.sh [-i ID] DIR [ARG...]"
}

# write_etc_files ROOTFS: the users and groups the process tests rely on.
write_etc_files() {
	local rootfs="$1"
	cat >"$rootfs/etc/passwd" <<-'EOF'
		root:x:0:0:root:/root:/bin/sh
		nobody:x:65534:65534:nobody:/nonexistent:/bin/false
		user:x:1000:1000:user:/home/user:/bin/sh
	EOF
	cat >"$rootfs/etc/group" <<-'EOF'
		root:x:0:
		nobody:x:65534:
		user:x:1000:
		extra:x:1001:user
	EOF
	echo "ocirun-test" >"$rootfs/etc/hostname"
}

# install_busybox ROOTFS: the static binary plus one symlink per applet, so
# that `sh`, `ps`, `mount`... resolve through PATH=/bin.
install_busybox() {
	local rootfs="$1" applet
	[[ -x "$BUSYBOX" ]] || die "busybox not found at $BUSYBOX (apt-get install busybox-static)"
	cp "$BUSYBOX" "$rootfs/bin/busybox"
	for applet in $("$BUSYBOX" --list); do
		[[ "$applet" == busybox ]] && continue
		ln -sf busybox "$rootfs/bin/$applet"
	done
}

# build_rootfs DEST: a minimal busybox root filesystem.
build_rootfs() {
	local rootfs="$1"
	mkdir -p "$rootfs"/{bin,proc,sys,dev,tmp,etc,root,home/user}
	chmod 1777 "$rootfs/tmp"
	chmod 0700 "$rootfs/root"
	chown 1000:1000 "$rootfs/home/user"
	install_busybox "$rootfs"
	write_etc_files "$rootfs"
}

# cached_rootfs DEST: copy the cached rootfs to DEST, building the cache once.
# A lock keeps parallel bats jobs from building it twice.
cached_rootfs() {
	local dest="$1" cache="$OCIRUN_ROOTFS_CACHE"
	mkdir -p "$cache"
	(
		flock 9
		if [[ ! -e "$cache/ready" ]]; then
			rm -rf "$cache/rootfs"
			build_rootfs "$cache/rootfs"
			touch "$cache/ready"
		fi
	) 9>"$cache/lock"
	cp -a "$cache/rootfs" "$dest"
}

# write_config BUNDLE ID ARG...: `$OCIRUN spec` patched for the tests.
write_config() {
	local bundle="$1" id="$2"
	shift 2
	(cd "$bundle" && "$OCIRUN" spec) || die "$OCIRUN spec failed in $bundle"
	# The "--" stops jq from reading a "-c" among the args as its own flag.
	jq --arg cg "/ocirun-test-$id" \
		'.process.terminal = false
		 | .process.args = $ARGS.positional
		 | .linux.cgroupsPath = $cg' \
		"$bundle/config.json" --args -- "$@" >"$bundle/config.json.new"
	mv "$bundle/config.json.new" "$bundle/config.json"
}

main() {
	local id="bundle-$$-$RANDOM"
	while getopts "i:" opt; do
		case "$opt" in
		i) id="$OPTARG" ;;
		*) usage ;;
		esac
	done
	shift $((OPTIND - 1))
	[[ $# -ge 1 ]] || usage
	local bundle="$1"
	shift
	[[ $# -ge 1 ]] || set -- sh

	[[ -e "$bundle/config.json" ]] && die "$bundle/config.json already exists"
	mkdir -p "$bundle"
	: "${OCIRUN_ROOTFS_CACHE:=${BATS_RUN_TMPDIR:+$BATS_RUN_TMPDIR/rootfs-cache}}"
	if [[ -n "$OCIRUN_ROOTFS_CACHE" ]]; then
		cached_rootfs "$bundle/rootfs"
	else
		build_rootfs "$bundle/rootfs"
	fi
	write_config "$bundle" "$id" "$@"
}

main "$@"
