#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kmemleak in the test VM's debug kernel (selftests/vm/debug.config).
#
#   kmemleak.sh start   scans and forgets what it found: what boot and the
#                       host's tools left is not the suites' business
#   kmemleak.sh check   scans twice (an object is reported when it stayed
#                       unreferenced and unchanged across two scans) and
#                       fails if an unreferenced object was allocated by
#                       e2m: a backtrace through [e2m], or through an
#                       address no symbol covers (e2m is the only module of
#                       that kernel: after its unload that is e2m's code).
#                       Those are printed as TAP comments and written to
#                       the kernel log, which selftests/vm/run.sh then
#                       judges; others are counted only.
set -u
leaks=/sys/kernel/debug/kmemleak
if [ ! -w "$leaks" ]; then
	echo "# kmemleak: not in this kernel"
	exit 0
fi

case "${1:-}" in
start)
	echo scan > "$leaks"
	echo clear > "$leaks"
	;;
check)
	# Objects younger than 5 s are never reported.
	sleep 6
	echo scan > "$leaks"
	sleep 1
	echo scan > "$leaks"
	report=$(awk '
		/^unreferenced object/ { if (obj != "") emit(); obj = $0 "\n"; mine = 0; next }
		{ obj = obj $0 "\n" }
		/\[e2m\]$/ || /\] 0x[0-9a-f]+$/ { mine = 1 }
		function emit() { if (mine) { printf "%s", obj; n++ } else others++ }
		END {
			if (obj != "") emit()
			printf "%d unreferenced object(s) not of e2m, not judged\n", others
		}' "$leaks")
	sed 's/^/# kmemleak: /' <<< "$report"
	if grep -q '^unreferenced object' <<< "$report"; then
		grep '^unreferenced object' <<< "$report" | sed 's/^/kmemleak: e2m /' > /dev/kmsg
		exit 1
	fi
	;;
*)
	echo "usage: kmemleak.sh start|check" >&2
	exit 2
	;;
esac
