# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the benchmarks of e2md on several workers (workers_bench.sh,
# ub_workers_bench.sh): their common start, the median of their rounds and
# the ceiling this host puts on their ratio.
# Sourced at the top level (the prologue's arrays must be global) with
# $bench set to the part's name: skips the bench (exit 0) unless root with
# openssl (e2md's admin socket, the certificates), then the test prologue,
# $tmp in tmpfs, daemons stopped by SIGTERM (each e2md stops its workers),
# pki.sh for the caller's certificates.
if [ "$(id -u)" != 0 ] || ! command -v openssl > /dev/null; then
	echo "$bench: skipped (needs root for e2md's admin socket, and openssl)"
	exit 0
fi
tests=$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests" && pwd)
. "$tests/../../selftests/lib/prologue.sh"
pid_signal=TERM
make_tmp shm
. "$tests/../../selftests/lib/pki.sh"
hz=$(getconf CLK_TCK)
cpus=$(nproc)

# workers_secs TICKS: clock ticks as seconds, two decimals.
workers_secs() {
	awk -v t="$1" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }'
}

# workers_median: the median of the numbers on standard input, one a line.
workers_median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# workers_ceiling WALL-S CPU-S...: the most that any number of workers
# could get out of this host over a run that took WALL-S seconds while
# every part of the bench (client, daemons) together spent the sum of
# CPU-S: the host's CPUs over the CPUs that run used. A run on one worker
# that already keeps the host's CPUs busy leaves nothing for a second one,
# whatever e2md does; the ceiling assumes the CPU an operation costs stays
# what it was on one worker (contention only adds to it), so it is an
# upper bound.
workers_ceiling() {
	local wall=$1
	shift
	awk -v w="$wall" -v n="$cpus" -v list="$*" 'BEGIN {
		c = 0
		k = split(list, v, " ")
		for (i = 1; i <= k; i++)
			c += v[i]
		printf "%.2f", (c > 0) ? n * w / c : 0 }'
}
