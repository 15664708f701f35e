#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Large sends (Documentation/datapath.md, "Large sends"), measured in one
# boot of the test VM, in alternating rounds: under TCG the speed follows
# the host's load, so only figures taken close together compare. Two
# release builds of the module, A (before) and B (with GSO), one at a time,
# each with setup_e2m (lib.sh) over one veth:
#   tcp      iperf3 TCP from ue to hse through e2m, Mbit/s; B twice, with
#            its GSO on and off (ethtool -K e2m0 gso, tso and
#            tx-udp-segmentation, on both ends), in turns
#   64/1400  e2m's iperf3 UDP packets/s at 64 and 1400 octets of payload,
#            as datapath.sh measures them
# A goes first in odd rounds and B in even ones, and B's GSO on first in
# odd rounds, off first in even ones. Prints every figure, the best of
# each, and per round the ratios B-on / B-off and B-on / A for TCP, B / A
# for UDP, with their medians.
#
# usage: gso.sh A-KO B-KO
set -u
cd "$(dirname "$0")/../.."

a_ko=$1
b_ko=$2
. selftests/lib/prologue.sh
SECONDS_PER_RUN=${E2M_BENCH_SECONDS:-4}
ROUNDS=${E2M_BENCH_ROUNDS:-4}
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

# offloads on|off: B's segmentation offloads, on both ends
offloads() {
	ue ethtool -K e2m0 gso "$1" tso "$1" tx-udp-segmentation "$1"
	hse ethtool -K e2m0 gso "$1" tso "$1" tx-udp-segmentation "$1"
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
	else
		for o in $order; do
			offloads "$o"
			tcp "$name-gso-$o"
		done
		offloads on
	fi
	run "$name" 192.168.100.1 64
	run "$name" 192.168.100.1 1400
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

/usr/bin/python3 - /tmp/gso-bench.txt <<'PY'
import statistics, sys
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


ratios("TCP B gso on / B gso off:", "e2m-B-gso-on", "e2m-B-gso-off", "tcp")
ratios("TCP B gso on / A:", "e2m-B-gso-on", "e2m-A", "tcp")
ratios("TCP B gso off / A:", "e2m-B-gso-off", "e2m-A", "tcp")
ratios("UDP 64 B / A:", "e2m-B", "e2m-A", "64")
ratios("UDP 1400 B / A:", "e2m-B", "e2m-A", "1400")
PY
