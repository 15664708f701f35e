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
# E2M_DEBUG_LANE=1 adds the debug kernel (off by default until a timed
# fresh-clone run shows it inside the hour and its datapath.sh passes
# there: Documentation/testing.md). With it the stages run so: the debug kernel's build
# runs niced beside the build and agent stages and the first VM stage;
# the VM stages after the first run two at a time, the last Debian
# kernel's beside the debug kernel's once its build is done; the debug
# kernel's VM stage runs the kernel suites, with those about volume
# scaled down (vm-tests.sh). Without it the Debian kernels' VM stages run
# side by side.
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
# What fails a VM run: a line of each kind of splat, judged on the host.
stage vm-splat-judge selftests/vm/splat-test.sh
# The netlink fuzzer's generator: same seed, same messages, ASan-clean.
stage nlfuzz-generator selftests/e2m/nlfuzz-generator.sh
stage checkpatch as_empty "checkpatch --strict is clean" make -s checkpatch
stage sparse as_test "sparse is clean" make -s -j"$jobs" sparse KVER="${kernels[0]}"
stage build-agent-tests as_test "agent tests build, plain and ASan/UBSan, no warnings" \
	make -s -j"$jobs" -C agent tests tests-asan fuzz-build
# A few minutes of compiling: the agent again with Debian's flags, the
# module once per kernel by DKMS.
stage package selftests/pkg/package-test.sh
stages_together "agent-unit make -s -C agent check" \
	"agent-unit-asan make -s -C agent check-asan" \
	"fuzz-quick make -s -C agent fuzz-quick"
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
# hse.sh and best.sh run on the first only, as on the debug kernel
# (vm-tests.sh: their minutes are their daemons' TLS and AKA under TCG;
# the kernel paths they drive are datapath.sh's and kslink.sh's too):
# about 3.5 minutes more.
fewer_repeats=(E2M_CYCLES=4 E2M_FUZZ_SECONDS=30 E2M_BEST_SUITES=0)

# The VM stages. Without the debug lane, every Debian kernel's at once:
# their waits (lifetimes running out, event monitors, daemons' retries)
# overlap, their traffic does not (two cores, two vCPUs each): about 2
# minutes less than one after the other (Documentation/testing.md).
# With the lane, the first kernel's alone (the debug kernel's build takes
# the rest of the machine), then two at a time: each further Debian
# kernel's, and the last one's beside the debug kernel's as soon as its
# build and module are done, the debug kernel's build and VM stage being
# the longest chain.
vm_names=()
vm_pids=()
if [ "$debug_lane" = 1 ]; then
	stage "vm-${kernels[0]}" vm_stage "${kernels[0]}"
	side_by_side=("${kernels[@]:1}")
else
	side_by_side=("${kernels[@]}")
fi
for k in "${side_by_side[@]}"; do
	if [ "$debug_lane" = 1 ] && [ ${#vm_pids[@]} -gt 0 ]; then
		wait "${vm_pids[-1]}"
		tally "${vm_names[-1]}" $?
		unset 'vm_names[-1]' 'vm_pids[-1]'
	fi
	# The timeout bounds a hung guest only: the first kernel's took 2,351 s
	# here, and the CI machine is slower.
	if [ "$k" = "${kernels[0]}" ]; then
		vm_stage "$k" 3200 &
	else
		vm_stage "$k" 3200 "${fewer_repeats[@]}" &
	fi
	vm_names+=("vm-$k")
	vm_pids+=($!)
done

# KASAN and lockdep make the VM some times slower than with Debian's kernels.
if [ "$debug_lane" = 1 ]; then
	waited=$SECONDS
	wait "$debug_kernel_pid"
	rc=$?
	echo "# make check waited $((SECONDS - waited))s for it" >> "$results/build-debug-kernel.log"
	tally build-debug-kernel $rc
	stage build-module-debug as_test "debug e2m.ko builds for the debug kernel" \
		make -s -j"$jobs" module KVER=debug E2M_DEBUG=y W=1
	# Without the kernel or its module the VM stage has nothing to run.
	if grep -q '^ok 1' "$results/build-debug-kernel.log" &&
	   grep -q '^ok 1' "$results/build-module-debug.log"; then
		vm_stage debug 3000 &
		vm_names+=(vm-debug)
		vm_pids+=($!)
	fi
fi
for i in "${!vm_names[@]}"; do
	wait "${vm_pids[$i]}"
	tally "${vm_names[$i]}" $?
done

echo "# make check took $((SECONDS / 60)) min $((SECONDS % 60)) s"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" = 0 ]
