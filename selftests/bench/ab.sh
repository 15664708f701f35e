#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two builds of the module, A and B, measured in one boot of the test VM
# in alternating rounds: under TCG the speed follows the host's load, so
# only figures from one boot, taken close together, compare. The two take
# turns, A first in odd rounds and B first in even ones, so that a load
# that drifts during a round does not always favour the same one. Each
# round takes the raw crypto rate of each debug module (and of its
# synchronous transforms where it reports them) and e2m's packets/s at 64
# and 1400 octets of payload through each release module, as datapath.sh
# measures them. Then it prints the best of each, and the ratio B/A of
# each round and their median.
#
# usage: ab.sh A-KO A-DEBUG-KO B-KO B-DEBUG-KO [NAME=RATE-KO...]
# Each NAME=RATE-KO is loaded once a round with crypto_rate=1, like a debug
# module, for another rate to compare with (another way to do the crypto).
set -u
cd "$(dirname "$0")/../.."

a_ko=$1
a_debug=$2
b_ko=$3
b_debug=$4
shift 4
. selftests/lib/prologue.sh
SECONDS_PER_RUN=${E2M_BENCH_SECONDS:-5}
ROUNDS=${E2M_BENCH_ROUNDS:-3}
. selftests/bench/lib.sh

# e2m_pps NAME KO: e2m's packets/s at both sizes through module KO.
e2m_pps() {
	selftests/lib/load-module.sh "$2" || return 1
	setup_e2m
	run "$1" 192.168.100.1 64
	run "$1" 192.168.100.1 1400
	remove_e2m
	rmmod e2m
}

# rates NAME: the raw rates of build NAME's debug module.
rates() {
	if [ "$1" = A ]; then
		crypto_rate "$a_debug" rate-A
	else
		crypto_rate "$b_debug" rate-B
	fi
	crypto_rate_sync "rate-$1-sync"
}

veth_pair
# A first in odd rounds, B first in even ones (above).
for round in $(seq "$ROUNDS"); do
	order="A B"
	[ $((round % 2)) = 0 ] && order="B A"
	for x in $order; do
		rates "$x"
	done
	for extra in "$@"; do
		crypto_rate "${extra#*=}" "rate-${extra%%=*}"
	done
	for x in $order; do
		if [ "$x" = A ]; then
			e2m_pps e2m-A "$a_ko"
		else
			e2m_pps e2m-B "$b_ko"
		fi
	done
	echo "round $round"
done > /tmp/ab.txt
cat /tmp/ab.txt
ip netns del ue
ip netns del hse
keyctl clear @u > /dev/null

PYTHONPATH=selftests/bench /usr/bin/python3 -B - /tmp/ab.txt <<'PY'
import statistics, sys
import rounds as bench
rounds, _, best = bench.read(sys.argv[1])
print("%-16s %6s %12s" % ("what", "size", "best pps"))
for (n, s), v in sorted(best.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    print("%-16s %6d %12.0f" % (n, s, v))
for what in ("rate", "rate-%s-sync", "e2m"):
    for s in (64, 1400):
        a = what % "A" if "%" in what else what + "-A"
        b = what % "B" if "%" in what else what + "-B"
        ratios = [r[(b, s)] / r[(a, s)] for r in rounds
                  if (a, s) in r and (b, s) in r and r[(a, s)]]
        if ratios:
            print("%s B/A at %4d: %s, median %.2f" % (
                b.replace("-B", ""), s, " ".join("%.2f" % x for x in ratios),
                statistics.median(ratios)))
PY
