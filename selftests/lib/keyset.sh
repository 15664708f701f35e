# SPDX-License-Identifier: GPL-2.0
# Sourced by the VM suites (after prologue.sh, which has K_ENC and K_INT).
#
# keyset KID DESC: adds the test key set (K_ENC, K_INT) under Key ID KID to
# the user keyring as an e2mkeyset key described DESC; prints its serial.
# The keys reach e2mctl through a pipe, as its keys FILE: it refuses them
# on the command line, where /proc/PID/cmdline shows them.
keyset() {
	"$E2MCTL" keyset add --key-id "$1" --keyring @u --desc "$2" \
		--keys <(printf 'k-enc=%s\nk-int=%s\n' "$K_ENC" "$K_INT") |
		sed -n 's/^serial=//p'
}
