#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel test suites, run inside the test VM (selftests/vm/run.sh) from
# the top of the e2m tree. Uses the debug module built for the VM's kernel.
# Prints TAP; exits non-zero if any suite failed.
set -u

ko=build/kmod/${E2M_KVER:?not in the test VM}-debug/e2m.ko
failed=0

suite() {
	echo "# suite: $*"
	"$@" || failed=1
}

suite selftests/e2m/module.sh "$ko"
suite build/selftests/keys
suite build/selftests/netlink
export E2M_KO=$ko
suite selftests/e2m/datapath.sh
suite selftests/e2m/hse.sh
suite selftests/e2m/best.sh
suite selftests/e2m/crypto.sh
rmmod e2m || failed=1
exit $failed
