#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel test suites, run inside the test VM (selftests/vm/run.sh) from
# the top of the e2m tree. Uses the debug module built for the VM's kernel.
# Prints TAP; exits non-zero if any suite failed.
set -u

ko=build/kmod/${E2M_KVER:?not in the test VM}-debug/e2m.ko
failed=0

# suite COMMAND...: runs one suite, then says how long it took (TAP comments;
# check.sh's log shows where the minutes go).
suite() {
	local start=$SECONDS
	echo "# suite: $*"
	"$@" || failed=1
	echo "# suite took $((SECONDS - start))s: $1"
}

# On the debug kernel (selftests/vm/debug-kernel.sh) KASAN, lockdep and
# kmemleak make every allocation, lock and packet some times slower, and
# its VM stage must fit in make check's hour beside another: the suites
# about volume run with fewer of the same steps there (their code paths
# are the same at any count), the others as everywhere. The 10,000-flow
# dump gets 1,000 flows, still many dump pages; the netlink fuzzer 30 s;
# the life cycles 2 of each kind (one even, one odd). reconfig.sh keeps its
# 20 rounds: they are chances for a race, which only this kernel would
# see. hse.sh, hse_pg.sh, hse_workers.sh and best.sh are left out there:
# their minutes on that kernel are their daemons (TLS, AKA) under TCG, and
# the kernel paths they drive (flows installed by the HSE, a second key set
# bound with Key ID 1, the switch on the peer's first packet) are
# datapath.sh's and kslink.sh's too. The debug module's self-tests run at
# each of its loads. E2M_DAEMON_SUITES names which of the suites whose
# minutes are their daemons under TCG (TLS, AKA, real key lifetimes:
# localkey, devrole, devexpiry, devswitch, localnet, hse, hse_pg,
# hse_workers, best) run here; all by default, "" none. make check runs
# each on one Debian kernel only, shared out so that its two VM stages,
# side by side, end together (check.sh); the kernel paths they drive are
# the other suites' too.
debug_release=build/linux-debug/kernelrelease
all_daemon_suites="localkey devrole devexpiry devswitch localnet hse hse_pg hse_workers best"
daemon_suites=${E2M_DAEMON_SUITES-$all_daemon_suites}
fuzz_seconds=${E2M_FUZZ_SECONDS:-60}
cycles=${E2M_CYCLES:-10}
if [ -s "$debug_release" ] && [ "$E2M_KVER" = "$(cat "$debug_release")" ]; then
	export E2M_DUMP_FLOWS=${E2M_DUMP_FLOWS:-1000}
	fuzz_seconds=${E2M_FUZZ_SECONDS:-30}
	cycles=${E2M_CYCLES:-2}
	daemon_suites=${E2M_DAEMON_SUITES-localkey devrole devexpiry devswitch localnet}
fi
for name in $daemon_suites; do
	case " $all_daemon_suites " in
	*" $name "*) ;;
	*) echo "Bail out! E2M_DAEMON_SUITES: no daemon suite '$name'"; exit 1 ;;
	esac
done

# daemon_suite NAME: selftests/e2m/NAME.sh, if E2M_DAEMON_SUITES names it.
daemon_suite() {
	case " $daemon_suites " in
	*" $1 "*) suite "selftests/e2m/$1.sh" ;;
	esac
}

# On the debug kernel: what kmemleak found before the suites is not theirs.
selftests/vm/kmemleak.sh start
suite selftests/e2m/module.sh "$ko"
suite build/selftests/keys
suite build/selftests/netlink
export E2M_KO=$ko
suite selftests/e2m/datapath.sh
suite selftests/e2m/stage.sh
suite selftests/e2m/steer.sh
suite selftests/e2m/gso.sh
suite selftests/e2m/kslink.sh
daemon_suite localkey
daemon_suite devrole
daemon_suite devexpiry
daemon_suite devswitch
daemon_suite localnet
suite selftests/e2m/reconfig.sh
suite selftests/e2m/material.sh
daemon_suite hse
daemon_suite hse_pg
daemon_suite hse_workers
daemon_suite best
suite selftests/e2m/crypto.sh
# The netlink fuzzer under traffic, bounded (60 s; check.sh gives a second
# Debian kernel 30; make fuzz-kernel runs it longer).
suite selftests/e2m/nlfuzz.sh "$fuzz_seconds"
rmmod e2m || failed=1
# 10 of each here (check.sh gives a second Debian kernel 4): 100 take about
# 45 minutes a kernel in TCG (make cycles).
E2M_CYCLES=$cycles suite selftests/e2m/cycles.sh "$ko"
rmmod e2m || failed=1
# After the unload: anything of e2m's still allocated and unreferenced.
suite selftests/vm/kmemleak.sh check
exit $failed
