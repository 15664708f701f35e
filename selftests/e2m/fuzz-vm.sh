#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make fuzz-kernel, inside the test VM: loads the debug module, runs the
# netlink fuzzer under traffic (nlfuzz.sh) for SECONDS, unloads the module.
# run.sh then judges the kernel log (splats, "e2m: leak").
# usage: fuzz-vm.sh SECONDS [SEED]
set -u
cd "$(dirname "$0")/../.."

export E2M_KO=build/kmod/${E2M_KVER:?not in the test VM}-debug/e2m.ko
selftests/lib/load-module.sh "$E2M_KO" || { echo "Bail out! $E2M_KO does not load"; exit 1; }
selftests/e2m/nlfuzz.sh "$@"
rc=$?
rmmod e2m || rc=1
exit $rc
