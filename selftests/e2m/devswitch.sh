#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The MT's new key waits for the device (issue 13; E2M_KEY_F_TX_ON_RX):
# the local link of devrole.sh (device "dev", role ue, teid 100; MT "mt",
# role hse, teid 200, its e2md routing to "net", where a real HSS, BSF
# and NAF Key Centre run: three namespaces, selftests/lib/devlink.sh)
# with bootstraps of 120 s, so that a run 60 s on makes the MT bootstrap
# again (it keeps 60 s for a new key): a new B-TID, a new Ks_local, a
# move; the new bootstrap is fresh for 60 s, in which the role's own
# renewals keep the key they have. The device is blocked at the Key Centre first: the MT binds its
# new key at step 9 with TX_ON_RX and goes on transmitting under the old
# one, which the device still has: the link stays up though the device
# never got the new key. Unblocked, the MT's rekey-request makes the
# role run: the device gets the new key (the MT keeps its own: the same
# B-TID), binds it at Key ID 2 and uses it; its first packet under it
# switches the MT, which then unbinds the old slot (key-switched).
# Exact counters and COUNTs. Runs in the test VM with the module
# loaded; prints TAP.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh
. selftests/lib/wait.sh
DEVLINK_KEY_LIFETIME=120
. selftests/lib/devlink.sh

logs() {	# NAME...: the daemons' logs as TAP comments (a step that failed)
	local n
	for n in "$@"; do
		echo "# --- $n.log"
		tail -25 "$tmp/$n.log" | sed 's/^/# /'
	done
}
bound() {	# N: the role logged N keys bound
	[ "$(grep -c "event=key-bound" "$tmp/devd.log")" -ge "$1" ]
}
mt_counter() {
	"$E2MCTL" --socket "$tmp/run/mt.sock" status |
		sed -n "s/^role=mt .* $1=\([0-9]*\).*/\1/p"
}
ub_runs() { grep -c "role=mt event=bootstrap-started" "$tmp/mt.log"; }
kcctl() { net "$E2MCTL" --socket "$tmp/run/nafkc.sock" "$@"; }

start devd || bail devd
wait_long bound 1 || logs devd mt
kmt=$(slot mt 200 1 serial)
kdev=$(slot dev 100 1 serial)
tap_is "$(stat dev 100 tx-key-id) $(slot dev 100 1 type) $(stat mt 200 tx-key-id) $(slot mt 200 1 type)" \
	"1 ks_local 1 ks_local" "established: both ends at Key ID 1"

# --- the device refused by the Key Centre: the MT's new key waits ----------
kcctl device block "$DEV" > /dev/null
tap_ok $? "the device blocked at the Key Centre"
# The role's runs fail at the Key Centre, each after its B-TID request:
# the first with less than 60 s left of the bootstrap makes the MT
# bootstrap again. The MT's rekey-request makes one then.
ends=$(slot dev 100 1 expires)
# (the MT's bootstrap may end a second after the device's key)
while [ "$(date +%s)" -le $((ends - 59)) ]; do sleep 1; done
mt_admin() {	# JSON: one request on the MT's admin socket, its answer
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
print(s.makefile().readline().strip())' "$tmp/run/mt.sock" "$1"
}
mt_admin "{\"command\":\"mt-rekey\",\"device-id\":\"$DEV\",\"naf-id\":\"nafkc.test\"}" > /dev/null
wait_long eval '[ "$(ub_runs)" -ge 2 ] && grep -q "role=mt event=key-bound .*tx-on-rx-from=1" "$tmp/mt.log"' ||
	logs devd mt
kmt2=$(slot mt 200 2 serial)
tap_is "$(( kmt2 != kmt )) $(slot mt 200 2 tx-pending) $(stat mt 200 tx-key-id) $(slot mt 200 1 serial) $(mt_counter flow-binds)" \
	"1 True 1 $kmt 2" \
	"the MT's new key (a new bootstrap) bound at Key ID 2 with TX_ON_RX, the old one still transmits"
grep -q "role=device event=run-failed .*device-blocked" "$tmp/devd.log"
tap_ok $? "the device's run refused by the Key Centre (device-blocked)"
tap_is "$(stat dev 100 tx-key-id) $(slot dev 100 1 serial) $(slot dev 100 2 serial)" \
	"1 $kdev none" "the device kept its key at Key ID 1"
mt_tx=$(slot mt 200 1 tx-count)
mt ping -c 3 -i 0.2 -W 3 -q 192.168.200.2 > /dev/null
tap_is "$? $(stat mt 200 tx-key-id) $(slot mt 200 1 tx-count) $(slot mt 200 2 tx-pending)" \
	"0 1 $((mt_tx + 3)) True" \
	"the link stays up: MT to device 3 of 3 answered under the old key, the new one still waits"

# --- unblocked: the device moves, its first packet switches the MT ---------
kcctl device unblock "$DEV" > /dev/null
tap_ok $? "the device unblocked"
bound_before=$(grep -c "event=key-bound" "$tmp/devd.log")
# The MT sends at most one rekey-request a key every MT_REKEY_GAP (5 s):
# the last one (the test's above, or one the MT sent itself) may be that
# recent.
for try in $(seq 10); do
	answer=$(mt_admin "{\"command\":\"mt-rekey\",\"device-id\":\"$DEV\",\"naf-id\":\"nafkc.test\"}")
	case $answer in *"went out less than"*) sleep 1 ;; *) break ;; esac
done
wait_long bound $((bound_before + 1)) || logs devd mt
tap_is "$(stat dev 100 tx-key-id) $(slot dev 100 1 serial) $(slot mt 200 2 serial) $(slot mt 200 2 tx-pending) $(stat mt 200 tx-key-id)" \
	"2 none $kmt2 True 1" \
	"the device moved to Key ID 2 ($answer); the MT kept its key there, still waiting"
dev ping -c 3 -i 0.2 -W 3 -q 192.168.200.1 > /dev/null
tap_is "$? $(stat mt 200 tx-key-id) $(slot mt 200 2 tx-pending)" "0 2 False" \
	"device to MT 3 of 3 answered: its first packet under Key ID 2 switched the MT"
tap_is "$(slot dev 100 2 tx-count) $(slot mt 200 2 rx-count) $(slot mt 200 2 tx-count) $(slot dev 100 2 rx-count) $(stat mt 200 auth) $(stat mt 200 replay)" \
	"4 3 4 3 0 0" "COUNTs from 1 under the new key each way, nothing refused"
wait_long eval 'grep -q "role=mt event=key-switched" "$tmp/mt.log"' || logs mt
tap_is "$(slot mt 200 1 serial) $(slot mt 200 2 serial) $(mt_counter flow-switches)" \
	"none $kmt2 1" "the MT unbound its old slot (key-switched)"
grep -q "role=mt event=key-switched msg=\"device=$DEV e2m0 teid 200 key-id 2 old-key-id 1\"" "$tmp/mt.log"
tap_ok $? "key-switched logged with the Key IDs"
stop devd
tap_is "$stop_status" 0 "the device role stops cleanly"

localnet_teardown
tap_done
