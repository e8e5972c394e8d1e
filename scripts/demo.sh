#!/usr/bin/env bash
# Demo: build a busybox bundle and run one container that prints what it
# sees from inside (hostname, processes, cgroups, mounts, identity).
#
# Usage: scripts/demo.sh         (as root; OCIRUN overrides the binary)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OCIRUN="${OCIRUN:-$REPO_ROOT/bin/ocirun}"
# A relative path would break once we cd (e.g. into the bundle).
[[ "$OCIRUN" != */* || "$OCIRUN" == /* ]] || OCIRUN="$PWD/$OCIRUN"
export OCIRUN

ID="ocirun-demo-$$"
WORKDIR=""

# cleanup: delete the container (even if the run failed half-way), then
# remove the state root and bundle; check the cgroups went with it.
cleanup() {
	[[ -n "$WORKDIR" ]] || return 0
	"$OCIRUN" --root "$WORKDIR/state" delete --force "$ID" >/dev/null 2>&1 || true
	rm -rf "$WORKDIR"
	local dir
	for dir in /sys/fs/cgroup/*/"ocirun-test-$ID"; do
		[[ -d "$dir" ]] || continue
		echo "demo: warning: cgroup $dir left behind, removing it" >&2
		rmdir "$dir" 2>/dev/null || true
	done
}

# The container's program: each section is one look at the sandbox.
demo_program() {
	cat <<-'PROGRAM'
		echo "== hostname";          hostname
		echo "== ps (I am PID 1)";   ps -o pid,user,comm
		echo "== /proc/self/cgroup"; cat /proc/self/cgroup
		echo "== mounts";            mount
		echo "== id";                id
	PROGRAM
}

main() {
	[[ "$(id -u)" -eq 0 ]] || { echo "demo: run as root" >&2; exit 1; }
	[[ -x "$OCIRUN" ]] || { echo "demo: $OCIRUN not found (run 'make build')" >&2; exit 1; }
	WORKDIR="$(mktemp -d /tmp/ocirun-demo.XXXXXX)"
	trap cleanup EXIT
	trap 'exit 130' INT TERM

	"$REPO_ROOT/tests/integration/build-bundle.sh" -i "$ID" "$WORKDIR/bundle" \
		sh -c "$(demo_program)"
	jq '.hostname = "ocirun-demo"' "$WORKDIR/bundle/config.json" >"$WORKDIR/config.json"
	mv "$WORKDIR/config.json" "$WORKDIR/bundle/config.json"

	echo "demo: running container $ID with $OCIRUN"
	"$OCIRUN" --root "$WORKDIR/state" run --bundle "$WORKDIR/bundle" "$ID"
	echo "demo: container exited with status 0"
}

main "$@"
