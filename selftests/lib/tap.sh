# SPDX-License-Identifier: GPL-2.0
# A few TAP helpers for the shell tests (source this file).
#
#   tap_ok COND-EXIT-STATUS NAME   e.g. tap_ok $? "module loads"
#   tap_is GOT WANT NAME           exact string comparison
#   tap_done                        exits non-zero if anything failed

tap_n=0
tap_failed=0

tap_result() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n $2"
	else
		echo "not ok $tap_n $2"
		tap_failed=$((tap_failed + 1))
	fi
}

tap_ok() {
	tap_result "$1" "$2"
}

tap_is() {
	if [ "$1" = "$2" ]; then
		tap_result 0 "$3"
	else
		tap_result 1 "$3"
		echo "#   got:  '$1'"
		echo "#   want: '$2'"
	fi
}

tap_skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $1 # SKIP $2"
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" = 0 ]
}
