# SPDX-License-Identifier: GPL-2.0
#
# What the benchmarks that measure e2md's CPU share (agent/bench/bench.sh,
# ub_workers_bench.sh, selftests/bench/best.sh), sourced.

# process_ticks PID: the user and system clock ticks the process has used
# so far, with its children's (an e2md's workers, daemon/workers.h).
process_ticks() {
	local p sum=0
	for p in $1 $(ps -o pid= --ppid "$1"); do
		sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
	done
	echo $sum
}
