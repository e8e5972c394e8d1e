# shellcheck shell=bash
# The VM's kernel (sourced by run.sh): Debian's generic kernel, fetched once
# into the cache. The generic flavour, not -cloud-amd64: only the generic
# one builds the modules we load (overlay, brd). Nothing is installed in
# /boot; the package is only unpacked.

# kernel_abi_package: the versioned package linux-image-amd64 points at
# today (e.g. linux-image-6.1.0-56-amd64). The ABI number moves with
# security updates, so it is resolved, never written down.
kernel_abi_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ {print $2; exit}'
}

# resolve_kernel_package: the ABI package, refreshing the package lists
# once when apt knows none (a fresh machine).
resolve_kernel_package() {
	local pkg
	pkg="$(kernel_abi_package)"
	if [[ -z "$pkg" ]]; then
		apt_update_once
		pkg="$(kernel_abi_package)"
	fi
	echo "$pkg"
}

# cached_kernel_dir: the newest complete kernel in the cache, for when apt
# cannot tell the current one (offline).
cached_kernel_dir() {
	local ready
	ready="$(find "$VM_CACHE" -mindepth 2 -maxdepth 2 -path '*/linux-image-*/ready' 2>/dev/null | sort -V | tail -n 1)"
	[[ -n "$ready" ]] && dirname "$ready"
}

# extract_vmlinux BZIMAGE OUT: the uncompressed ELF kernel inside a
# bzImage. qemu boots an ELF with a PVH note directly, which skips the
# decompressor: about 3 s less per boot under TCG.
extract_vmlinux() {
	local bzimage="$1" out="$2" offset
	# The payload is an .xz stream; its magic is FD 37 7A 58 5A 00.
	offset="$(LC_ALL=C grep -m 1 -obUaP '\xfd7zXZ\x00' "$bzimage" | cut -d: -f1 || true)"
	[[ -n "$offset" ]] || die "no xz payload in $bzimage"
	# The bzImage continues after the stream: decompress only the first one
	# (xz stops reading early, so no pipe: tail's SIGPIPE is no failure).
	xz -dc --single-stream >"$out" < <(tail -c +"$((offset + 1))" "$bzimage") ||
		die "cannot decompress the kernel in $bzimage"
	[[ "$(head -c 4 "$out" | od -An -c | tr -d ' ')" == 177ELF ]] ||
		die "$out is not an ELF kernel"
}

# unpack_kernel PKG DIR: download PKG and keep what the VM boots: vmlinux,
# the config (for reference) and the module tree with a modules.dep (the
# .deb has none: busybox depmod makes it).
unpack_kernel() {
	local pkg="$1" dir="$2" tmp version
	rm -rf "$VM_CACHE"/download.* # an interrupted earlier download
	tmp="$(mktemp -d "$VM_CACHE/download.XXXXXX")"
	echo "vm: fetching $pkg (once; cached in $dir)"
	# apt downloads as _apt where it can: let it write here.
	chmod 0755 "$tmp"
	(cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
		(apt_update_once && cd "$tmp" && apt-get download -q "$pkg" >/dev/null) ||
		die "apt-get download $pkg failed"
	dpkg -x "$tmp"/"$pkg"_*.deb "$tmp/root"
	version="${pkg#linux-image-}"
	rm -rf "$dir"
	mkdir -p "$dir"
	extract_vmlinux "$tmp/root/boot/vmlinuz-$version" "$dir/vmlinux"
	cp "$tmp/root/boot/config-$version" "$dir/config"
	mkdir -p "$dir/lib/modules"
	mv "$tmp/root/lib/modules/$version" "$dir/lib/modules/"
	busybox depmod -b "$dir" "$version" || die "depmod for $version failed"
	echo "$version" >"$dir/version"
	rm -rf "$tmp"
	touch "$dir/ready"
}

# fetch_kernel: sets KERNEL_DIR (vmlinux, lib/modules/VERSION, version),
# downloading the current kernel when the cache lacks it. Older kernels in
# the cache are removed once a newer one is ready.
fetch_kernel() {
	local pkg dir old
	pkg="$(resolve_kernel_package)"
	if [[ -z "$pkg" ]]; then
		KERNEL_DIR="$(cached_kernel_dir)" ||
			die "cannot resolve linux-image-amd64 (apt-cache depends) and no kernel is cached in $VM_CACHE"
		echo "vm: apt has no kernel package; using the cached $(basename "$KERNEL_DIR")"
		return
	fi
	dir="$VM_CACHE/$pkg"
	[[ -e "$dir/ready" ]] || unpack_kernel "$pkg" "$dir"
	for old in "$VM_CACHE"/linux-image-*; do
		[[ "$old" == "$dir" || ! -d "$old" ]] || rm -rf "$old"
	done
	KERNEL_DIR="$dir"
}
