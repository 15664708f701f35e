#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What RPS on the receiving veth changes, for every path of datapath.sh, in
# one boot: rounds of veth, gtp.c, xfrm and e2m at 64 and 1400 octets,
# each round once as datapath.sh runs them (one CPU does both ends' work)
# and once with the ends apart (rps_split on, lib.sh: sender on CPU 0,
# receiver through RPS on CPU 1), alternating. Prints the best of each,
# the ratio split / shared of every round with its median, and issue 17's
# two ratios both ways (the raw crypto rate is one CPU's either way).
#
# usage: rps.sh RELEASE-KO DEBUG-KO
set -u
cd "$(dirname "$0")/../.."

release_ko=$1
debug_ko=$2
. selftests/lib/prologue.sh
GTP_PDP=${GTP_PDP:-$PWD/build/selftests/gtp-pdp}
SECONDS_PER_RUN=${E2M_BENCH_SECONDS:-5}
ROUNDS=${E2M_BENCH_ROUNDS:-2}
. selftests/bench/lib.sh

crypto_rate "$debug_ko" > /tmp/rps.txt
setup_paths "$release_ko" || exit 1
for round in $(seq "$ROUNDS"); do
	for mode in off on; do
		rps_split $mode
		for size in 64 1400; do
			run veth-$mode 10.0.0.2 $size
			run e2m-$mode 192.168.100.1 $size
			run xfrm-$mode 192.168.200.1 $size
			run gtp-$mode 192.168.150.1 $size
		done
	done
	echo "round $round"
done >> /tmp/rps.txt
rps_split off
cat /tmp/rps.txt

PYTHONPATH=selftests/bench /usr/bin/python3 -B - /tmp/rps.txt <<'PY'
import statistics, sys
import rounds as bench
rounds, crypto, best = bench.read(sys.argv[1])
paths = ("veth", "gtp", "xfrm", "e2m")
print("%-6s %6s %12s %12s  %s" % ("path", "size", "shared pps", "split pps",
                                  "split/shared per round (median)"))
for s in (64, 1400):
    for p in paths:
        rs = [r[(p + "-on", s)] / r[(p + "-off", s)] for r in rounds
              if r.get((p + "-off", s))]
        print("%-6s %6d %12.0f %12.0f  %s (%.2f)" % (
            p, s, best.get((p + "-off", s), 0), best.get((p + "-on", s), 0),
            " ".join("%.2f" % x for x in rs), statistics.median(rs)))
for mode, what in (("off", "shared"), ("on", "split")):
    for s in (64, 1400):
        e = best[("e2m-" + mode, s)]
        bound = min(best[("gtp-" + mode, s)], crypto.get(s, float("inf")))
        print("%s %4d: e2m/xfrm %.2f, e2m/min(gtp.c, raw crypto) %.2f" % (
            what, s, e / best[("xfrm-" + mode, s)], e / bound))
PY
ip netns del ue
ip netns del hse
keyctl clear @u > /dev/null
