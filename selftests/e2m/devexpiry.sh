#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A real lifetime expiry driving the e2md role device (issue 13, item 6):
# the local link of devrole.sh (device "dev", role ue, teid 100; MT "mt",
# role hse, teid 200, its e2md routing to "net", where a real HSS, BSF
# and NAF Key Centre run: three namespaces, selftests/lib/devlink.sh),
# with bootstraps of 75 s: the BSF's key-lifetime caps the Key Centre's
# key and is the MT's, so both ends' keys end within a second. Once the
# key is bound the device's PSK file is made readable by others, so each
# timed renewal fails (5, 10, 20 s apart, then 40 s) and the key ends for
# real (and again after the new key, so that it stays to be checked).
# Checked: traffic before the end; the first packet after it dropped
# as dead-key, nothing sent; the kernel's expired event makes the role run
# the procedure again (one event run, no renewal); both ends' new keys in
# place of the ended ones at Key ID 1, COUNT carried on; traffic again,
# no replay. Runs in the test VM with the module loaded; prints TAP.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh
. selftests/lib/wait.sh
DEVLINK_KEY_LIFETIME=75
. selftests/lib/devlink.sh

# logs NAME...: the daemons' logs as TAP comments (a step that failed)
logs() {
	local n
	for n in "$@"; do
		echo "# --- $n.log"
		tail -25 "$tmp/$n.log" | sed 's/^/# /'
	done
}
# A run reads the PSK file once, at its start; the MT's Ub run follows its
# btid-request: the PSK file may be spoilt for the next runs from then on.
ub_runs() { grep -c "role=mt event=bootstrap-started" "$tmp/mt.log"; }
spoil_psk_after_ub() {	# N: once the MT started its Nth Ub run
	wait_long eval '[ "$(ub_runs)" -ge '"$1"' ]'
	chmod 644 "$tmp/dev.psk"
}
start devd || bail devd
spoil_psk_after_ub 1
bound() {	# N: the role logged N keys bound (cheaper than e2mctl under TCG)
	[ "$(grep -c "event=key-bound" "$tmp/devd.log")" -ge "$1" ]
}
mt_bound() {	# the serial of the MT's last key-bound line
	sed -n 's/.*role=mt event=key-bound .* serial=\([0-9]*\).*/\1/p' "$tmp/mt.log" | tail -1
}
wait_long bound 1 || logs devd mt nafkc bsf
serial5=$(slot dev 100 1 serial)
ends=$(slot dev 100 1 expires)
kmt5=$(mt_bound)
mt_ends=$(slot mt 200 1 expires)
# Each end adds its key with what is left of the bootstrap's lifetime:
# the kernel's clock may have turned one second on meanwhile.
tap_is "$(devd_serial) $(slot dev 100 1 type) $(stat dev 100 tx-key-id) $(slot mt 200 1 serial) $(stat mt 200 tx-key-id) $(( ends - mt_ends <= 1 && mt_ends - ends <= 1 ))" \
	"$serial5 ks_local 1 $kmt5 1 1" \
	"established and bound at Key ID 1 on both ends, both keys ending within a second"
tap_is "$(( ends - $(date +%s) <= 75 ))" 1 "the key lives no longer than the bootstrap (75 s)"
dev ping -c 2 -i 0.2 -W 3 -q 192.168.200.1 > /dev/null
tap_is "$? $(slot dev 100 1 tx-count) $(slot mt 200 1 rx-count)" "0 3 2" \
	"2 of 2 answered before the end, COUNT from 1"
# Past the end (the kernel: expired from that second on), the PSK set right.
[ "$mt_ends" -gt "$ends" ] && ends=$mt_ends
while [ "$(date +%s)" -le "$ends" ]; do sleep 1; done
chmod 600 "$tmp/dev.psk"
tx=$(stat dev 100 tx-packets)
mt_rx=$(stat mt 200 rx-packets)
dev ping -c 1 -W 2 -q 192.168.200.1 > /dev/null
ping_status=$?
# A key of 75 s is renewed a tenth of its life on: not this one, kept to check.
spoil_psk_after_ub 2
tap_is "$ping_status $(stat dev 100 dead-key) $(stat dev 100 tx-packets) $(stat mt 200 rx-packets)" \
	"1 1 $tx $mt_rx" \
	"the first packet after the end dropped as dead-key, nothing left the device"
wait_long bound 2 || logs devd mt
serial6=$(devd_serial)
tap_is "$(devd_counter event-runs) $(devd_counter established) $(devd_counter renewals) $(( $(devd_counter failures) >= 1 ))" \
	"1 2 0 1" \
	"the timed renewals failed, the kernel's event made one run, a new procedure"
grep -q "event=key-event reason=expired teid=100 key-id=1 .*then=establish" "$tmp/devd.log"
tap_ok $? "the role logged the kernel's expired event"
kmt6=$(mt_bound)
tap_is "$(( serial6 != serial5 )) $(slot dev 100 1 serial) $(slot dev 100 1 state) $(slot dev 100 1 tx-count) $(slot dev 100 2 serial)" \
	"1 $serial6 live 3 none" \
	"the device's new key in place of its dead slot, COUNT carried on (3)"
tap_is "$(( kmt6 != kmt5 )) $(slot mt 200 1 serial) $(stat mt 200 tx-key-id) $(slot mt 200 1 tx-count) $(slot mt 200 2 serial)" \
	"1 $kmt6 1 3 none" \
	"the MT's new key in place of its ended one at Key ID 1 too, COUNT carried on"
dev ping -c 2 -i 0.2 -W 3 -q 192.168.200.1 > /dev/null
tap_is "$? $(slot dev 100 1 tx-count) $(slot mt 200 1 rx-count) $(slot mt 200 1 tx-count) $(slot dev 100 1 rx-count) $(stat mt 200 replay) $(stat dev 100 tx-packets)" \
	"0 5 4 5 4 0 $((tx + 2))" \
	"traffic again, 2 of 2 answered, COUNTs 3 and 4 each way, no replay"
stop devd
tap_is "$stop_status" 0 "the device role stops cleanly"

localnet_teardown
tap_done
