#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Judges kernel logs: prints (prefixed "# kernel: ", at most 20) the lines of
# FILE... that report an oops, BUG, WARNING, KASAN or KFENCE report, lockdep
# or RCU splat, sleep in atomic context, DEBUG_SG's BUG_ON, a debugobjects
# report, an e2m object leak or an e2m object that kmemleak found
# unreferenced (selftests/vm/kmemleak.sh); exits 0 if there is one, 1 if the
# logs are clean. run.sh judges each VM's console and dmesg with it;
# selftests/vm/splat-test.sh holds a line of each kind.
# usage: splat.sh FILE...
set -u

# Lockdep, RCU and might_sleep reports start with a "WARNING:" or "BUG:"
# line too; their own words are matched as well, as are the reports of
# KFENCE, debugobjects and the e2m objects kmemleak.sh found. A BUG_ON (as
# DEBUG_SG's on a stack address) says "kernel BUG at".
bad='Oops|BUG:|kernel BUG at|WARNING:|KASAN|KFENCE'
bad+='|general protection fault|Kernel panic|Call Trace'
bad+='|possible circular locking|possible recursive locking|inconsistent lock state'
bad+='|suspicious RCU usage|sleeping function called|ODEBUG:|rcu_preempt detected stall'
bad+='|e2m: leak|kmemleak: e2m'

# A log that is missing (the guest died before writing its dmesg) is empty.
cat "$@" 2>/dev/null | grep -E "$bad" | head -20 | sed 's/^/# kernel: /'
cat "$@" 2>/dev/null | grep -Eq "$bad"
