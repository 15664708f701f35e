#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A remote device establishes its Ks_local end to end (TS 33.259 4.5.2
# steps 1-18, seed 001 8.1; Documentation/local-key-establishment.md),
# run for real on loopback: an HSS, a BSF, a NAF Key Centre and an MT,
# each an e2md of its own (as tests/mt_test.sh sets them up), and the
# device, `e2mctl local-key establish`, with a store of its own:
#
#   the full procedure (the MT's NAF-ID list, its B-TID, the Key Centre
#   over PSK-TLS, the completion notice): the key the device keeps equals
#   e2mctl ks-local's derivation from the MT's Ks_NAF, the MT counts the
#   completion, the Key Centre lists the key it issued; a second run uses
#   the stored key (no new request at the MT or the Key Centre); --renew
#   with the device's own NAF-ID skips the list; an MT that refuses the
#   completion notice (tests/local_proxy.py in front of the real one):
#   the key kept, not completed, and the notice sent again by the next
#   run; refusals of the Key Centre (a blocked Device_ID) and of the MT
#   (an unknown NAF-ID), no common NAF-ID and an MT not there each reach
#   the device as a clear error with nothing stored; local-key list never
#   shows a key; the e2md role device by itself, and the MT's
#   rekey-request on its watch running the procedure again.
#
# Keys in the kernel: where this machine has the ks_local key type (the
# e2m module loaded: the VM suite selftests/e2m/localkey.sh runs this
# script there) the key goes into @u, expiring with the key, described as
# documented, not readable, installed again when gone and replaced make
# before break; elsewhere the device refuses to go on without the module
# unless --no-kernel, and those checks are skipped, saying so.
# Prints TAP.
#
#   tests/local_key_test.sh [E2MCTL [E2MD]]    (or the E2MCTL and E2MD variables)
#
# Needs root (the admin sockets take uid 0 only), openssl and keyctl.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}

need_root "the admin socket needs root"
need_tools openssl timeout keyctl

make_tmp shm
. "$here/daemon_lib.sh"

pki_ca hss.test bsf.test nafkc.test
store_keys hss bsf nafkc mt dev
ca devca || { echo "Bail out! openssl could not make the device CA"; exit 1; }

ICCID1=8988211000000000011
DEV1=imei:490154203237518
DEV2=imei:356938035643809
DEV3=imei:353456789012345
DEV4=imei:357805023984942
# DEV4's certificates: from the Key Centre's device CA, from another CA
# (the TLS CA), and one from the device CA naming DEV2.
devcert cert4 devca $DEV4
devcert stranger4 ca $DEV4
devcert cert2 devca $DEV2

bail() {	# NAME: the daemon did not start
	echo "Bail out! $1 did not start"
	sed 's/^/# /' "$tmp/$1.log"
	exit 1
}

cat > "$tmp/hss.yaml" <<EOF
$(config_base hss hss.test)
roles:
  hss: { listen: "127.0.0.1:0", clients: [bsf.test], sn-clients: [sgw.test] }
EOF
start hss || bail hss
HSS=$(ready_value hss hss.zh)
cat > "$tmp/bsf.yaml" <<EOF
$(config_base bsf bsf.test)
roles:
  bsf:
    name: bsf.test
    ub-listen: "127.0.0.1:0"
    zn-listen: "127.0.0.1:0"
    hss-url: "https://$HSS"
    key-lifetime: 3600
    nafs: [{ name: nafkc.test }]
EOF
start bsf || bail bsf
UB=$(ready_value bsf bsf.ub)
ZN=$(ready_value bsf bsf.zn)
cat > "$tmp/nafkc.yaml" <<EOF
$(config_base nafkc nafkc.test)
roles:
  nafkc:
    name: nafkc.test
    listen: "127.0.0.1:0"
    bsf-url: "https://$ZN"
    key-lifetime: 600
    device-auth: [psk, certificate]
    device-ca: $tmp/devca.crt
EOF
start nafkc || bail nafkc
KC=$(ready_value nafkc nafkc.devices)
cat > "$tmp/mt.yaml" <<EOF
$(config_base mt)
roles:
  mt:
    listen: "127.0.0.1:0"
    iccid: "$ICCID1"
    naf-ids: [nafkc.test, kc2.test]
    bsf-url: "http://$UB"
    keyring: none
EOF

hssctl() { ctl --socket "$tmp/run/hss.sock" "$@"; }
kcctl() { ctl --socket "$tmp/run/nafkc.sock" "$@"; }
mtctl() { ctl --socket "$tmp/run/mt.sock" "$@"; }
mtstore() { ctl "$@" --store "$tmp/mt.db" --store-key-file "$tmp/mt.key"; }
field() { sed -n "s/^$1=//p" <<< "$out"; }
hex_of() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
psk_of() { echo "psk=$1"; }
# establish ARGS...: the device, with its store, against the MT
establish() {
	ctl local-key establish --mt "$MT" --store "$tmp/dev.db" \
		--store-key-file "$tmp/dev.key" --timeout 20 "$@"
}
stored() {	# the device's store, one line per key
	"$E2MCTL" local-key list --store "$tmp/dev.db" \
		--store-key-file "$tmp/dev.key"
}
mt_counter() {	# NAME: the MT's counter
	"$E2MCTL" --socket "$tmp/run/mt.sock" status |
		sed -n "s/^role=mt .* $1=\([0-9]*\).*/\1/p"
}
kc_issued() {
	"$E2MCTL" --socket "$tmp/run/nafkc.sock" status |
		sed -n 's/^role=nafkc .* issued=\([0-9]*\).*/\1/p'
}

hssctl subscriber add --imsi 001010000000001 --impi user1@home1.net \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1) --uss '[{"naf":"nafkc.test","flags":[1]}]'
[ $status = 0 ] || echo "Bail out! subscriber: $err"
mtstore usim add --iccid $ICCID1 --imsi 001010000000001 \
	--impi user1@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1)
[ $status = 0 ] || echo "Bail out! USIM: $err"
start mt || bail mt
MT=$(ready_value mt mt.local)
result 1 "HSS, BSF, Key Centre on $KC, MT's local interface on $MT"

PSK1=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
PSK2=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
kcctl device add --device-id $DEV1 --keys <(psk_of $PSK1)
[ $status = 0 ] || echo "Bail out! device add: $err"
kcctl device add --device-id $DEV2 --keys <(psk_of $PSK2)
[ $status = 0 ] || echo "Bail out! device add: $err"
KC_NAF_ID=$(hex_of nafkc.test)ff00000001

# Can this machine hold ks_local keys (the e2m module loaded)?
if keyctl add ks_local probe x @s > /dev/null 2> "$tmp/probe"; then
	kernel_keys=1
elif grep -q "No such device" "$tmp/probe"; then
	kernel_keys=0
else
	kernel_keys=1	# the type is there; the probe's payload was refused
fi

# --- usage: the PSK never on the command line ----------------------------

establish --device-id $DEV1 --psk $PSK1 --no-kernel
[ $status = 2 ] && grep -q -- "--psk on the command line is refused" <<< "$err"
result $((! $?)) "a PSK on the command line is refused (status 2)" "$status $err"
establish --device-id $DEV1 --naf-id "nafkc.test=$KC" --no-kernel
[ $status = 2 ] && [ "$err" = "e2mctl: local-key establish: --keys (psk=HEX), or --cert, --key and --ca, is needed" ]
result $((! $?)) "no credential: status 2, said" "$err"
establish --device-id $DEV1 --naf-id "nafkc.test=nowhere" --keys <(psk_of $PSK1) --no-kernel
[ $status = 2 ] && [ "$err" = "e2mctl: local-key establish: --naf-id nafkc.test: where it is reached must be HOST:PORT" ]
result $((! $?)) "--naf-id FQDN=HOST:PORT checked" "$err"

establish --device-id $DEV1 --naf-id "nafkc.test=$KC" --keys <(psk_of $PSK1) --flow e2m1
[ $status = 2 ] && [ "$err" = "e2mctl: local-key establish: --flow: IFNAME:TEID[:KEY_ID] (TEID 1..4294967295, KEY_ID 0..7)" ]
result $((! $?)) "--flow without a TEID: status 2, said" "$err"
establish --device-id $DEV1 --naf-id "nafkc.test=$KC" --keys <(psk_of $PSK1) --flow e2m1:5:8
[ $status = 2 ] && [ "$err" = "e2mctl: local-key establish: --flow: IFNAME:TEID[:KEY_ID] (TEID 1..4294967295, KEY_ID 0..7)" ]
result $((! $?)) "--flow with Key ID 8: status 2" "$err"
establish --device-id $DEV1 --naf-id "nafkc.test=$KC" --keys <(psk_of $PSK1) --flow e2m1:5 --no-kernel
[ $status = 2 ] && [ "$err" = "e2mctl: local-key establish: --flow needs the key in a keyring, not --no-kernel" ]
result $((! $?)) "--flow with --no-kernel: status 2, said" "$err"
establish --device-id $DEV1 --naf-id "nafkc.test=$KC" --keys <(psk_of $PSK1) --alg 2 --no-kernel
[ $status = 2 ] && [ "$err" = "e2mctl: local-key establish: --alg is for --flow" ]
result $((! $?)) "--alg without --flow: status 2, said" "$err"

# --- steps 2-18: the full procedure ------------------------------------------

establish --device-id $DEV1 --naf-id "nafkc.test=$KC" --ask-mt \
	--keys <(psk_of $PSK1) --no-kernel --show-key
BTID=$(field btid)
KEY=$(field ks_local)
[ $status = 0 ] && [ "$(field procedure)" = established ] &&
	[ "$(field naf_id)" = nafkc.test ] && [ -n "$BTID" ] &&
	[ "$(field device_id)" = $DEV1 ] && [ "$(field label)" = ks_local_device ] &&
	[ "$(field serial)" = 0 ] && [ "$(field completed)" = 1 ] &&
	[ "$(field tls)" = TLSv1.3 ] && [ ${#KEY} = 64 ] &&
	[ "$(field lifetime)" -ge 590 ] && [ "$(field lifetime)" -le 600 ]
result $((! $?)) "establish: the full procedure, the key's lifetime the Key Centre's 600 s" \
	"$status $err" "$out"
counters="$(mt_counter naf-id-lists) $(mt_counter btids) $(mt_counter bootstraps) $(mt_counter completed)"
[ "$counters" = "1 1 1 1" ]
result $((! $?)) "the MT: one NAF-ID list, one B-TID (one Ub run), one completion notice" \
	"$counters"

mtstore naf-key --iccid $ICCID1 --naf-id $KC_NAF_ID --show-key
ctl ks-local --ks-naf "$(field ks_naf)" --label ks_local_device \
	--btid "$BTID" --naf-id $KC_NAF_ID --device-id $DEV1
[ "$KEY" = "$(field ks_local)" ]
result $((! $?)) "the device's Ks_local = e2mctl ks-local of the MT's Ks_NAF (FC 0xFF 0xE1)" \
	"device $KEY" "kat $(field ks_local)"
kcctl local-key list
[ "$(grep -c "^btid=$BTID device=$DEV1 label=ks_local_device naf_id=$KC_NAF_ID issued=.* revoked=no\$" <<< "$out")" = 1 ]
result $((! $?)) "the Key Centre lists the key it issued" "$out"
rows=$(stored)
grep -qx "device_id=$DEV1 naf_id=nafkc.test btid=$BTID label=ks_local_device created=[0-9T:Z-]* expires=[0-9T:Z-]* serial=0 completed=1" <<< "$rows" &&
	[ "$(grep -c . <<< "$rows")" = 1 ] && ! grep -qi "$KEY" <<< "$rows"
result $((! $?)) "local-key list: one row, completed, never the key" "$rows"

# --- seed 001 8.1: a stored key first ------------------------------------------

before="$(mt_counter naf-id-lists) $(mt_counter btids) $(mt_counter links) $(kc_issued)"
establish --device-id $DEV1 --naf-id "nafkc.test=$KC" --ask-mt \
	--keys <(psk_of $PSK1) --no-kernel --show-key
[ $status = 0 ] && [ "$(field procedure)" = stored ] &&
	[ "$(field ks_local)" = "$KEY" ] && [ "$(field btid)" = "$BTID" ] &&
	[ -z "$(field tls)" ]
result $((! $?)) "again: the stored key, the same" "$status $err" "$out"
after="$(mt_counter naf-id-lists) $(mt_counter btids) $(mt_counter links) $(kc_issued)"
[ "$after" = "$before" ]
result $((! $?)) "and no link to the MT, no request at the Key Centre" \
	"before $before" "after $after"

# --- --renew with the device's own NAF-ID: step 2 skipped ---------------------

establish --device-id $DEV1 --naf-id "nafkc.test=$KC" --keys <(psk_of $PSK1) \
	--no-kernel --renew --show-key
counters="$(mt_counter naf-id-lists) $(mt_counter btids) $(mt_counter optimised) $(mt_counter completed)"
[ $status = 0 ] && [ "$(field procedure)" = established ] &&
	[ "$(field btid)" = "$BTID" ] && [ "$(field ks_local)" = "$KEY" ] &&
	[ "$counters" = "1 2 1 2" ]
result $((! $?)) "--renew, own NAF-ID: no list asked, the optimised procedure, the same key" \
	"$status $err" "$out" "$counters"

# --- a certificate instead of the PSK (TS 33.222 5.5 style) ------------------

establish --device-id $DEV4 --naf-id "nafkc.test=$KC" --cert "$tmp/cert4.crt" \
	--key "$tmp/cert4.key" --ca "$tmp/ca.crt" --no-kernel
[ $status = 0 ] && [ "$(field procedure)" = established ] &&
	[ "$(field device_id)" = $DEV4 ] && [ "$(field btid)" = "$BTID" ] &&
	[ "$(field tls)" = TLSv1.3 ] && [ "$(field completed)" = 1 ] &&
	grep -q "^device_id=$DEV4 naf_id=nafkc.test btid=$BTID .* completed=1\$" <<< "$(stored)"
result $((! $?)) "establish --cert: the Key Centre over certificate TLS, the key stored" \
	"$status $err" "$out"

# --- step 18 refused: the key kept, the notice sent again --------------------

python3 "$here/local_proxy.py" "$tmp/proxy.port" "$MT" &
pid[proxy]=$!
for i in $(seq 100); do [ -s "$tmp/proxy.port" ] && break; sleep 0.1; done
PROXY=127.0.0.1:$(cat "$tmp/proxy.port")
completed=$(mt_counter completed)
ctl local-key establish --mt "$PROXY" --store "$tmp/dev.db" \
	--store-key-file "$tmp/dev.key" --device-id $DEV1 \
	--naf-id "kc2.test=$KC" --naf-id "nafkc.test=$KC" --ask-mt \
	--keys <(psk_of $PSK1) --no-kernel --renew
[ $status = 1 ] &&
	[ "$err" = "e2mctl: local-key establish: the key is stored, but the completion notice failed: the MT refused the complete: internal-error" ] &&
	grep -qx "device_id=$DEV1 naf_id=nafkc.test btid=$BTID .* serial=0 completed=0" <<< "$(stored)" &&
	[ "$(mt_counter completed)" = "$completed" ]
result $((! $?)) "an MT that refuses step 18: said, the key kept, not completed" \
	"$err" "$(stored)"
establish --device-id $DEV1 --naf-id "nafkc.test=$KC" --keys <(psk_of $PSK1) --no-kernel
[ $status = 0 ] && [ "$(field procedure)" = stored ] && [ "$(field completed)" = 1 ] &&
	[ "$(mt_counter completed)" = $((completed + 1)) ] &&
	grep -q " completed=1\$" <<< "$(stored)"
result $((! $?)) "the next run: the stored key, the completion notice sent again" \
	"$status $err" "$out"
kill "${pid[proxy]}"

# --- refusals: who refused, the token, nothing stored -------------------------

rows_before=$(stored)
kcctl device block $DEV2
establish --device-id $DEV2 --naf-id "nafkc.test=$KC" --keys <(psk_of $PSK2) --no-kernel
[ $status = 1 ] && [ -z "$out" ] &&
	[ "$err" = "e2mctl: local-key establish: the Key Centre nafkc.test refused the service request: 403 device-blocked: the Device_ID is blocked" ] &&
	[ "$(stored)" = "$rows_before" ]
result $((! $?)) "a blocked Device_ID: the Key Centre's refusal, nothing stored" "$err"

establish --device-id $DEV3 --naf-id "other.test=$KC" --keys <(psk_of $PSK1) --no-kernel
[ $status = 1 ] &&
	[ "$err" = "e2mctl: local-key establish: the MT refused the btid-request: unknown-naf-id (not a NAF Key Centre of this MT)" ] &&
	[ "$(stored)" = "$rows_before" ]
result $((! $?)) "a NAF-ID the MT does not know: the MT's refusal, nothing stored" "$err"

establish --device-id $DEV3 --naf-id "kc9.test=$KC" --ask-mt --keys <(psk_of $PSK1) --no-kernel
[ $status = 1 ] &&
	[ "$err" = "e2mctl: local-key establish: none of the MT's 2 NAF-IDs is a Key Centre of this device" ] &&
	[ "$(stored)" = "$rows_before" ]
result $((! $?)) "no NAF-ID in common with the MT: said, nothing stored" "$err"

establish --device-id $DEV3 --naf-id "nafkc.test=$KC" --keys <(psk_of $PSK1) --no-kernel
[ $status = 1 ] && [[ "$err" == "e2mctl: local-key establish: the Key Centre nafkc.test: "* ]] &&
	[ "$(stored)" = "$rows_before" ]
result $((! $?)) "a Device_ID the Key Centre has no PSK for: the handshake fails, said" "$err"

ctl local-key establish --mt 127.0.0.1:1 --store "$tmp/dev.db" \
	--store-key-file "$tmp/dev.key" --device-id $DEV3 \
	--naf-id "nafkc.test=$KC" --keys <(psk_of $PSK1) --no-kernel
[ $status = 1 ] &&
	[ "$err" = "e2mctl: local-key establish: the MT at 127.0.0.1 port 1: Connection refused" ]
result $((! $?)) "no MT there: said" "$err"

# --- the kernel keyring ----------------------------------------------------------

if [ $kernel_keys = 1 ]; then
	establish --device-id $DEV1 --naf-id "nafkc.test=$KC" --keys <(psk_of $PSK1) --renew
	serial=$(field serial)
	desc="e2m-device device:$DEV1 btid:$BTID naf:nafkc.test"
	[ $status = 0 ] && [ "$serial" -gt 0 ] &&
		keyctl describe "$serial" | grep -q ": .* ks_local: $desc\$"
	result $((! $?)) "keyctl describe: a ks_local key in @u, described as documented" \
		"$status $err" "$(keyctl describe "$serial" 2>&1)"
	proc=$(awk -v s="$(printf '%08x' "$serial")" '$1 == s' /proc/keys)
	expiry=$(awk '{ print $4 }' <<< "$proc")
	[[ "$expiry" =~ ^(9m|10m|59[0-9]s|600s)$ ]] && grep -q " ks_local *$desc" <<< "$proc"
	result $((! $?)) "/proc/keys: its expiry the key's lifetime ($expiry)" "$proc"
	! keyctl read "$serial" > /dev/null 2>&1 && ! keyctl pipe "$serial" > /dev/null 2>&1
	result $((! $?)) "keyctl read of the key is refused"
	establish --device-id $DEV1 --naf-id "nafkc.test=$KC" --keys <(psk_of $PSK1)
	[ $status = 0 ] && [ "$(field procedure)" = stored ] && [ "$(field serial)" = "$serial" ]
	result $((! $?)) "the stored key in the keyring: used as it is" "$out"
	keyctl revoke "$serial"
	establish --device-id $DEV1 --naf-id "nafkc.test=$KC" --keys <(psk_of $PSK1)
	serial2=$(field serial)
	[ $status = 0 ] && [ "$(field procedure)" = stored ] && [ "$serial2" -gt 0 ] &&
		[ "$serial2" != "$serial" ] && keyctl describe "$serial2" > /dev/null
	result $((! $?)) "its key revoked: the stored key installed again" "$out"
	# The same bootstrap gives the same Ks_local: a new serial of it would
	# start its COUNT again; the key in the keyring is kept instead.
	establish --device-id $DEV1 --naf-id "nafkc.test=$KC" --keys <(psk_of $PSK1) --renew
	serial3=$(field serial)
	[ $status = 0 ] && [ "$(field procedure)" = established ] &&
		[ "$(field extended)" = 1 ] && [ "$serial3" = "$serial2" ] &&
		keyctl describe "$serial3" > /dev/null &&
		[ "$(keyctl list @u | grep -c "ks_local: $desc")" = 1 ]
	result $((! $?)) "--renew under the same bootstrap: the same key, kept (extended=1, serial $serial2), no second key" "$out"
	keyctl revoke "$serial3"
else
	rows_before=$(stored)
	establish --device-id $DEV1 --naf-id "nafkc.test=$KC" --keys <(psk_of $PSK1) --renew
	[ $status = 1 ] &&
		[ "$err" = "e2mctl: local-key establish: the e2m module is not loaded: no ks_local key type (--no-kernel keeps the key in the store only)" ] &&
		[ "$(stored)" = "$rows_before" ]
	result $((! $?)) "no e2m module, no --no-kernel: refused, the store as it was" "$err"
	tap_skip "- ks_local keys in the keyring" "no e2m module on this machine (selftests/e2m/localkey.sh checks them in the VM)"
fi

# --- the e2md role device: the same procedure by itself ----------------------

devd_counter() {	# NAME: the device role's counter
	"$E2MCTL" --socket "$tmp/run/devd.sock" status |
		sed -n "s/^role=device .* $1=\([0-9]*\).*/\1/p"
}
wait_devd() {		# NAME VALUE: until the counter is at least VALUE (20 s)
	local i
	for i in $(seq 200); do
		[ "$(devd_counter "$1")" -ge "$2" ] 2> /dev/null && return 0
		sleep 0.1
	done
	return 1
}
devd_stored() {
	"$E2MCTL" local-key list --store "$tmp/devd.db" --store-key-file "$tmp/dev.key"
}
devd_yaml() {		# DEVICE_ID PSK_FILE: one link, the keyring none
	devd_conf "$1" "psk-file: $2"
}
devd_cert() {		# DEVICE_ID NAME: devd_yaml with certificate NAME
	devd_conf "$1" "certificate: $tmp/$2.crt
    private-key: $tmp/$2.key
    ca: $tmp/ca.crt"
}
devd_conf() {		# DEVICE_ID CREDENTIAL
	cat > "$tmp/devd.yaml" <<EOF
store: { path: $tmp/devd.db, key-file: $tmp/dev.key }
admin: { socket: $tmp/run/devd.sock }
roles:
  device:
    device-id: "$1"
    $2
    keyring: none
    timeout: 20
    links: [{ mt: "$MT", naf-id: nafkc.test, key-centre: "$KC" }]
EOF
}
(umask 077; psk_of $PSK1 > "$tmp/dev1.psk"; psk_of $PSK2 > "$tmp/dev2.psk")

issued=$(kc_issued)
btids=$(mt_counter btids)
devd_yaml $DEV3 "$tmp/dev1.psk"
kcctl device add --device-id $DEV3 --keys <(psk_of $PSK1)
start devd || bail devd
wait_devd established 1
rows=$(devd_stored)
counters="$(devd_counter runs) $(devd_counter established) $(devd_counter stored) $(devd_counter failures)"
[ "$counters" = "1 1 0 0" ] && [ "$(kc_issued)" = $((issued + 1)) ] &&
	[ "$(mt_counter btids)" = $((btids + 1)) ] &&
	grep -qx "device_id=$DEV3 naf_id=nafkc.test btid=$BTID label=ks_local_device created=.* serial=0 completed=1" <<< "$rows" &&
	grep -q "event=key-established .*device-id=$DEV3 .*naf-id=nafkc.test" "$tmp/devd.log"
result $((! $?)) "role device: at start the full procedure, stored, completed" \
	"$counters" "$rows"
stop devd
start devd || bail devd
wait_devd stored 1
counters="$(devd_counter runs) $(devd_counter established) $(devd_counter stored)"
[ "$counters" = "1 0 1" ] && [ "$(kc_issued)" = $((issued + 1)) ] &&
	[ "$(mt_counter btids)" = $((btids + 1)) ]
result $((! $?)) "role device, started again: the stored key, no new request" "$counters"

# The MT asks (rekey-request on the role's watch): the procedure again.
mt_admin() {	# JSON: one request on the MT's admin socket, its answer
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
print(s.makefile().readline().strip())' "$tmp/run/mt.sock" "$1"
}
wait_mt() {		# NAME VALUE: until the MT's counter is VALUE (20 s)
	local i
	for i in $(seq 200); do
		[ "$(mt_counter "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
wait_mt watches-open 1
watches=$(mt_counter watches)
answer=$(mt_admin "{\"command\":\"mt-rekey\",\"device-id\":\"$DEV3\",\"naf-id\":\"nafkc.test\"}")
wait_devd established 1
wait_mt watches-open 1
counters="$(devd_counter runs) $(devd_counter established) $(devd_counter stored) $(devd_counter renewals) $(devd_counter rekey-requests) $(devd_counter watch-failures)"
[ "$answer" = '{"ok":true,"sent":1}' ] && [ "$counters" = "2 1 1 1 1 0" ] &&
	[ "$(kc_issued)" = $((issued + 2)) ] &&
	[ "$(mt_counter btids)" = $((btids + 2)) ] &&
	[ "$(mt_counter watches)" = $((watches + 1)) ] &&
	grep -q "event=rekey-requested msg=\"nafkc.test via $MT: btid=$BTID reason=operator\"" "$tmp/devd.log" &&
	grep -q "event=key-renewed .*device-id=$DEV3 .*naf-id=nafkc.test" "$tmp/devd.log"
result $((! $?)) "role device: the MT's rekey-request on its watch runs the procedure again, then a new watch" \
	"$answer" "$counters" "$(grep -e watch -e rekey "$tmp/devd.log")"
stop devd

devd_yaml $DEV2 "$tmp/dev2.psk"
start devd || bail devd
wait_devd failures 1
[ "$(devd_counter established)" = 0 ] &&
	grep -q "event=run-failed .*the Key Centre nafkc.test refused the service request: 403 device-blocked: the Device_ID is blocked (again in 5 s)" "$tmp/devd.log"
result $((! $?)) "role device, a blocked Device_ID: the refusal logged, tried again in 5 s" \
	"$(grep run-failed "$tmp/devd.log")"
stop devd

chmod 644 "$tmp/dev1.psk"
devd_yaml $DEV3 "$tmp/dev1.psk"
start devd || bail devd
wait_devd failures 1
grep -q "event=run-failed .*dev1.psk: group or other may use it (chmod 600)" "$tmp/devd.log"
result $((! $?)) "role device, a PSK file others may read: refused" \
	"$(grep run-failed "$tmp/devd.log" | tail -1)"
stop devd
chmod 600 "$tmp/dev1.psk"

# A certificate instead of the PSK: the Key Centre's device CA, its URI
# the Device_ID; another CA's, another Device_ID's, a key others may read.
# No kernel part: run by make check's agent stages, not again in the VM
# (selftests/e2m/localkey.sh), where each e2md start costs seconds.
if [ $kernel_keys = 0 ]; then
	issued=$(kc_issued)
	devd_cert $DEV4 cert4
	start devd || bail devd
	wait_devd established 1
	counters="$(devd_counter runs) $(devd_counter established) $(devd_counter failures)"
	[ "$counters" = "1 1 0" ] && [ "$(kc_issued)" = $((issued + 1)) ] &&
		grep -qx "device_id=$DEV4 naf_id=nafkc.test btid=$BTID label=ks_local_device created=.* serial=0 completed=1" <<< "$(devd_stored)" &&
		grep -q "event=key-established .*device-id=$DEV4 .*naf-id=nafkc.test" "$tmp/devd.log"
	result $((! $?)) "role device, a certificate: the Key Centre over certificate TLS, the key stored" \
		"$counters" "$(devd_stored)" "$(grep run-failed "$tmp/devd.log")"
	stop devd
	issued=$(kc_issued)
	for bad in stranger4 cert2; do
		devd_cert $DEV4 $bad
		rm -f "$tmp/devd.db"
		start devd || bail devd
		wait_devd failures 1
		grep run-failed "$tmp/devd.log" | tail -1 > "$tmp/$bad.why"
		stop devd
	done
	# TLS 1.3: the client's Finished is sent before the Key Centre judges the
	# certificate, so its alert arrives with the answer.
	grep -q "event=run-failed msg=\"nafkc.test via $MT: the Key Centre nafkc.test: receiving: tlsv1 alert unknown ca (again in 5 s)\"" "$tmp/stranger4.why" &&
		grep -q 'event=tls-refused .*alert="unknown CA" psk-identity=- reason="self-signed certificate in certificate chain"' "$tmp/nafkc.log"
	result $((! $?)) "role device, a certificate from another CA: the handshake refused, logged at both ends" \
		"$(cat "$tmp/stranger4.why")"
	grep -q "event=run-failed .*nafkc.test via $MT: the Key Centre nafkc.test refused the service request: 403 device-mismatch: .*device-id.* is not the Device_ID of the certificate (again in 5 s)" "$tmp/cert2.why" &&
		[ "$(kc_issued)" = "$issued" ] && [ -z "$(devd_stored)" ]
	result $((! $?)) "role device, a certificate naming another Device_ID: 403 device-mismatch, nothing issued or stored" \
		"$(cat "$tmp/cert2.why")" "$(devd_stored)"
	chmod 644 "$tmp/cert4.key"
	devd_cert $DEV4 cert4
	start devd || bail devd
	wait_devd failures 1
	grep -q "event=run-failed .*cert4.key: group or other may use it (chmod 600)" "$tmp/devd.log" &&
		[ "$(kc_issued)" = "$issued" ]
	result $((! $?)) "role device, a private key others may read: refused, nothing asked" \
		"$(grep run-failed "$tmp/devd.log" | tail -1)"
	stop devd
else
	tap_skip "- role device with a certificate" "agent stage only: no kernel part (see agent/tests/local_key_test.sh)"
fi

# The Key Centre's keys now live 125 s: renewed 12 s after they are made
# (120 s before their end, but not before a tenth of their life).
sed -i 's/key-lifetime: 600/key-lifetime: 125/' "$tmp/nafkc.yaml"
kill -HUP "${pid[nafkc]}"
for i in $(seq 100); do grep -q "event=reloaded" "$tmp/nafkc.log" && break; sleep 0.1; done
rm -f "$tmp/devd.db"
devd_yaml $DEV3 "$tmp/dev1.psk"
start devd || bail devd
wait_devd renewals 1
counters="$(devd_counter established) $(devd_counter renewals) $(devd_counter failures)"
[ "$(devd_counter established)" -ge 2 ] && [ "$(devd_counter renewals)" -ge 1 ] &&
	[ "$(devd_counter failures)" = 0 ] &&
	grep -q "event=key-renewed .*device-id=$DEV3" "$tmp/devd.log" &&
	[ "$(devd_stored | grep -c .)" = 1 ]
result $((! $?)) "role device: renewed before the key's end (120 s ahead, not before a tenth of its life)" \
	"$counters" "$(devd_stored)"
stop devd
result $((stop_status == 0)) "the device role stops cleanly"

leaked=0
for s in "$KEY" "$PSK1" "$PSK2"; do
	[ -z "$s" ] || ! grep -qi "$s" "$tmp"/*.log || leaked=1
done
result $((leaked == 0)) "no Ks_local or PSK in any daemon's log"

stop mt
result $((stop_status == 0)) "the MT stops cleanly"

tap_done
