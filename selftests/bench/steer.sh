#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What receive steering (rx-cpus, kernel/steer.h) changes, in one boot:
# rounds of datapath.sh's e2m, xfrm and gtp.c paths at 64 and 1400 octets,
# e2m three ways, alternating within each round:
#   e2m        steering off (datapath.sh's e2m)
#   e2m-all    the gateway's rx-cpus every CPU: the flow's TEID picks one
#   e2m-other  the sender pinned to CPU 0 and rx-cpus 1, as an operator
#              sets it (the CPUs that take the NIC's interrupts, here the
#              sender's, out of the set)
# and xfrm and gtp.c as datapath.sh runs them and with the sender pinned
# to CPU 0 as for e2m-other (xfrm-pinned, gtp-pinned), for the issue's
# ratios against the better of each peer's two placements. Prints the
# best of each, each steered way / off per round with the median, and
# e2m / xfrm and e2m / min(gtp.c, raw crypto) for each way.
#
# usage: steer.sh RELEASE-KO DEBUG-KO
set -u
cd "$(dirname "$0")/../.."

release_ko=$1
debug_ko=$2
. selftests/lib/prologue.sh
GTP_PDP=${GTP_PDP:-$PWD/build/selftests/gtp-pdp}
SECONDS_PER_RUN=${E2M_BENCH_SECONDS:-5}
ROUNDS=${E2M_BENCH_ROUNDS:-3}
. selftests/bench/lib.sh

last_cpu=$(( $(nproc) - 1 ))
crypto_rate "$debug_ko" > /tmp/steer.txt
setup_paths "$release_ko" || exit 1
for round in $(seq "$ROUNDS"); do
	for size in 64 1400; do
		run e2m 192.168.100.1 $size
		hse "$E2MCTL" set e2m0 rx-cpus 0-$last_cpu
		run e2m-all 192.168.100.1 $size
		hse "$E2MCTL" set e2m0 rx-cpus 1
		CPU_UE=(taskset -c 0)
		run e2m-other 192.168.100.1 $size
		run xfrm-pinned 192.168.200.1 $size
		run gtp-pinned 192.168.150.1 $size
		CPU_UE=()
		hse "$E2MCTL" set e2m0 rx-cpus off
		run xfrm 192.168.200.1 $size
		run gtp 192.168.150.1 $size
	done
	echo "round $round"
done >> /tmp/steer.txt
hse "$E2MCTL" show e2m0 | head -3
cat /tmp/steer.txt

PYTHONPATH=selftests/bench /usr/bin/python3 -B - /tmp/steer.txt <<'PY'
import statistics, sys
import rounds as bench
rounds, crypto, best = bench.read(sys.argv[1])
for s in (64, 1400):
    gtp = max(best.get(("gtp", s), 0), best.get(("gtp-pinned", s), 0))
    xfrm = max(best.get(("xfrm", s), 0), best.get(("xfrm-pinned", s), 0)) or 1
    bound = min(gtp or float("inf"), crypto.get(s, float("inf")))
    print("%d octets: best pps %s" % (s, " ".join(
        "%s %.0f" % (p, best.get((p, s), 0))
        for p in ("e2m", "e2m-all", "e2m-other", "xfrm", "xfrm-pinned",
                  "gtp", "gtp-pinned"))))
    def goal(ratio, want):
        return "%.2f (goal %.1f, %s)" % (ratio, want,
                                         "met" if ratio >= want else "not met")
    for p in ("e2m", "e2m-all", "e2m-other"):
        per = [r[(p, s)] / r[("e2m", s)] for r in rounds
               if r.get(("e2m", s)) and (p, s) in r]
        print("  %-9s / off per round %s (median %.2f); / xfrm %s, / min(gtp.c, raw crypto) %s" % (
            p, " ".join("%.2f" % x for x in per), statistics.median(per),
            goal(best.get((p, s), 0) / xfrm, 1.5),
            goal(best.get((p, s), 0) / bound, 0.8)))
PY
