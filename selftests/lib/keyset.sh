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

# keyset_fresh_module CLEANUP: with E2M_KO set, runs CLEANUP (the suite's
# namespaces and keys gone), unloads the module and loads E2M_KO again,
# two checks. The module keeps the COUNTs a key set took
# (kernel/material.c): a suite that takes many reloads it at its end, so
# that the suites after it, which craft packets with COUNTs they expect
# above the device's, find it as after a fresh load.
keyset_fresh_module() {
	[ -n "${E2M_KO:-}" ] || return 0
	"$1"
	rmmod e2m
	tap_ok $? "unload: rmmod succeeds"
	selftests/lib/load-module.sh "$E2M_KO"
	tap_ok $? "unload: the module loads again"
}
