#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel mutants of `make mutants --one-boot`, in one test VM: for each
# line "ID SUITE KO" of LIST, loads KO (the debug module with the mutant),
# runs SUITE (datapath: selftests/e2m/datapath.sh; netlink: the netlink
# kselftest) until its first "not ok", then unloads and cleans up, and
# prints "# RESULT ID passed" or "# RESULT ID caught WHY". A module that
# will not load (its self-tests refuse it) is caught; so is a kernel splat.
# The suites' logs go to OUTDIR/ID.log. Run from the top of the tree.
# usage: mutants-vm.sh LIST OUTDIR
set -u
list=$1 outdir=$2
mkdir -p "$outdir"

run_until_caught() {	# LOG CMD: CMD's output into LOG, ended at "not ok"
	local log=$1 pid start
	setsid bash -c "$2" >> "$log" 2>&1 < /dev/null &
	pid=$!
	start=$(date +%s)
	while kill -0 $pid 2>/dev/null; do
		if grep -q '^not ok\|^Bail out!' "$log"; then
			kill -9 -- -$pid 2>/dev/null
			break
		fi
		if [ $(($(date +%s) - start)) -ge 1500 ]; then
			echo "timeout" >> "$log"
			kill -9 -- -$pid 2>/dev/null
			wait $pid
			return 124
		fi
		sleep 1
	done
	wait $pid
}

while read -r id suite ko; do
	[ -n "$id" ] || continue
	echo "# START $id"
	log=$outdir/$id.log
	dmesg -C
	why=
	if ! selftests/lib/load-module.sh "$ko" > "$log" 2>&1; then
		why="the module does not load"
	else
		case $suite in
		datapath) cmd="E2M_KO=$ko exec selftests/e2m/datapath.sh" ;;
		netlink) cmd="exec build/selftests/netlink" ;;
		*) cmd="echo unknown suite $suite; exit 2" ;;
		esac
		run_until_caught "$log" "$cmd"
		rc=$?
		first=$(grep -m1 '^not ok\|^Bail out!' "$log")
		if [ -n "$first" ]; then
			why=$first
		elif [ $rc != 0 ]; then
			why="exit status $rc"
		fi
	fi
	dmesg > "$outdir/$id.dmesg"
	if [ -z "$why" ] &&
	   grep -qE 'WARNING:|BUG:|KASAN|Oops|lockdep|RCU stall' "$outdir/$id.dmesg"; then
		why="a kernel splat"
	fi
	echo "# RESULT $id ${why:+caught }${why:-passed}"
	ip netns del ue 2>/dev/null
	ip netns del hse 2>/dev/null
	for dev in $(ip -o link show type e2m 2>/dev/null | awk -F': ' '{ print $2 }'); do
		ip link del "$dev"
	done
	keyctl clear @u > /dev/null 2>&1
	rmmod e2m 2>/dev/null || { sleep 3; rmmod e2m 2>/dev/null; }
done < "$list"
