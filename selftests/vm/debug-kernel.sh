#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the debug kernel of the test VM from Debian's linux-source-6.1 with
# selftests/vm/debug.config (allnoconfig plus that fragment: KASAN, KFENCE,
# lockdep, kmemleak, ...), and caches it under build/linux-debug/:
#
#   src/            the extracted source
#   obj/            the build tree: KDIR for the module (make KVER=debug)
#   root/lib/modules/RELEASE/   modules.builtin etc., which the VM's
#                   modprobe reads (selftests/vm/init mounts it)
#   kernelrelease   RELEASE, e.g. 6.1.158-e2m-debug (kver.sh debug)
#   key             what the cached build was made from
#
# The key is the source package's version and this script and the fragment:
# when it matches, nothing runs; when the fragment changed, kbuild rebuilds
# what the change touches; a new source version starts over. The build runs
# niced (it shares the machine with the agent's suites in make check).
#
# usage: debug-kernel.sh [--key]   (--key: print the wanted key and exit)
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
out=$repo/build/linux-debug
fragment=$here/debug.config
tarball=${LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
jobs=${E2M_KERNEL_JOBS:-$(nproc)}

source_version() {
	dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null ||
		stat -c '%s %Y' "$tarball"
}
key=$( { echo "linux-source-6.1 $(source_version)"; cat "$0" "$fragment"; } |
	sha256sum | cut -d' ' -f1)
if [ "${1:-}" = --key ]; then
	echo "$key"
	exit 0
fi
if [ -s "$out/key" ] && [ "$(cat "$out/key")" = "$key" ] &&
   [ -e "$out/obj/arch/x86/boot/bzImage" ]; then
	exit 0
fi
if [ ! -e "$tarball" ]; then
	echo "debug-kernel: no $tarball (make deps installs linux-source-6.1)" >&2
	exit 1
fi

# phase NAME: notes how long the phase before it took (make check's log
# shows where the build's minutes go).
phase_start=$SECONDS
phase() {
	echo "# debug-kernel: $1 took $((SECONDS - phase_start))s"
	phase_start=$SECONDS
}

mkdir -p "$out"
rm -f "$out/key"
version=$(source_version)
if [ "$(cat "$out/source-version" 2>/dev/null)" != "$version" ]; then
	rm -rf "$out/src" "$out/obj" "$out/root"
	mkdir -p "$out/src"
	nice -n 10 tar -xJf "$tarball" -C "$out/src" --strip-components=1
	echo "$version" > "$out/source-version"
	phase "extracting the source"
fi

kmake() {
	nice -n 10 make -s -C "$out/src" O="$out/obj" -j"$jobs" "$@"
}
mkdir -p "$out/obj"
kmake KCONFIG_ALLCONFIG="$fragment" allnoconfig >/dev/null

# Every line of the fragment must have come through: an option whose
# dependencies are off silently stays off in allnoconfig.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) want=$line ;;
	"# CONFIG_"*" is not set") want=$line ;;
	*) continue ;;
	esac
	if ! grep -qxF "$want" "$out/obj/.config"; then
		echo "debug-kernel: $want did not hold in .config" >&2
		missing=1
	fi
done < "$fragment"
[ $missing = 0 ] || exit 1
phase "configuring"

kmake
phase "building"
rm -rf "$out/root"
kmake INSTALL_MOD_PATH="$out/root" modules_install >/dev/null
kmake -s kernelrelease > "$out/kernelrelease"
echo "$key" > "$out/key"
