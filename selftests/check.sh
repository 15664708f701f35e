#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs every e2m test: builds (warning-free, both kernels), kernel static
# checks, the agent's unit tests (plain and under ASan/UBSan), the install
# paths (make install, the Debian packages and lintian, DKMS builds of the
# packaged source for each kernel: selftests/pkg/package-test.sh), the
# kernel suites in the test VM on each kernel, and on the debug kernel (KASAN,
# KFENCE, lockdep, kmemleak, ...: selftests/vm/debug.config), which is
# built from Debian's linux-source in the background from the start
# (cached under build/linux-debug: a second run only checks its key). Each
# stage's output is kept in build/results/STAGE.log. The last line is
# "N passed, N failed, N skipped"; the exit status is non-zero if anything
# failed.
#
# E2M_KERNELS="6.1 6.12" picks the kernels to test (default both);
# E2M_DEBUG_LANE=1 adds the debug kernel (off by default: with it a fresh
# clone's run on the 2-core machine takes more than the hour, measured in
# Documentation/testing.md). Its build runs niced from the start, beside
# everything up to the VM stages. The VM stages run two at a time from a
# queue: the Debian kernels in order, the debug kernel's ahead of any not
# yet started once its build and module are done.
set -u
cd "$(dirname "$0")/.."

results=build/results
rm -rf "$results"
mkdir -p "$results"
read -r -a kernels <<< "${E2M_KERNELS:-6.1 6.12}"
debug_lane=${E2M_DEBUG_LANE:-0}
jobs=$(nproc)

total_pass=0
total_fail=0
total_skip=0

# timed NAME COMMAND...: runs COMMAND with its output in NAME's log, then
# notes its wall time at the end of the log and in NAME.seconds (for tally).
timed() {
	local name=$1 start=$SECONDS rc
	shift
	"$@" > "$results/$name.log" 2>&1
	rc=$?
	echo "$((SECONDS - start))" > "$results/$name.seconds"
	echo "# $name took $((SECONDS - start))s" >> "$results/$name.log"
	return $rc
}

# tally NAME STATUS: counts the TAP results of NAME's log, with the wall
# time timed() noted. A command that failed without reporting a failed
# test counts as one failure.
tally() {
	local name=$1 rc=$2 log=$results/$1.log pass fail skip
	printf '%-34s%6ss  ' "$name" "$(cat "$results/$name.seconds" 2>/dev/null)"
	skip=$(grep -cE '^ok [0-9]+.*# SKIP' "$log")
	pass=$(( $(grep -cE '^ok [0-9]+' "$log") - skip ))
	fail=$(grep -cE '^not ok [0-9]+' "$log")
	if [ "$rc" != 0 ] && [ "$fail" = 0 ]; then
		echo "not ok - $name exited with status $rc" >> "$log"
		fail=1
	fi
	echo "$pass passed, $fail failed, $skip skipped"
	if [ "$fail" != 0 ]; then
		grep -E '^not ok' "$log" | sed 's/^/    /'
		echo "    (log: $log)"
		tail -n 15 "$log" | sed 's/^/    | /'
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
}

# stage NAME COMMAND...: runs COMMAND, which prints TAP, and tallies it.
stage() {
	local name=$1
	shift
	timed "$name" "$@"
	tally "$name" $?
}

# stages_together "NAME COMMAND..." ...: runs the stages at once and tallies
# them in order. For suites that mostly wait (loopback daemons, process
# starts), not for the VM suites, whose timeouts assume a core to spare.
stages_together() {
	local spec name i
	local -a names=() pids=() words=()
	for spec in "$@"; do
		read -r -a words <<< "$spec"
		name=${words[0]}
		timed "$name" "${words[@]:1}" &
		names+=("$name")
		pids+=($!)
	done
	for i in "${!names[@]}"; do
		wait "${pids[$i]}"
		tally "${names[$i]}" $?
	done
}

# as_test DESCRIPTION COMMAND...: one TAP result; fails on a non-zero exit
# or on any compiler/checker warning in the output.
as_test() {
	local what=$1 out
	shift
	out=$("$@" 2>&1)
	local rc=$?
	echo "$out"
	if [ $rc = 0 ] && ! grep -qiE '(warning|error):' <<< "$out"; then
		echo "ok 1 $what"
	else
		echo "not ok 1 $what"
	fi
}

# as_empty DESCRIPTION COMMAND...: one TAP result; passes if the command
# succeeds and prints nothing (checkpatch --terse).
as_empty() {
	local what=$1 out
	shift
	out=$("$@" 2>&1)
	local rc=$?
	echo "$out"
	if [ $rc = 0 ] && [ -z "$(grep -v '^perl\|^make' <<< "$out")" ]; then
		echo "ok 1 $what"
	else
		echo "not ok 1 $what"
	fi
}

# as_done DESCRIPTION COMMAND...: one TAP result, from the exit status only
# (the kernel's own build warnings are not ours to judge).
as_done() {
	local what=$1
	shift
	if "$@"; then
		echo "ok 1 $what"
	else
		echo "not ok 1 $what"
	fi
}

# The debug kernel builds (niced) while everything up to its VM stage runs.
if [ "$debug_lane" = 1 ]; then
	timed build-debug-kernel as_done "the debug kernel builds from linux-source" \
		selftests/vm/debug-kernel.sh &
	debug_kernel_pid=$!
fi

for k in "${kernels[@]}"; do
	stage "build-module-$k" as_test "e2m.ko builds for $k with W=1, no warnings" \
		make -s -j"$jobs" module KVER="$k" W=1
	stage "build-module-$k-debug" as_test "debug e2m.ko builds for $k" \
		make -s -j"$jobs" module KVER="$k" E2M_DEBUG=y W=1
done
stage build-agent as_test "e2md and e2mctl build, no warnings" make -s -j"$jobs" agent
stage build-selftests as_test "kselftests build" make -s selftests
# What the VM suites drive beside e2md and e2mctl (hse_pg.sh).
stage build-vm-benches as_test "the benches the VM suites drive build" \
	make -s -C agent build/bench/flows_bench build/bench/reconcile_bench
# What fails a VM run: a line of each kind of splat, judged on the host.
stage vm-splat-judge selftests/vm/splat-test.sh
# The netlink fuzzer's generator: same seed, same messages, ASan-clean.
stage nlfuzz-generator selftests/e2m/nlfuzz-generator.sh
stage checkpatch as_empty "checkpatch --strict is clean" make -s checkpatch
stage sparse as_test "sparse is clean" make -s -j"$jobs" sparse KVER="${kernels[0]}"
stage build-agent-tests as_test "agent tests build, plain and ASan/UBSan, no warnings" \
	make -s -j"$jobs" -C agent tests tests-asan fuzz-build
# The agent's suites mostly wait (loopback daemons, process starts), so the
# package stage's few minutes of compiling (the agent again with Debian's
# flags, the module once per kernel by DKMS) and the fuzzers run beside
# them rather than before.
stages_together "agent-unit make -s -C agent check" \
	"agent-unit-asan make -s -C agent check-asan" \
	"fuzz-quick make -s -C agent fuzz-quick" \
	"package selftests/pkg/package-test.sh"
# vm_stage KERNEL [TIMEOUT [ENV...]]: the kernel suites in the test VM on
# KERNEL, with 10 life cycles of each kind (about 4 minutes of them on a
# Debian kernel) and 60 s of the netlink fuzzer, unless ENV says fewer.
vm_stage() {
	local kver=$1 timeout=${2:-1800}

	shift $(($# < 2 ? $# : 2))
	timed "vm-$kver" selftests/vm/run.sh --kver "$kver" --timeout "$timeout" -- \
		env "$@" selftests/e2m/vm-tests.sh
}
# The Debian kernels after the first run the same life cycles and fuzzer
# fewer times: their code paths are the same at any count (the first
# kernel's 10 and 60 s, and make cycles' 100, are for the races); 4 cycles
# of each kind (2 even, 2 odd) and 30 s are about 3 minutes less a kernel.
fewer_repeats=(E2M_CYCLES=4 E2M_FUZZ_SECONDS=30)
# The suites whose minutes are their daemons under TCG (TLS, AKA, real
# key lifetimes and retry gaps: vm-tests.sh's E2M_DAEMON_SUITES) run
# once, not on every kernel: the kernel paths they drive (keys bound and
# expiring, events, flows installed by the HSE, the switch on the peer's
# first packet) are datapath.sh's and kslink.sh's too, which every kernel
# runs. They are shared out so that the two VM stages side by side end
# together (measured, loaded host: devrole 313 s, localkey 249, devexpiry
# 186, devswitch 172, localnet 141, hse 123, best 74, hse_pg 44; on a
# quiet host hse_workers 60 to 90; the
# first kernel's extra cycles and fuzzing about 125). E2M_SHARE_SUITES=0
# runs all of them on every kernel (vm-tests.sh's default).
# daemon_share KERNEL: share=(E2M_DAEMON_SUITES=...) for KERNEL's part, or
# share=() where there is nothing to share out.
daemon_share() {
	share=()
	if [ ${#kernels[@]} = 1 ] || [ "${E2M_SHARE_SUITES:-1}" = 0 ]; then
		return
	fi
	case $1 in
	"${kernels[0]}") share=(E2M_DAEMON_SUITES="localkey devrole best hse_workers") ;;
	"${kernels[1]}")
		share=(E2M_DAEMON_SUITES="devexpiry devswitch localnet hse hse_pg") ;;
	*) share=(E2M_DAEMON_SUITES=) ;;
	esac
}

# The VM stages, two at a time (two cores, two vCPUs each: their waits,
# lifetimes running out, event monitors, daemons' retries, overlap; their
# traffic does not). A queue: the Debian kernels in order, and with the
# debug lane vm-debug, which joins it once its kernel's build and module are
# done and goes ahead of any Debian kernel not yet started (KASAN and
# lockdep make it the longest). On a machine where the build finished
# during the agent stages, vm-debug and the first kernel's start together.
vm_queue=("${kernels[@]}")
vm_running=0
declare -A vm_names=()
debug_state=none
[ "$debug_lane" = 1 ] && debug_state=building

# vm_start KERNEL: its VM stage in the background. The timeout bounds a hung
# guest only: the first kernel's took 2,351 s here, and CI is slower.
vm_start() {
	local k=$1
	if [ "$k" = debug ]; then
		vm_stage debug 3000 &
	elif [ "$k" = "${kernels[0]}" ]; then
		daemon_share "$k"
		vm_stage "$k" 3200 "${share[@]}" &
	else
		daemon_share "$k"
		vm_stage "$k" 3200 "${fewer_repeats[@]}" "${share[@]}" &
	fi
	vm_names[$!]=vm-$k
	vm_running=$((vm_running + 1))
}

# debug_kernel_built STATUS: tallies the build and makes the module for it;
# without either the VM stage has nothing to run.
debug_kernel_built() {
	echo "# make check had it after $((SECONDS / 60)) min $((SECONDS % 60)) s" \
		>> "$results/build-debug-kernel.log"
	tally build-debug-kernel "$1"
	stage build-module-debug as_test "debug e2m.ko builds for the debug kernel" \
		make -s -j"$jobs" module KVER=debug E2M_DEBUG=y W=1
	debug_state=none
	if grep -q '^ok 1' "$results/build-debug-kernel.log" &&
	   grep -q '^ok 1' "$results/build-module-debug.log"; then
		debug_state=ready
	fi
}

while :; do
	# A build that ended while nothing was waited on (during the agent
	# stages, or beside a VM stage) is taken up before a slot is filled.
	if [ "$debug_state" = building ] && ! kill -0 "$debug_kernel_pid" 2>/dev/null; then
		wait "$debug_kernel_pid"
		debug_kernel_built $?
	fi
	while [ "$vm_running" -lt 2 ]; do
		if [ "$debug_state" = ready ]; then
			vm_start debug
			debug_state=started
		elif [ ${#vm_queue[@]} -gt 0 ]; then
			vm_start "${vm_queue[0]}"
			vm_queue=("${vm_queue[@]:1}")
		else
			break
		fi
	done
	[ "$vm_running" = 0 ] && [ "$debug_state" != building ] && break
	wait -n -p done_pid
	rc=$?
	if [ "$debug_state" = building ] && [ "$done_pid" = "$debug_kernel_pid" ]; then
		debug_kernel_built $rc
	elif [ -n "${vm_names[$done_pid]:-}" ]; then
		tally "${vm_names[$done_pid]}" $rc
		vm_running=$((vm_running - 1))
	fi
done

echo "# make check took $((SECONDS / 60)) min $((SECONDS % 60)) s"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" = 0 ]
