#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Data path benchmark, run in the test VM with the (non-debug) module loaded:
# iperf3 UDP from "ue" to "hse" over one veth, one flow, at 64 and 1400 octets
# of payload, through
#   veth   plain forwarding, no tunnel
#   e2m    e2m, 128-NEA2 + 128-NIA2 in GTP-U
#   xfrm   ESP tunnel with rfc3686(ctr(aes)) + cmac(aes), the same primitives
#   gtp    the kernel's gtp.c, GTP-U forwarding without protection
# and prints packets/s and Mbit/s delivered, and the ratios against issue
# 17's goals, at each size:
#   e2m / xfrm                        goal >= 1.5
#   e2m / min(gtp.c, raw crypto)      goal >= 0.8
# the second against the lower of the two bounds e2m cannot pass: GTP-U
# forwarding without protection (gtp.c) and the crypto alone on one CPU.
# Numbers from one run (one boot) are comparable with each other only.
#
# Then one more e2m run at each size under perf (software clock, call
# chains, the whole VM, only while the iperf3 client runs), skipped if the
# VM has no perf: build/bench/e2m-flame-SERIES-SIZE.svg, its folded stacks
# (.folded), and the top functions by self time without the idle loop
# (selftests/bench/flamegraph.py).
#
# E2M_BENCH_SPLIT=1 runs every path with its two ends on a vCPU each
# (rps_split, lib.sh), as between two hosts; selftests/bench/rps.sh
# measures what that changes (Documentation/testing.md: not the default).
#
# usage: datapath.sh RELEASE-KO DEBUG-KO
# The debug module is loaded first, alone, to measure the raw crypto rate of
# one CPU (crypto_rate=1): the ceiling for any protected path.
set -u
cd "$(dirname "$0")/../.."

release_ko=$1
debug_ko=$2
. selftests/lib/prologue.sh
GTP_PDP=${GTP_PDP:-$PWD/build/selftests/gtp-pdp}
SECONDS_PER_RUN=${E2M_BENCH_SECONDS:-5}
ROUNDS=${E2M_BENCH_ROUNDS:-2}
. selftests/bench/lib.sh

crypto_rate "$debug_ko" > /tmp/bench.txt
have_gtp=0
setup_paths "$release_ko" && have_gtp=1
[ "${E2M_BENCH_SPLIT:-0}" = 1 ] && rps_split on
# Rounds of every path, interleaved, the best of each kept: what else runs
# on the host slows a run down, never speeds it up.
for round in $(seq "$ROUNDS"); do
	for size in 64 1400; do
		run veth 10.0.0.2 $size
		run e2m 192.168.100.1 $size
		run xfrm 192.168.200.1 $size
		[ $have_gtp = 1 ] && run gtp 192.168.150.1 $size
	done
done >> /tmp/bench.txt
hse "$E2MCTL" show e2m0 > /tmp/bench-e2m.txt 2>&1
rps_split off	# the profile as datapath.sh always took it

# profile SIZE: the e2m run again under perf, for its flame graph. The
# shares of these functions with their callees are printed too: e2m's
# transmit and receive, its crypto, the veth and UDP under and above it.
PROFILE_FUNCTIONS=e2m_xmit,e2m_receive,e2m_pdu_seal,e2m_pdu_open,veth_xmit
PROFILE_FUNCTIONS+=,udp_sendmsg,__udp4_lib_rcv
profile() {
	local size=$1 series out
	series=$(echo "${E2M_KVER:-$(uname -r)}" | cut -d. -f1,2)
	out=build/bench/e2m-flame-$series-$size
	hse iperf3 -s -1 -B 192.168.100.1 >/dev/null 2>&1 &
	sleep 1
	perf record -e cpu-clock -F 999 -a -g --kernel-callchains -N -q \
		-o /tmp/perf-$size.data -- ip netns exec ue iperf3 \
		-c 192.168.100.1 -u -b 0 -l "$size" -t "$SECONDS_PER_RUN" \
		> /dev/null 2>&1
	wait
	echo "profile: e2m at $size octets, $(uname -r), $out.svg"
	perf script -i /tmp/perf-$size.data -F comm,ip,sym 2>/dev/null |
		selftests/bench/flamegraph.py --folded "$out.folded" \
		--inclusive "$PROFILE_FUNCTIONS" \
		--title "e2m, iperf3 UDP $size octets, $(uname -r)" "$out.svg"
}

/usr/bin/python3 - /tmp/bench.txt <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
r = {}
for n, s, p, m in rows:
    key = (n, int(s))
    if key not in r or float(p) > r[key][0]:
        r[key] = (float(p), float(m))
order = ["crypto", "veth", "gtp", "xfrm", "e2m"]
print("%-7s %6s %12s %10s" % ("path", "size", "packets/s", "Mbit/s"))
for (n, s), (p, m) in sorted(r.items(), key=lambda kv: (kv[0][1], order.index(kv[0][0]))):
    print("%-7s %6d %12.0f %10.2f" % (n, s, p, m))


def goal(what, ratio, want):
    print("  %-30s %5.2fx  goal >= %.1fx: %s" % (
        what, ratio, want, "met" if ratio >= want else "not met"))


# The goals of issue 17, item 1: e2m >= 1.5 x xfrm, and e2m >= 0.8 x the
# lower of gtp.c (forwarding without protection) and the raw crypto rate.
for s in (64, 1400):
    print("size %d:" % s)
    e = r[("e2m", s)][0]
    goal("e2m / xfrm", e / r[("xfrm", s)][0], 1.5)
    if ("gtp", s) in r and ("crypto", s) in r:
        name, bound = min(((n, r[(n, s)][0]) for n in ("gtp", "crypto")),
                          key=lambda nb: nb[1])
        goal("e2m / min(gtp.c, raw crypto)", e / bound, 0.8)
        print("  (the lower bound: %s)" % ("gtp.c" if name == "gtp" else "raw crypto"))
    else:
        print("  e2m / min(gtp.c, raw crypto)  no figure: gtp.c or the raw rate missing")
    print("  " + ", ".join("e2m/%s %.2fx" % (n, e / r[(n, s)][0])
                           for n in ("veth", "gtp", "crypto") if (n, s) in r))
PY

if command -v perf > /dev/null; then
	mkdir -p build/bench
	for size in 64 1400; do
		profile $size
	done
else
	echo "profile: no perf in the VM (linux-perf), no flame graph"
fi
