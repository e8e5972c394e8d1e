#!/usr/bin/env bash
# Install the Debian packages the e2e tier needs, only when one is missing
# (the package lists are refreshed only then). Debian's policy-rc.d keeps the
# containerd package from starting a daemon of its own; the tests start their
# own containerd with a private config.
set -euo pipefail

PACKAGES=(containerd umoci busybox-static jq bats bsdutils procps util-linux)

missing=()
for pkg in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
	exit 0
fi
echo "e2e: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
