#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Key material remembered beyond its keys (kernel/material.h, issues 11
# and 13). The same Ks_local handed out again under one bootstrap is a new
# key serial with the same bytes: it must carry on above every COUNT the
# bytes were sent with, whatever Key ID it is bound under, so the device's
# second renewal (back on the first Key ID) does not send COUNT 1 again.
# The same for an e2mkeyset's K_enc. Bytes whose keys are all gone are
# remembered; past material_retain_max the oldest are forgotten, logged,
# and only then start again at COUNT 1. Exhaustion and the MAC-failure
# kill belong to the bytes too. Exact COUNTs throughout. Runs in the test
# VM with the module loaded; its own random bytes, so other suites' keys
# do not matter.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh
. selftests/lib/keyset.sh
. selftests/lib/wait.sh
. selftests/lib/stage.sh
. selftests/lib/locallink.sh

stage_off
export E2MCTL
retain=/sys/module/e2m/parameters/material_retain_max
retain_saved=$(cat $retain)
restore_retain() { echo "$retain_saved" > $retain; }
at_exit restore_retain
drop_namespaces() {
	ip netns del dev 2>/dev/null
	ip netns del mt 2>/dev/null
	keyctl clear @u >/dev/null 2>&1
}
at_exit drop_namespaces

rand() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
A=$(rand 32)
B=$(rand 32)
C=$(rand 32)

# ks_local HEX DESC: adds a Ks_local_device of those bytes to @u; its serial.
ks_local() {
	/usr/bin/python3 -S -c '
import struct, sys
key = bytes.fromhex(sys.argv[1])
btid, naf, dev = b"material@bsf.home1.net", \
	b"nafkc.home1.net" + bytes.fromhex("ff00000001"), b"imei:490154203237518"
sys.stdout.buffer.write(struct.pack("<BBBBHHI32s", 1, 1, len(btid), len(dev),
	len(naf), 0, 0, key) + btid + naf + dev)' "$1" | keyctl padd ks_local "$2" @u
}
objects() {	# NAME: a live object count of the debug module, "none" without it
	local f=/sys/module/e2m/parameters/objects
	[ -r $f ] || { echo none; return; }
	tr ' ' '\n' < $f | sed -n "s/^$1=//p"
}
bind() {	# NS TEID SERIAL KID: binds a ks_local key, NEA2/NIA2
	in_ns "$1" "$E2MCTL" key bind e2m0 teid "$2" serial "$3" key-id "$4" alg 2
}
use() {		# KID: both ends transmit with it
	dev "$E2MCTL" key use e2m0 teid 100 key-id "$1" &&
	mt "$E2MCTL" key use e2m0 teid 200 key-id "$1"
}
unbind() {	# KID: unbound on both ends
	dev "$E2MCTL" key unbind e2m0 teid 100 key-id "$1" &&
	mt "$E2MCTL" key unbind e2m0 teid 200 key-id "$1"
}
pings() {	# N: N echo requests from the device, all answered
	dev ping -c "$1" -i 0.2 -W 3 -q 192.168.200.1 >/dev/null
}
# retire SERIAL...: revokes the keys; once their slots are unbound and the
# grace period passed, the material has no key left.
retire() {
	local k
	for k in "$@"; do
		keyctl revoke "$k" || return 1
	done
}

local_link_up
tap_ok $? "the local link: device teid 100 (role ue), MT teid 200 (role hse)"
m0=$(objects material)

# --- the device's renewals under one bootstrap -------------------------------
# Establishment: Key ID 1. Each renewal hands out the same bytes again as a
# new key, bound under the other Key ID (the device role alternates them).
kd1=$(ks_local $A "dev establishment")
km1=$(ks_local $A "mt establishment")
bind dev 100 "$kd1" 1 && bind mt 200 "$km1" 1 && pings 3
tap_ok $? "establishment: Key ID 1, 3 pings answered"
tap_is "$(slot dev 100 1 tx-count) $(slot mt 200 1 tx-count)" "4 4" \
	"establishment: 3 COUNTs sent each way, next 4"
if [ "$m0" != none ]; then
	tap_is "$(objects material)" $((m0 + 1)) \
		"establishment: one material for the two keys of the same bytes"
fi

kd2=$(ks_local $A "dev renewal 1")
km2=$(ks_local $A "mt renewal 1")
tap_is "$((kd2 != kd1))" 1 "renewal 1: the same bytes are a new key serial"
bind dev 100 "$kd2" 2 && bind mt 200 "$km2" 2
tap_ok $? "renewal 1: the new keys bound under Key ID 2 beside Key ID 1"
tap_is "$(slot dev 100 2 tx-count) $(slot mt 200 2 tx-count)" "4 4" \
	"renewal 1: the new serial carries on at COUNT 4 each way, not 1"
use 2 && unbind 1 && retire "$kd1" "$km1" && pings 2
tap_ok $? "renewal 1: switched to Key ID 2, Key ID 1 unbound and revoked, 2 pings"
tap_is "$(slot dev 100 2 tx-count) $(slot mt 200 2 rx-count) $(stat mt 200 replay)" "6 5 0" \
	"renewal 1: COUNTs 4 and 5 sent and received, no replay"

kd3=$(ks_local $A "dev renewal 2")
km3=$(ks_local $A "mt renewal 2")
bind dev 100 "$kd3" 1 && bind mt 200 "$km3" 1
tap_ok $? "renewal 2: the same bytes again, back under Key ID 1"
tap_is "$(slot dev 100 1 tx-count) $(slot mt 200 1 tx-count)" "6 6" \
	"renewal 2: Key ID 1 carries on at COUNT 6: no keystream of establishment again"
use 1 && unbind 2 && retire "$kd2" "$km2" && pings 2
tap_ok $? "renewal 2: switched to Key ID 1, 2 pings answered"
tap_is "$(slot dev 100 1 tx-count) $(slot mt 200 1 rx-count) $(stat mt 200 replay)" "8 7 0" \
	"renewal 2: COUNTs 6 and 7 under Key ID 1, no replay"
if [ "$m0" != none ]; then
	tap_is "$(objects material)" $((m0 + 1)) "renewals: still one material for six keys"
fi

# --- retired bytes are remembered --------------------------------------------
unbind 1 && retire "$kd3" "$km3"
tap_ok $? "retired: every key of the bytes unbound and revoked"
if [ "$m0" != none ]; then
	tap_is "$(objects material)" $((m0 + 1)) "retired: the material stays"
fi
kd4=$(ks_local $A "dev again")
km4=$(ks_local $A "mt again")
bind dev 100 "$kd4" 3 && bind mt 200 "$km4" 3
tap_ok $? "retired: the same bytes added again, Key ID 3"
# A slot is freed a grace period after its unbind: the COUNT it shares is
# the material's all along, so the next COUNT is exact at once.
tap_is "$(slot dev 100 3 tx-count) $(slot mt 200 3 tx-count)" "8 8" \
	"retired: found again, COUNT carries on at 8"
pings 1
tap_is "$(slot mt 200 3 rx-count) $(stat mt 200 replay)" "8 0" "retired: COUNT 8 received, no replay"

# --- an e2mkeyset's K_enc: the same rule -------------------------------------
K_ENC=$(rand 16)
K_INT=$(rand 16)
unbind 3 && retire "$kd4" "$km4"
tap_ok $? "keyset: the ks_local keys gone"
ks1=$(keyset 5 "keyset dev")
ksm=$(keyset 5 "keyset mt")
dev "$E2MCTL" key bind e2m0 teid 100 serial "$ks1" &&
mt "$E2MCTL" key bind e2m0 teid 200 serial "$ksm" && pings 2
tap_ok $? "keyset: an e2mkeyset under Key ID 5, 2 pings answered"
tap_is "$(slot dev 100 5 tx-count)" 3 "keyset: COUNTs 1 and 2 sent: new bytes start at 1"
K_INT=$(rand 16)
ks2=$(keyset 6 "keyset dev, same K_enc, another K_int")
dev "$E2MCTL" key bind e2m0 teid 100 serial "$ks2"
tap_ok $? "keyset: the same K_enc with another K_int and Key ID is a new key"
tap_is "$(slot dev 100 6 tx-count)" 3 "keyset: it carries on at COUNT 3"
dev "$E2MCTL" key unbind e2m0 teid 100 key-id 6 && retire "$ks2"
tap_ok $? "keyset: the second key unbound and revoked"

# --- exhausted bytes stay exhausted ------------------------------------------
dev "$E2MCTL" set e2m0 count-notify 4 count-limit 4
pings 1
tap_is "$(slot dev 100 5 tx-count)" 4 "exhausted: COUNT 3 sent, the limit of 4 is next"
dev ping -c 2 -i 0.2 -W 1 -q 192.168.200.1 >/dev/null
tap_is "$(stat dev 100 counter-exhausted)" 1 "exhausted: COUNT 4 sent, the next packet is dropped"
dev "$E2MCTL" key unbind e2m0 teid 100 key-id 5 && retire "$ks1"
ks3=$(keyset 5 "keyset dev, exhausted bytes")
dev "$E2MCTL" set e2m0 count-limit 4294967295 count-notify $((4294967295 - 1048576))
dev "$E2MCTL" key bind e2m0 teid 100 serial "$ks3" 2>/tmp/material.err
tap_is "$? $(grep -c 'reached the COUNT limit' /tmp/material.err)" "1 1" \
	"exhausted: the bytes added again as a new key are never bound again"
mt "$E2MCTL" key unbind e2m0 teid 200 key-id 5 && retire "$ksm" "$ks3"
tap_ok $? "exhausted: the MT's key gone too"

# --- past material_retain_max the oldest are forgotten -----------------------
# forgot: waits for the log line of one retirement, then clears the log.
forgot() {
	wait_for eval "dmesg | grep -q 'forgot the COUNTs of $1 retired key(s)'"
	local rc=$?
	dmesg -c >/dev/null
	return $rc
}
echo 0 > $retain 2>/dev/null
tap_is $? 1 "retain: 0 is refused"
kd5=$(ks_local $A "dev before forgetting")
bind dev 100 "$kd5" 1
tap_is "$(slot dev 100 1 tx-count)" 9 "retain: A, live again, remembered (next 9)"
echo 1 > $retain
tap_is "$(cat $retain)" 1 "retain: 1 retired material kept"
dmesg -c >/dev/null
# C's retirement forgets what other sections and suites retired (at least
# the keyset's K_enc above), keeping only C.
kc=$(ks_local $C "C")
retire "$kc"
forgot "[0-9]*"
tap_ok $? "retain: C retired, every older retired material forgotten"
dev "$E2MCTL" key unbind e2m0 teid 100 key-id 1 && retire "$kd5"
forgot 1
tap_ok $? "retain: A retired after C: C forgotten, exactly 1, and logged"
kb=$(ks_local $B "B")
bind dev 100 "$kb" 2 && dev ping -c 1 -W 1 -q 192.168.200.1 >/dev/null
tap_is "$(slot dev 100 2 tx-count)" 2 "retain: B sent COUNT 1 (the MT has no key for it)"
dev "$E2MCTL" key unbind e2m0 teid 100 key-id 2 && retire "$kb"
forgot 1
tap_ok $? "retain: B retired after A: A forgotten, and logged"
kd6=$(ks_local $A "dev after forgetting")
bind dev 100 "$kd6" 3
tap_is "$(slot dev 100 3 tx-count)" 1 "retain: A, forgotten, starts again at COUNT 1"
kb2=$(ks_local $B "B again")
bind dev 100 "$kb2" 4
tap_is "$(slot dev 100 4 tx-count)" 2 "retain: B, the one kept, carries on at COUNT 2"
dev "$E2MCTL" key unbind e2m0 teid 100 key-id 4 &&
dev "$E2MCTL" key unbind e2m0 teid 100 key-id 3 && retire "$kd6" "$kb2"
tap_ok $? "the last keys unbound and revoked"

tap_done
