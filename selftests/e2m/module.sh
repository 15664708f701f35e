#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module life: load, keys of both types present, unload (the key garbage
# collector destroys them and the module's leak check runs), nothing left
# behind, load again. Runs in the test VM with the module not loaded; leaves
# it loaded. usage: module.sh PATH/TO/e2m.ko
set -u
. "$(dirname "$0")/../lib/prologue.sh"

ko=$1

e2m_key_lines() {
	grep -cE ' (e2mkeyset|ks_local) ' /proc/keys
}

"$(dirname "$0")/../lib/load-module.sh" "$ko"
tap_ok $? "module loads"
tap_is "$(grep -c '^e2m ' /proc/modules)" 1 "module is listed"

# A keyset payload: version 1, NEA2, NIA2, Key ID 5, no lifetime, keys.
keyset_payload() {
	printf '\x01\x02\x02\x05\x00\x00\x00\x00\x00\x00\x00\x00'
	printf '0123456789abcdef0123456789abcdef'
}
# A ks_local payload: version 1, device, B-TID 4, Device_ID 3, NAF_Id 6
# (little-endian), then the key, then B-TID "b@bf", NAF_Id "x" || Ua id,
# Device_ID "dev".
ks_local_payload() {
	printf '\x01\x01\x04\x03\x06\x00\x00\x00\x00\x00\x00\x00'
	printf '0123456789abcdef0123456789abcdef'
	printf 'b@bfx\x01\x00\x00\x00\x02dev'
}

# The keys live in a keyring that outlives the shell that made them.
ring=$(keyctl newring e2m-module-test @u)
k1=$(keyset_payload | keyctl padd e2mkeyset "imsi:001010000000001 kid:5" "$ring")
tap_ok $? "e2mkeyset key added with keyctl padd"
k2=$(ks_local_payload | keyctl padd ks_local "device:dev" "$ring")
tap_ok $? "ks_local key added with keyctl padd"
tap_is "$(keyctl describe "$k1" | sed 's/^ *[0-9]*: [a-z-]* *[0-9]* *[0-9]* //')" \
	"e2mkeyset: imsi:001010000000001 kid:5" "keyctl describe names type and description"
keyctl print "$k1" >/dev/null 2>&1
tap_is $? 1 "keyctl print is refused"
keyctl read "$k2" >/dev/null 2>&1
tap_is $? 1 "keyctl read is refused"
tap_is "$(e2m_key_lines)" 2 "both keys are in /proc/keys"

dmesg -C
rmmod e2m
tap_ok $? "module unloads with keys present"
tap_is "$(e2m_key_lines)" 0 "no e2m key is left in /proc/keys"
tap_is "$(dmesg | grep -c 'e2m: leak')" 0 "no payload leaked"
tap_is "$(dmesg | grep -c 'e2m unloaded')" 1 "module reported its unload"
keyctl padd e2mkeyset again "$ring" < /dev/null >/dev/null 2>&1
tap_is $? 1 "the key type is gone with the module"

"$(dirname "$0")/../lib/load-module.sh" "$ko"
tap_ok $? "module loads again"
k3=$(keyset_payload | keyctl padd e2mkeyset "after-reload" "$ring")
tap_ok $? "keys can be added after reload"
keyctl unlink "$ring" @u >/dev/null

tap_done
