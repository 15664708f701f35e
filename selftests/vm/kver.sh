#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Resolves a kernel series (6.1, 6.12) or a full release to the newest
# installed Debian kernel release of it, e.g. 6.1 -> 6.1.0-56-amd64.
# "default" is the running kernel if its headers are installed (a real
# gateway host), otherwise the newest Debian 6.1 kernel (the test VM).
# "debug" is the test VM's debug kernel (selftests/vm/debug-kernel.sh), if
# it was built.
set -euo pipefail
want=${1:-default}
debug_release=$(dirname "$(readlink -f "$0")")/../../build/linux-debug/kernelrelease
if [ "$want" = debug ] ||
   { [ -s "$debug_release" ] && [ "$want" = "$(cat "$debug_release")" ]; }; then
	if [ ! -s "$debug_release" ]; then
		echo "kver: the debug kernel is not built (selftests/vm/debug-kernel.sh)" >&2
		exit 1
	fi
	cat "$debug_release"
	exit 0
fi
if [ "$want" = default ]; then
	if [ -d "/lib/modules/$(uname -r)/build" ]; then
		uname -r
		exit 0
	fi
	want=6.1
fi
if [ -e "/boot/vmlinuz-$want" ]; then
	echo "$want"
	exit 0
fi
found=$(ls /boot/vmlinuz-"$want".* 2>/dev/null | sed 's|^/boot/vmlinuz-||' |
	grep -E "^$want\.[0-9]" | sort -V | tail -n 1)
if [ -z "$found" ]; then
	echo "kver: no installed kernel for $want" >&2
	exit 1
fi
echo "$found"
