#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Large sends and receives (Documentation/datapath.md, "Large sends",
# "Large receives"), measured in one boot of the test VM, in alternating
# rounds: under TCG the speed follows the host's load, so only figures
# taken close together compare. Two release builds of the module, A
# (before) and B (after), one at a time, each with setup_e2m (lib.sh) over
# one veth, B with an offload on and off in turns (E2M_BENCH_OFFLOAD):
#   gso      (the default) GSO: ethtool -K e2m0 gso, tso and
#            tx-udp-segmentation, on both ends; UDP with it on
#   gro      GRO of the receiving end (hse): ethtool -K e2m0 gro; UDP
#            with it on and off
# and
#   tcp      iperf3 TCP from ue to hse through e2m, Mbit/s
#   64/1400  e2m's iperf3 UDP packets/s at 64 and 1400 octets of payload,
#            as datapath.sh measures them
# A goes first in odd rounds and B in even ones, and B's offload on first
# in odd rounds, off first in even ones. Prints every figure, the best of
# each, and per round the ratios of B on and off to each other and to A,
# with their medians.
#
# usage: [E2M_BENCH_OFFLOAD=gso|gro] gso.sh A-KO B-KO
set -u
cd "$(dirname "$0")/../.."

a_ko=$1
b_ko=$2
. selftests/lib/prologue.sh
SECONDS_PER_RUN=${E2M_BENCH_SECONDS:-4}
ROUNDS=${E2M_BENCH_ROUNDS:-4}
OFFLOAD=${E2M_BENCH_OFFLOAD:-gso}
case $OFFLOAD in
gso|gro) ;;
*) echo "gso.sh: E2M_BENCH_OFFLOAD is gso or gro, not '$OFFLOAD'" >&2; exit 2 ;;
esac
. selftests/bench/lib.sh

# tcp NAME: "NAME tcp 0 MBIT", iperf3 TCP through e2m for SECONDS_PER_RUN
tcp() {
	local json
	hse iperf3 -s -1 -B 192.168.100.1 >/dev/null 2>&1 &
	sleep 1
	json=$(ue iperf3 -c 192.168.100.1 -t "$SECONDS_PER_RUN" -J 2>/dev/null)
	wait
	/usr/bin/python3 -c '
import json, sys
doc = json.loads(sys.argv[2])
print("%s tcp 0 %.2f" % (sys.argv[1], doc["end"]["sum_received"]["bits_per_second"] / 1e6))
' "$1" "$json"
}

# offloads on|off: B's $OFFLOAD, the segmentation offloads on both ends
# or the receiver's GRO
offloads() {
	if [ "$OFFLOAD" = gro ]; then
		hse ethtool -K e2m0 gro "$1"
		return
	fi
	ue ethtool -K e2m0 gso "$1" tso "$1" tx-udp-segmentation "$1"
	hse ethtool -K e2m0 gso "$1" tso "$1" tx-udp-segmentation "$1"
}

# udp NAME: e2m's UDP runs at both sizes
udp() {
	run "$1" 192.168.100.1 64
	run "$1" 192.168.100.1 1400
}

# build A|B ROUND: that build's runs
build() {
	local name=e2m-$1 ko=$a_ko order="on off"
	[ "$1" = B ] && ko=$b_ko
	[ $(($2 % 2)) = 0 ] && order="off on"
	selftests/lib/load-module.sh "$ko" || return 1
	setup_e2m
	if [ "$1" = A ]; then
		tcp "$name"
		udp "$name"
	else
		for o in $order; do
			offloads "$o"
			tcp "$name-$OFFLOAD-$o"
			[ "$OFFLOAD" = gro ] && udp "$name-$OFFLOAD-$o"
		done
		offloads on
		[ "$OFFLOAD" = gso ] && udp "$name"
	fi
	remove_e2m
	rmmod e2m
}

veth_pair
for round in $(seq "$ROUNDS"); do
	order="A B"
	[ $((round % 2)) = 0 ] && order="B A"
	for x in $order; do
		build "$x" "$round"
	done
	echo "round $round"
done | tee /tmp/gso-bench.txt
ip netns del ue
ip netns del hse
keyctl clear @u > /dev/null

/usr/bin/python3 - /tmp/gso-bench.txt "$OFFLOAD" <<'PY'
import statistics, sys
off = sys.argv[2]
rounds, cur = [], {}
for l in open(sys.argv[1]):
    f = l.split()
    if f and f[0] == "round":
        rounds.append(cur)
        cur = {}
    elif len(f) == 4:
        # TCP in Mbit/s, UDP in packets/s
        cur[(f[0], f[1])] = float(f[3] if f[1] == "tcp" else f[2])
best = {}
for r in rounds:
    for k, v in r.items():
        best[k] = max(best.get(k, 0), v)
print("%-16s %6s %12s" % ("what", "size", "best"))
for (n, s), v in sorted(best.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    print("%-16s %6s %12.0f %s" % (n, s, v, "Mbit/s" if s == "tcp" else "pps"))


def ratios(what, b, a, s):
    rs = [r[(b, s)] / r[(a, s)] for r in rounds
          if (a, s) in r and (b, s) in r and r[(a, s)]]
    if rs:
        print("%-28s %s, median %.2f" % (what, " ".join("%.2f" % x for x in rs),
                                         statistics.median(rs)))


on, offn = "e2m-B-%s-on" % off, "e2m-B-%s-off" % off
ratios("TCP B %s on / B %s off:" % (off, off), on, offn, "tcp")
ratios("TCP B %s on / A:" % off, on, "e2m-A", "tcp")
ratios("TCP B %s off / A:" % off, offn, "e2m-A", "tcp")
for size in ("64", "1400"):
    if off == "gso":
        ratios("UDP %s B / A:" % size, "e2m-B", "e2m-A", size)
    else:
        ratios("UDP %s B gro on / B gro off:" % size, on, offn, size)
        ratios("UDP %s B gro off / A:" % size, offn, "e2m-A", size)
PY
