# SPDX-License-Identifier: GPL-2.0
#
# Waiting in the test VM, sourced by the VM suites and the demo.

# wait_for CONDITION...: polls for up to 20 s (the VM is slow to start things).
wait_for() {
	local i
	for i in $(seq 200); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
