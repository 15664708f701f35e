#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel test suites, run inside the test VM (selftests/vm/run.sh) from
# the top of the e2m tree. Uses the debug module built for the VM's kernel.
# Prints TAP; exits non-zero if any suite failed.
set -u

ko=build/kmod/${E2M_KVER:?not in the test VM}-debug/e2m.ko
failed=0

# suite COMMAND...: runs one suite, then says how long it took (TAP comments;
# check.sh's log shows where the minutes go).
suite() {
	local start=$SECONDS
	echo "# suite: $*"
	"$@" || failed=1
	echo "# suite took $((SECONDS - start))s: $1"
}

# On the debug kernel: what kmemleak found before the suites is not theirs.
selftests/vm/kmemleak.sh start
suite selftests/e2m/module.sh "$ko"
suite build/selftests/keys
suite build/selftests/netlink
export E2M_KO=$ko
suite selftests/e2m/datapath.sh
suite selftests/e2m/reconfig.sh
suite selftests/e2m/hse.sh
suite selftests/e2m/best.sh
suite selftests/e2m/crypto.sh
# The netlink fuzzer under traffic, bounded (make fuzz-kernel runs it longer).
suite selftests/e2m/nlfuzz.sh "${E2M_FUZZ_SECONDS:-60}"
rmmod e2m || failed=1
# 10 of each here: 100 take about 45 minutes a kernel in TCG (make cycles).
E2M_CYCLES=${E2M_CYCLES:-10} suite selftests/e2m/cycles.sh "$ko"
rmmod e2m || failed=1
# After the unload: anything of e2m's still allocated and unreferenced.
suite selftests/vm/kmemleak.sh check
exit $failed
