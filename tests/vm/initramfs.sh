# shellcheck shell=bash
# The VM's initramfs (sourced by run.sh): the host's own bash, coreutils,
# bats, jq... with their shared libraries, busybox for the rest, the
# runtime under test, the repo's tests/ and /init. It stays uncompressed:
# under TCG, decompressing costs more than reading the bigger image.

# Debian packages whose programs the suite runs inside the VM (as on the
# host, so that a test behaves the same in both places; busybox applets
# differ in options and output).
GUEST_PACKAGES=(bash coreutils grep sed mawk findutils diffutils util-linux mount procps jq bpftool)
# Programs reached through Debian's alternatives, not listed by any package.
GUEST_EXTRA_COMMANDS=(awk)
# Where the prebuilt rootfs of the suite's bundles lives in the VM.
GUEST_ROOTFS_CACHE=/var/cache/ocirun-rootfs
# Under emulation everything takes many times longer than on the host:
# the per-command and per-test timeouts are scaled to match.
GUEST_OCIRUN_TIMEOUT="${VM_OCIRUN_TIMEOUT:-90}"
GUEST_BATS_TEST_TIMEOUT="${VM_BATS_TEST_TIMEOUT:-300}"
# bats: its front end and the lib/libexec trees it sources.
GUEST_BATS_PATHS=(/usr/bin/bats /usr/lib/bats-core /usr/libexec/bats-core)

# stage_layout STAGE: Debian's merged /usr, so paths printed by ldd and
# dpkg (/lib/..., /bin/...) land where the loader and scripts look.
stage_layout() {
	local stage="$1" d
	mkdir -p "$stage"/usr/{bin,sbin,lib,lib64} "$stage"/{proc,sys,dev,tmp,run,root,etc/vm,newroot,opt/runtime,repo/bin}
	for d in bin sbin lib lib64; do
		ln -s "usr/$d" "$stage/$d"
	done
	chmod 1777 "$stage/tmp"
	# The kernel opens /dev/console for /init before anything is mounted.
	mknod -m 600 "$stage/dev/console" c 5 1
}

# package_programs PKG...: the executables the packages install in a bin
# directory.
package_programs() {
	dpkg -L "$@" | grep -E '^(/usr)?/s?bin/[^/]+$' | merged_usr | sort -u | while read -r f; do
		[[ -f "$f" && -x "$f" ]] && echo "$f"
	done
}

# shared_libraries FILE...: every library (and the loader) ldd names, from
# one ldd call (one per file costs seconds on a busy machine).
shared_libraries() {
	ldd "$@" 2>/dev/null |
		awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $1 !~ /:$/ {print $1}' |
		merged_usr | sort -u
}

# merged_usr: /lib/x and /usr/lib/x are one file on Debian; name each once
# (cp refuses to copy a file twice in one call).
merged_usr() {
	sed -E 's#^/(bin|sbin|lib|lib64)/#/usr/\1/#'
}

# stage_programs STAGE FILE...: programs plus their libraries, each at its
# own path with symlinks followed (the stage's lib -> usr/lib does the
# rest).
stage_programs() {
	local stage="$1"
	shift
	cp -L --parents -t "$stage" "$@"
	stage_libraries "$stage" "$@"
}

# stage_libraries STAGE FILE...: only the libraries FILE... need.
stage_libraries() {
	local stage="$1" libs=()
	shift
	mapfile -t libs < <(shared_libraries "$@")
	[[ ${#libs[@]} -eq 0 ]] || cp -L --parents -t "$stage" "${libs[@]}"
}

# stage_system STAGE: bash, bats, coreutils... and busybox, whose applets
# /init installs last in PATH for every other command.
stage_system() {
	local stage="$1" programs=() cmd p
	mapfile -t programs < <(package_programs "${GUEST_PACKAGES[@]}")
	for cmd in "${GUEST_EXTRA_COMMANDS[@]}"; do
		programs+=("$(command -v "$cmd")")
	done
	stage_programs "$stage" "${programs[@]}"
	# bats is a bash program: its front end plus its lib/libexec trees.
	for p in "${GUEST_BATS_PATHS[@]}"; do
		mkdir -p "$stage$(dirname "$p")"
		cp -a "$p" "$stage$(dirname "$p")/"
	done
	cp -L --parents -t "$stage" /etc/ld.so.cache
	cp /bin/busybox "$stage/usr/bin/busybox"
}

# stage_etc STAGE: the few files programs look up (users for `id`, ps).
stage_etc() {
	local stage="$1"
	printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$stage/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"
	echo ocirun-vm >"$stage/etc/hostname"
}

# stage_modules STAGE: the modules /init loads, and their dependencies,
# as an ordered list of insmod lines (dependencies first) in
# /etc/vm/modules. Kernel modules are named in VM_MODULES ("name args").
stage_modules() {
	local stage="$1" version dep_file spec name args
	version="$(cat "$KERNEL_DIR/version")"
	dep_file="$KERNEL_DIR/lib/modules/$version/modules.dep"
	: >"$stage/etc/vm/modules"
	declare -A staged=()
	for spec in "${VM_MODULES[@]}"; do
		read -r name args <<<"$spec"
		stage_module "$stage" "$version" "$dep_file" "$name" "$args"
	done
}

# stage_module STAGE VERSION DEP_FILE NAME ARGS: NAME after its
# dependencies (modules.dep lists them all, transitively).
stage_module() {
	local stage="$1" version="$2" dep_file="$3" name="$4" args="$5" line rel dep
	line="$(grep -m 1 -E "(^|/)${name//-/[-_]}\.ko:" "$dep_file" || true)"
	[[ -n "$line" ]] || die "kernel $version has no module $name (built in? check $KERNEL_DIR/config)"
	rel="${line%%:*}"
	[[ -z "${staged[$rel]:-}" ]] || return 0
	for dep in ${line#*:}; do
		stage_module "$stage" "$version" "$dep_file" "$(basename "$dep" .ko)" ""
	done
	staged[$rel]=1
	mkdir -p "$stage/lib/modules/$version/$(dirname "$rel")"
	cp "$KERNEL_DIR/lib/modules/$version/$rel" "$stage/lib/modules/$version/$rel"
	echo "/lib/modules/$version/$rel $args" >>"$stage/etc/vm/modules"
}

# stage_payload STAGE: what is under test: the runtime (keeping its base
# name: the suite skips ocirun-only checks for "runc"), recvtty, tests/.
stage_payload() {
	local stage="$1"
	stage_libraries "$stage" "$OCIRUN" "$RECVTTY"
	cp -L "$OCIRUN" "$stage/opt/runtime/$(basename "$OCIRUN")"
	cp -L "$RECVTTY" "$stage/repo/bin/recvtty"
	cp -a "$REPO_ROOT/tests" "$stage/repo/"
	cp "$VM_DIR/init" "$stage/init"
	chmod 0755 "$stage/init"
}

# stage_rootfs_cache STAGE: the suite's busybox rootfs, built here once.
# Built inside the VM it costs a fork per applet link: half a minute of
# emulated time.
stage_rootfs_cache() {
	local stage="$1"
	OCIRUN="$OCIRUN" OCIRUN_ROOTFS_CACHE="$stage$GUEST_ROOTFS_CACHE" \
		"$REPO_ROOT/tests/integration/build-bundle.sh" "$WORK/rootfs-probe" >/dev/null
	rm -rf "$WORK/rootfs-probe"
}

# stage_config STAGE: the run's parameters, sourced by /init.
stage_config() {
	local stage="$1"
	{
		printf 'OCIRUN=%q\n' "/opt/runtime/$(basename "$OCIRUN")"
		printf 'OCIRUN_ROOTFS_CACHE=%q\n' "$GUEST_ROOTFS_CACHE"
		printf 'OCIRUN_TIMEOUT=%q\n' "$GUEST_OCIRUN_TIMEOUT"
		printf 'BATS_TEST_TIMEOUT=%q\n' "$GUEST_BATS_TEST_TIMEOUT"
		printf 'BATS_FILES=(%s)\n' "$(printf '%q ' "${BATS_FILES[@]}")"
		printf 'BATS_FILTER=%q\n' "${VM_BATS_FILTER:-}"
	} >"$stage/etc/vm/config"
}

# build_initramfs OUT: the whole image as one uncompressed newc cpio.
build_initramfs() {
	local out="$1" stage="$WORK/stage"
	rm -rf "$stage"
	stage_layout "$stage"
	stage_system "$stage"
	stage_etc "$stage"
	stage_modules "$stage"
	stage_payload "$stage"
	stage_rootfs_cache "$stage"
	stage_config "$stage"
	(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) >"$out"
}
