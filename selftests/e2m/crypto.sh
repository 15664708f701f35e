#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A crypto request the kernel's crypto API keeps to finish later
# (-EINPROGRESS), on the data path: the debug module's crypto_test_kept
# parameter makes the keys bound while it is set use cryptd, which keeps
# every request. The packet is dropped and counted as "crypto" (not as an
# auth failure), its COUNT is never used again, and the key set bound again
# with the usual transforms carries on above it. Runs in the test VM with
# the debug module loaded; leaves it loaded.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh
. selftests/lib/keyset.sh
. selftests/lib/veth.sh

param=/sys/module/e2m/parameters/crypto_test_kept
ue() { in_ns ue "$@"; }
hse() { in_ns hse "$@"; }
# stat NS TEID NAME: one counter or field of a flow, from e2mctl's output.
stat() {
	word_after "$3" "$(in_ns "$1" "$E2MCTL" flow show e2m0 teid "$2")"
}
cleanup() {
	echo 0 > $param 2>/dev/null
	ip netns del ue 2>/dev/null
	ip netns del hse 2>/dev/null
	keyctl clear @u >/dev/null 2>&1
}
at_exit cleanup

if [ ! -w $param ]; then
	echo "1..0 # SKIP not the debug module"
	exit 0
fi

veth_pair
e2m_pair
tap_ok $? "flows added on both sides"

# --- transmit: the device's key uses cryptd ------------------------------
kue=$(keyset 1 "imsi:$IMSI1 kid:1 ue")
khse=$(keyset 1 "imsi:$IMSI1 kid:1 hse")
hse "$E2MCTL" key bind e2m0 teid 200 serial "$khse"
tap_ok $? "the gateway's key is bound with the usual transforms"
echo 1 > $param
ue "$E2MCTL" key bind e2m0 teid 100 serial "$kue"
tap_ok $? "the device's key is bound with cryptd"
echo 0 > $param
ue ping -c 5 -i 0.2 -W 1 -q 192.168.100.1 >/dev/null
tap_is $? 1 "transmit: no answer"
tap_is "$(stat ue 100 crypto) $(stat ue 100 tx-packets) $(stat ue 100 nomem)" "5 0 0" \
	"transmit: 5 packets dropped as crypto, none sent, none as nomem"
tap_is "$(stat ue 100 tx-count)" 6 "transmit: their 5 COUNTs are spent, the next is 6"
tap_is "$(stat hse 200 rx-packets) $(stat hse 200 auth)" "0 0" "transmit: nothing reached the gateway"

# The same key set again, with the usual transforms: COUNT goes on from 6.
ue "$E2MCTL" key unbind e2m0 teid 100 key-id 1 &&
	ue "$E2MCTL" key bind e2m0 teid 100 serial "$kue"
tap_ok $? "the device's key set is bound again, with the usual transforms"
ue ping -c 3 -i 0.2 -W 3 -q 192.168.100.1 >/dev/null
tap_ok $? "ping: 3 answers"
tap_is "$(stat ue 100 tx-count) $(stat hse 200 rx-count) $(stat hse 200 replay)" "9 8 0" \
	"no COUNT used twice: the device sent 6 to 8, the gateway accepted up to 8"

# --- receive: the gateway's key uses cryptd ------------------------------
hse "$E2MCTL" key unbind e2m0 teid 200 key-id 1
echo 1 > $param
hse "$E2MCTL" key bind e2m0 teid 200 serial "$khse"
tap_ok $? "the gateway's key is bound again, with cryptd"
echo 0 > $param
ue ping -c 4 -i 0.2 -W 1 -q 192.168.100.1 >/dev/null
tap_is $? 1 "receive: no answer"
tap_is "$(stat hse 200 crypto) $(stat hse 200 auth) $(stat hse 200 rx-packets)" "4 0 3" \
	"receive: 4 packets dropped as crypto, not as auth failures, none delivered (the flow's 3 of before)"
tap_is "$(stat ue 100 tx-packets)" 7 "receive: the device sent them (3 + 4)"

# Unbinding waits for the kept requests; the module's leak check at unload
# (vm-tests.sh) sees what is left.
ue "$E2MCTL" key unbind e2m0 teid 100 key-id 1 &&
	hse "$E2MCTL" key unbind e2m0 teid 200 key-id 1
tap_ok $? "both keys unbound"

tap_done
