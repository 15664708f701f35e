# SPDX-License-Identifier: GPL-2.0
# Sourced by the VM suites (after prologue.sh), with the module loaded.
#
# stage_off: the packets of a flow without a usable key are dropped at once
# (stage_ms 0) until the suite exits, then the module's value comes back.
# For the suites that count those drops as they happen (no-key, dead-key);
# the packets that wait for a key are stage.sh's.
stage_param=/sys/module/e2m/parameters/stage_ms

stage_restore() {
	[ -w "$stage_param" ] && echo "$stage_saved" > "$stage_param"
}

stage_off() {
	stage_saved=$(cat "$stage_param")
	echo 0 > "$stage_param"
	at_exit stage_restore
}
