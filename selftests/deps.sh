#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs what building and testing e2m needs on Debian 12, as root.
# Idempotent and quick when everything is there: apt runs only for what is
# missing, and `apt-get update` only then.
set -euo pipefail

packages=(
	# build
	build-essential pkg-config kmod
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	libssl-dev libnl-3-dev libnl-genl-3-dev libkeyutils-dev
	libsqlite3-dev libpq-dev libxml2-dev libjansson-dev libevent-dev libyaml-dev
	libsystemd-dev
	# kernel static checks, kselftest headers, checkpatch
	sparse linux-source-6.1 perl python3
	# the debug kernel of the test VM (selftests/vm/debug-kernel.sh)
	flex bison bc libelf-dev
	# the test VM and what runs inside it
	qemu-system-x86 busybox-static cpio xz-utils zstd file
	keyutils iproute2 procps iputils-ping tshark iperf3 ethtool
	# the agent's daemon tests: TLS certificates and HTTPS requests, the
	# systemd units (systemd-analyze)
	openssl curl jq systemd
	# PostgreSQL, the store engine for several instances: its tests run
	# a throwaway cluster (agent/tests/pg_test.sh)
	postgresql
	# osmo-hlr, the HLR the BSF takes vectors from over GSUP
	# (agent/tests/gsup_test.sh)
	osmo-hlr
	# promtool, which checks e2md's metrics (agent/tests/metrics_test.sh)
	prometheus
	# the man pages: scdoc makes them, man and groff check them
	scdoc man-db groff-base bsdextrautils
	# the packages: make deb, lintian, DKMS builds of the packaged module
	debhelper dh-dkms dkms lintian
	# userspace sanitizers
	clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages (run as root to install): ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
