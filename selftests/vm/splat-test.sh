#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/vm/splat.sh, on the host: each kind of report the debug kernel
# (KASAN, KFENCE, lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP, DEBUG_PREEMPT,
# DEBUG_SG, DEBUG_OBJECTS, kmemleak) or the module writes fails a VM run,
# and the lines a clean boot of the debug kernel writes do not. Prints TAP.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh

make_tmp
log=$tmp/console.log

judged() {	# LINE: splat.sh's exit status for a log of that line
	printf '<4>[   12.345678] %s\n' "$1" > "$log"
	selftests/vm/splat.sh "$log" > /dev/null
}

while IFS='|' read -r what line; do
	judged "$line"
	tap_is $? 0 "a splat: $what"
done <<'SPLATS'
WARN_ON|WARNING: CPU: 1 PID: 312 at flow.c:140 e2m_flow_bind+0x1a/0x200 [e2m]
KASAN|BUG: KASAN: slab-use-after-free in e2m_receive+0x44/0x300 [e2m]
KFENCE|BUG: KFENCE: out-of-bounds read in e2m_nea2+0x10/0x90 [e2m]
lockdep, a cycle|WARNING: possible circular locking dependency detected
lockdep, recursion|WARNING: possible recursive locking detected
lockdep, irq state|WARNING: inconsistent lock state
PROVE_RCU|WARNING: suspicious RCU usage
DEBUG_ATOMIC_SLEEP|BUG: sleeping function called from invalid context at mm/slab.h:723
DEBUG_PREEMPT|BUG: using smp_processor_id() in preemptible [00000000] code: keys/201
DEBUG_SG's BUG_ON|kernel BUG at include/linux/scatterlist.h:187!
DEBUG_OBJECTS_RCU_HEAD|ODEBUG: free active (active state 1) object type: rcu_head hint: 0x0
an RCU stall|rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
an oops|general protection fault, probably for non-canonical address 0xdffffc0000000001
a panic|Kernel panic - not syncing: Fatal exception in interrupt
a backtrace|Call Trace:
the module's leak check|e2m: leak: 2 flows at unload
kmemleak (selftests/vm/kmemleak.sh)|kmemleak: e2m unreferenced object 0xffff888003a4c000 (size 64):
SPLATS

while IFS='|' read -r what line; do
	judged "$line"
	tap_is $? 1 "clean: $what"
done <<'CLEAN'
KASAN's banner|kasan: KernelAddressSanitizer initialized (generic)
KFENCE's banner|kfence: initialized - using 2097152 bytes for 255 objects
kmemleak's banner|kmemleak: Kernel memory leak detector initialized (mempool available:16384)
RCU's banner|rcu: Preemptible hierarchical RCU implementation.
the module's load|e2m: loaded (debug build, self-tests passed)
CLEAN

: > "$log"
selftests/vm/splat.sh "$log" "$tmp/dmesg" > /dev/null
tap_is $? 1 "an empty console log and no dmesg file are clean"
tap_done
