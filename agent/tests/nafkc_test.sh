#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The NAF Key Centre end to end (TS 33.259 4.5.2, Documentation/nafkc.md),
# run for real on loopback: an HSS, a BSF and a NAF Key Centre, each an
# e2md of its own; a UE with a software USIM bootstraps (e2mctl bootstrap)
# and derives, as the UICC hosting device would, Ks_NAF for the Key
# Centre's NAF_Id and Ks_local_device from it (e2mctl naf-key, ks-local);
# the remote device then asks the Key Centre for its key over PSK-TLS with
# the openssl s_client command, a TLS peer nobody here wrote, in TLS 1.2
# (each of the three PSK suites) and TLS 1.3, and must get the same key.
#
# Then every refusal: a wrong PSK, an unknown identity, CBC, NULL and
# 3DES suites fail the handshake; after it, each answer with its status
# and error token, the session closed with close_notify, its log line and
# nothing stored: a device asking for another's key, a blocked device,
# an unknown B-TID, a subscriber whose USS has no entry for the Key
# Centre, no USS at all, or lacks the flag, a revoked key, an expired
# B-TID, the BSF down (503), bad bodies. The Zn cache: a B-TID's second
# request (device PSK, certificate, GBA) makes no Zn pull (the BSF's
# naf-key lines counted), blocked devices and the USS still refused, a
# kept B-TID served with the BSF stopped, an expired one refused though
# kept; by SIGHUP zn-cache 1 (exactly the oldest forgotten) and 0 (every
# request pulls). Last, the GBA listener within the listeners: section
# (a cap of 4, a deadline of 3 s), as every listener. Prints TAP.
#
#   tests/nafkc_test.sh [E2MCTL [E2MD]]    (or the E2MCTL and E2MD variables)
#
# Needs root (the admin sockets take uid 0 only), openssl.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}

need_root "the admin socket needs root"
need_tools openssl timeout

make_tmp shm
. "$here/daemon_lib.sh"

pki_ca hss.test bsf.test nafkc.test
# The devices' CA, apart from the network functions' (ca).
ca devca || { echo "Bail out! openssl could not make the device CA"; exit 1; }
store_keys hss bsf nafkc ue

HSS_LISTEN=127.0.0.1:0
UB_LISTEN=127.0.0.1:0
ZN_LISTEN=127.0.0.1:0
DEV_LISTEN=127.0.0.1:0
GBA_LISTEN=127.0.0.1:0
LIFETIME=3600

write_hss_config() {
	cat > "$tmp/hss.yaml" <<-EOF
	$(config_base hss hss.test)
	roles:
	  hss: { listen: "$HSS_LISTEN", clients: [bsf.test], sn-clients: [sgw.test] }
	EOF
}

write_bsf_config() {
	cat > "$tmp/bsf.yaml" <<-EOF
	$(config_base bsf bsf.test)
	roles:
	  bsf:
	    name: bsf.test
	    ub-listen: "$UB_LISTEN"
	    zn-listen: "$ZN_LISTEN"
	    hss-url: "https://$HSS"
	    key-lifetime: $LIFETIME
	    nafs: [{ name: nafkc.test }]
	EOF
}

write_nafkc_config() {
	cat > "$tmp/nafkc.yaml" <<-EOF
	log: { level: ${NAFKC_LOG_LEVEL:-info} }
	$(config_base nafkc nafkc.test)
	roles:
	  nafkc:
	    name: nafkc.test
	    listen: "$DEV_LISTEN"
	    bsf-url: "https://$ZN"
	    key-lifetime: 600
	    device-auth: [psk, certificate]
	    device-ca: $tmp/devca.crt
	    gba-listen: "$GBA_LISTEN"
	EOF
	[ -z "${ZN_CACHE:-}" ] ||
		printf '    zn-cache: %s\n' "$ZN_CACHE" >> "$tmp/nafkc.yaml"
	[ -z "${LISTENERS:-}" ] || printf '%s\n' "$LISTENERS" >> "$tmp/nafkc.yaml"
}

bail() {	# NAME: the daemon did not start
	echo "Bail out! $1 did not start"
	sed 's/^/# /' "$tmp/$1.log"
	exit 1
}

write_hss_config
start hss || bail hss
HSS=$(ready_value hss hss.zh)
write_bsf_config
start bsf || bail bsf
UB=$(ready_value bsf bsf.ub)
ZN=$(ready_value bsf bsf.zn)
write_nafkc_config
start nafkc || bail nafkc
DEV=$(ready_value nafkc nafkc.devices)
GBA=$(ready_value nafkc nafkc.gba)
result 1 "HSS on $HSS, BSF with Ub on $UB and Zn on $ZN, Key Centre on $DEV, GBA on $GBA"
grep -q "level=info event=ready version=[^ ]* admin=$tmp/run/nafkc.sock nafkc.devices=$DEV nafkc.gba=$GBA\$" "$tmp/nafkc.log"
result $((! $?)) "the Key Centre's ready line names its devices and GBA listeners"
# Restarts come back on the same ports.
HSS_LISTEN=$HSS UB_LISTEN=$UB ZN_LISTEN=$ZN DEV_LISTEN=$DEV GBA_LISTEN=$GBA
write_bsf_config
write_nafkc_config

hssctl() { ctl --socket "$tmp/run/hss.sock" "$@"; }
kcctl() { ctl --socket "$tmp/run/nafkc.sock" "$@"; }
uectl() {
	ctl "$@" --store "$tmp/ue.db" --store-key-file "$tmp/ue.key"
}
field() {	# NAME: the value of NAME= in $out
	sed -n "s/^$1=//p" <<< "$out"
}
hex_of() {	# TEXT: its octets in hex
	printf '%s' "$1" | od -An -tx1 | tr -d ' \n'
}

# --- subscribers, USIMs, bootstraps ----------------------------------------------

ICCID=89882110000000000
# The Key Centre's NAF_Id: its FQDN || FF 00 00 00 01 (PROFILE.md 5).
KC_UA=ff00000001
KC_NAF_ID=$(hex_of nafkc.test)$KC_UA

subscriber() {	# N USS-JSON|- [--gba-u]
	local uss=()
	[ "$2" != - ] && uss=(--uss "$2")
	hssctl subscriber add --imsi 00101000000000$1 \
		--impi user$1@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1) "${uss[@]}" ${3:-}
	[ $status = 0 ] || echo "Bail out! subscriber $1: $err"
	uectl usim add --iccid ${ICCID}0$1 --imsi 00101000000000$1 \
		--impi user$1@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1) ${3:-}
	[ $status = 0 ] || echo "Bail out! USIM $1: $err"
}

subscriber 1 '[{"naf":"nafkc.test","flags":[1]}]'
subscriber 2 '[{"naf":"naf1.test","flags":[1]}]'
subscriber 3 -
subscriber 4 '[{"naf":"nafkc.test","flags":[2]}]'
subscriber 5 '[{"naf":"NAFKC.test","flags":[1,2]}]'
subscriber 7 '[{"naf":"nafkc.test","flags":[1]}]' --gba-u

declare -A btid
for i in 1 2 3 4 5 7; do
	uectl bootstrap --iccid ${ICCID}0$i --bsf "http://$UB"
	btid[$i]=$(field btid)
	[ $status = 0 ] || echo "Bail out! bootstrap $i: $err"
done
result 1 "six UEs bootstrapped (UE 7 GBA_U)"

# What the UICC hosting device derives for a device: Ks_NAF of the Key
# Centre's NAF_Id, then Ks_local (e2mctl ks-local, crypto/ks_local.c).
expected_key() {	# N DEVICE LABEL: sets $ks_local
	uectl naf-key --iccid ${ICCID}0$1 --naf-id $KC_NAF_ID --show-key
	local ks_naf
	ks_naf=$(field ks_naf)
	ctl ks-local --ks-naf "$ks_naf" --label "$3" --btid "${btid[$1]}" \
		--naf-id $KC_NAF_ID --device-id "$2"
	ks_local=$(field ks_local)
	secrets+=("$ks_naf" "$ks_local")
}
secrets=()

# --- the devices and their PSKs --------------------------------------------------

DEV1=imei:490154203237518 PSK1=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
DEV2=imei:356938035643809 PSK2=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
WRONG=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
secrets+=("$PSK1" "$PSK2")

psk_file() {	# NAME HEX [MODE]: a --keys file $tmp/NAME, psk=HEX
	printf 'psk=%s\n' "$2" > "$tmp/$1"
	chmod "${3:-0600}" "$tmp/$1"
}
psk_file psk1 $PSK1
psk_file psk2 $PSK2
psk_file wrong $WRONG
psk_file short 00112233
psk_file loose $PSK2 0644

kcctl device add --device-id $DEV1 --keys <(echo psk=$PSK1)
[ $status = 0 ] && [ -z "$out" ] && [ -z "$err" ]
result $((! $?)) "device add: $DEV1" "$err"
kcctl device add --device-id $DEV2 --keys <(echo psk=$PSK2)
result $((status == 0)) "device add: $DEV2" "$err"
kcctl device add --device-id $DEV1 --keys <(echo psk=$PSK2)
[ $status = 1 ] && [ "$err" = "e2mctl: device add: device $DEV1 has a PSK already" ]
result $((! $?)) "device add: a second PSK for a device is refused" "$err"
kcctl device add --device-id "a b" --keys <(echo psk=$PSK2)
[ $status = 2 ] && [ "$err" = "e2mctl: device add: --device-id: not a Device_ID (1 to 128 printable ASCII characters without space)" ]
result $((! $?)) "device add: a Device_ID with a space is bad usage" "$err"
kcctl device add --device-id imei:1 --keys <(echo psk=00112233)
[ $status = 2 ] &&
	[ "$err" = "e2mctl: device add: --keys: psk: must be 32 octets (64 hex digits), not 4" ]
result $((! $?)) "device add: a PSK of 4 octets is bad usage" "$err"
kcctl device add --device-id imei:1 --psk $PSK2
[ $status = 2 ] && [ -z "$out" ] &&
	[ "$err" = "e2mctl: device add: --psk on the command line is refused (argv shows in /proc and shell history): put psk=HEX in a file given as --keys FILE (mode 0600), or - for standard input" ]
result $((! $?)) "device add: a PSK on the command line is refused" "$err"
kcctl device list
[ "$out" = "$(printf 'device=%s added=%s\ndevice=%s added=%s' $DEV2 \
	"$(sed -n "s/^device=$DEV2 added=//p" <<< "$out")" $DEV1 \
	"$(sed -n "s/^device=$DEV1 added=//p" <<< "$out")")" ] &&
	! grep -q "$PSK1\|$PSK2" <<< "$out"
result $((! $?)) "device list: both devices, by Device_ID, no PSK" "$out"

# --- the request, over s_client ----------------------------------------------------

# request IDENTITY PSK-HEX BODY [S_CLIENT-ARGS...]: one POST over PSK-TLS;
# leaves $code (HTTP status, "" when the handshake failed), $body, $tls
# (s_client's -brief summary and errors).
request() {
	local identity=$1 psk=$2 json=$3
	shift 3
	printf 'POST /nafkc/v1/ks-local HTTP/1.1\r\nHost: nafkc.test\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
		${#json} "$json" |
		timeout 20 openssl s_client -connect "${connect:-$DEV}" -brief -ign_eof -nocommands \
		-msg -msgfile "$tmp/msg" \
		-psk_identity "$identity" -psk "$psk" "$@" \
		> "$tmp/response" 2> "$tmp/tls"
	code=$(sed -n '1s/^HTTP\/1.1 \([0-9]*\) .*/\1/p' "$tmp/response" | tr -d '\r')
	body=$(sed -n '/^\r$/,$p' "$tmp/response" | tail -n +2)
	tls=$(cat "$tmp/tls")
}

close_notified() {	# the server ended the last session with close_notify
	grep -q "^<<< TLS 1.[23], Alert \[length 0002\], warning close_notify" "$tmp/msg"
}

json_member() {	# NAME: a string or number member of $body
	sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" <<< "$body"
}

ask() {		# N DEVICE [LABEL]: the request body for UE N's B-TID
	printf '{"btid":"%s","device-id":"%s"%s}' "${btid[$1]}" "$2" \
		"${3:+,\"label\":\"$3\"}"
}

keys_stored() {	# how many keys the Key Centre issued
	"$E2MCTL" --socket "$tmp/run/nafkc.sock" local-key list | grep -c .
}

expected_key 1 $DEV1 ks_local_device
[ ${#ks_local} = 64 ]
result $((! $?)) "the UE side's Ks_local_device for $DEV1 on B-TID 1"

for proto in tls1_2 tls1_3; do
	request $DEV1 $PSK1 "$(ask 1 $DEV1)" -$proto
	[ "$code" = 200 ] && [ "$(json_member ks-local)" = "$ks_local" ] &&
		[ "$(json_member btid)" = "${btid[1]}" ] &&
		[ "$(json_member device-id)" = $DEV1 ] &&
		[ "$(json_member label)" = ks_local_device ] &&
		[ "$(json_member naf-id)" = $KC_NAF_ID ] &&
		[ "$(json_member lifetime)" -le 600 ] &&
		[ "$(json_member lifetime)" -ge 590 ]
	result $((! $?)) "s_client -$proto: 200, the key the UE side derived, lifetime min(600, B-TID's)" \
		"$code $body" "$tls"
done
close_notified
result $((! $?)) "the server ends the session with close_notify after the key"
grep -q "Protocol version: TLSv1.3" <<< "$tls" &&
	grep -q "Ciphersuite: TLS_AES_128_GCM_SHA256" <<< "$tls"
result $((! $?)) "TLS 1.3 with the external PSK, TLS_AES_128_GCM_SHA256" "$tls"

request $DEV1 $PSK1 "$(ask 1 $DEV1)" -tls1_3 -allow_no_dhe_kex
[ "$code" = 200 ] && grep -q "Server Temp Key: X25519" <<< "$tls"
result $((! $?)) "TLS 1.3, psk_ke and psk_dhe_ke offered: psk_dhe_ke (X25519)" "$tls"

for suite in ECDHE-PSK-CHACHA20-POLY1305 DHE-PSK-AES128-GCM-SHA256 \
	PSK-AES128-GCM-SHA256; do
	request $DEV1 $PSK1 "$(ask 1 $DEV1)" -tls1_2 -cipher $suite
	[ "$code" = 200 ] && [ "$(json_member ks-local)" = "$ks_local" ] &&
		grep -q "Ciphersuite: $suite" <<< "$tls"
	result $((! $?)) "s_client -tls1_2 -cipher $suite: 200, the same key" \
		"$code $body" "$tls"
done
request $DEV1 $PSK1 "$(ask 1 $DEV1)" -tls1_2
grep -q "Ciphersuite: ECDHE-PSK-CHACHA20-POLY1305" <<< "$tls"
result $((! $?)) "TLS 1.2: the server prefers ECDHE-PSK-CHACHA20-POLY1305" "$tls"
request $DEV1 $PSK1 "$(ask 1 $DEV1)" -tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256
[ "$code" = 200 ] && grep -q "Ciphersuite: TLS_CHACHA20_POLY1305_SHA256" <<< "$tls"
result $((! $?)) "TLS 1.3 TLS_CHACHA20_POLY1305_SHA256 with the PSK: 200" "$tls"

[ "$(keys_stored)" = 1 ]
result $((! $?)) "one key stored for B-TID 1 and $DEV1, renewed by each request"
kcctl local-key list
[ $status = 0 ] && grep -q "^btid=${btid[1]} device=$DEV1 label=ks_local_device naf_id=$KC_NAF_ID issued=[0-9TZ:-]* expires=[0-9TZ:-]* revoked=no\$" <<< "$out" &&
	! grep -q "$ks_local" <<< "$out"
result $((! $?)) "local-key list: the key's identities and times, never its bytes" "$out"

# Ks_local_MT for subscriber 5, whose USS entry (another case of the
# name) carries both flags.
expected_key 5 $DEV2 ks_local_mt
request $DEV2 $PSK2 "$(ask 5 $DEV2 ks_local_mt)" -tls1_3
[ "$code" = 200 ] && [ "$(json_member ks-local)" = "$ks_local" ] &&
	[ "$(json_member label)" = ks_local_mt ]
result $((! $?)) "ks_local_mt for $DEV2 on B-TID 5: the UE side's key" "$code $body"

# --- the device's side: e2mctl nafkc-request ----------------------------------------

devctl() {	# DEVICE PSK-FILE N [ARGS...]: nafkc-request for UE N's B-TID
	local device=$1 file=$2 n=$3
	shift 3
	ctl nafkc-request --url "https://$DEV" --device-id "$device" \
		--keys "$tmp/$file" --btid "${btid[$n]}" "$@"
}
fingerprint() {	# HEX: the first 8 octets of its SHA-256, in hex
	printf '%b' "$(sed 's/../\\x&/g' <<< "$1")" | openssl dgst -sha256 -r |
		cut -c1-16
}

expected_key 1 $DEV1 ks_local_device
devctl $DEV1 psk1 1 --show-key
[ $status = 0 ] && [ -z "$err" ] &&
	[ "$(sed -n 1,4p <<< "$out")" = "$(printf 'btid=%s\ndevice_id=%s\nlabel=ks_local_device\nnaf_id=%s' "${btid[1]}" $DEV1 $KC_NAF_ID)" ] &&
	grep -q "^expires=[0-9]\{4\}-[0-9-]*T[0-9:]*Z\$" <<< "$out" &&
	[ "$(field lifetime)" -le 600 ] && [ "$(field lifetime)" -ge 590 ] &&
	[ "$(field tls)" = TLSv1.3 ] && [ "$(field cipher)" = TLS_AES_128_GCM_SHA256 ] &&
	[ "$(field ks_local)" = "$ks_local" ] && [ "$(wc -l <<< "$out")" = 9 ]
result $((! $?)) "nafkc-request --show-key: TLS 1.3, the key the UE side derived" "$out" "$err"
devctl $DEV1 psk1 1
[ $status = 0 ] && [ "$(field ks_local_fp)" = "$(fingerprint "$ks_local")" ] &&
	! grep -q "$ks_local\|^ks_local=" <<< "$out"
result $((! $?)) "nafkc-request: the key's fingerprint only, without --show-key" "$out" "$err"
devctl $DEV1 psk1 1 --tls 1.2 --show-key
[ $status = 0 ] && [ "$(field tls)" = TLSv1.2 ] &&
	[ "$(field cipher)" = ECDHE-PSK-CHACHA20-POLY1305 ] &&
	[ "$(field ks_local)" = "$ks_local" ]
result $((! $?)) "nafkc-request --tls 1.2: ECDHE-PSK-CHACHA20-POLY1305, the same key" "$out" "$err"
expected_key 5 $DEV2 ks_local_mt
devctl $DEV2 psk2 5 --label ks_local_mt --tls 1.3 --show-key
[ $status = 0 ] && [ "$(field label)" = ks_local_mt ] &&
	[ "$(field ks_local)" = "$ks_local" ]
result $((! $?)) "nafkc-request --label ks_local_mt: the UE side's key" "$out" "$err"
n_keys=$(keys_stored)
for v in 1.2 1.3; do
	devctl $DEV1 wrong 1 --tls $v
	[ $status = 1 ] && [ -z "$out" ] &&
		grep -q "^e2mctl: nafkc-request: TLS handshake failed: " <<< "$err"
	result $((! $?)) "nafkc-request --tls $v: a wrong PSK fails the handshake (exit 1)" "$err"
done
devctl $DEV1 psk1 2
[ $status = 1 ] && [ -z "$out" ] &&
	[ "$err" = "e2mctl: nafkc-request: 403 ks-local-not-allowed: the BSF refused: the subscriber's USS has no entry for the NAF" ]
result $((! $?)) "nafkc-request: a refusal is the status, token and detail (exit 1)" "$err"
[ "$(keys_stored)" = "$n_keys" ]
result $((! $?)) "nafkc-request: nothing stored by the refusals"
devctl $DEV1 psk1 1 --psk $PSK1
[ $status = 2 ] && [ -z "$out" ]
result $((! $?)) "nafkc-request: a PSK on the command line is bad usage" "$err"
devctl $DEV1 loose 1
[ $status = 1 ] && grep -q "^e2mctl: nafkc-request: --keys: $tmp/loose: .*0600" <<< "$err"
result $((! $?)) "nafkc-request: a PSK file others may read is refused (exit 1, as for device add)" "$err"
ctl nafkc-request --url "https://127.0.0.1:1" --device-id $DEV1 \
	--keys "$tmp/psk1" --btid "${btid[1]}"
[ $status = 1 ] && [ "$err" = "e2mctl: nafkc-request: connect: Connection refused" ]
result $((! $?)) "nafkc-request: no Key Centre: exit 1, why" "$err"

# --- GBA PSK-TLS: a UE with its bootstrap (TS 33.222 5.4, TS 24.109 F.3) ------------

# gbactl N [ARGS...]: nafkc-request --gba from UE N's store, its bootstrap.
gbactl() {
	local n=$1
	shift
	ctl nafkc-request --url "https://$GBA" --naf nafkc.test --device-id $DEV1 \
		--gba --store "$tmp/ue.db" --store-key-file "$tmp/ue.key" \
		--iccid ${ICCID}0$n "$@"
}
# ks_naf_for N UA: UE N's Ks_NAF (Ks_ext_NAF) for nafkc.test || UA, in $ks_naf.
ks_naf_for() {
	uectl naf-key --iccid ${ICCID}0$1 --naf nafkc.test --ua-proto $2 --show-key
	ks_naf=$(field ks_naf)$(field ks_ext_naf)
	secrets+=("$ks_naf")
}

n_keys=$(keys_stored)
expected_key 1 $DEV1 ks_local_device
for v in 1.2 1.3; do
	gbactl 1 --tls $v --show-key
	[ $status = 0 ] && [ -z "$err" ] &&
		[ "$(sed -n 1,4p <<< "$out")" = "$(printf 'btid=%s\ndevice_id=%s\nlabel=ks_local_device\nnaf_id=%s' "${btid[1]}" $DEV1 $KC_NAF_ID)" ] &&
		[ "$(field lifetime)" -le 600 ] && [ "$(field lifetime)" -ge 590 ] &&
		[ "$(field tls)" = TLSv$v ] && [ "$(field ks_local)" = "$ks_local" ]
	result $((! $?)) "nafkc-request --gba --tls $v: the UE's bootstrap is its credential, the UE side's key" "$out" "$err"
done
gbactl 1 --tls 1.2
[ "$(field cipher)" = ECDHE-PSK-CHACHA20-POLY1305 ]
result $((! $?)) "GBA TLS 1.2: ECDHE-PSK-CHACHA20-POLY1305 first"
grep -qF "event=ks-local-issued btid=\"${btid[1]}\" device=$DEV1 label=ks_local_device lifetime=600 peer=\"3GPP-bootstrapping${btid[1]}\"" "$tmp/nafkc.log"
result $((! $?)) "ks-local-issued names the GBA identity as the peer"
[ "$(keys_stored)" = $n_keys ]
result $((! $?)) "the key row of B-TID 1 and $DEV1 is the one the device PSK requests made"

# The PSK the Key Centre pulled is Ks_NAF of FQDN || the suite's Ua id:
# openssl s_client, with the key the UE side derives, agrees.
for c in "tls1_2 ECDHE-PSK-CHACHA20-POLY1305 010001ccac" \
	"tls1_2 PSK-AES128-GCM-SHA256 01000100a8" \
	"tls1_2 DHE-PSK-AES128-GCM-SHA256 01000100aa" "tls1_3 - 0100000007"; do
	set -- $c
	ks_naf_for 1 $3
	cipher=()
	[ $2 != - ] && cipher=(-cipher $2)
	connect=$GBA request "3GPP-bootstrapping${btid[1]}" $ks_naf "$(ask 1 $DEV1)" -$1 "${cipher[@]}"
	[ "$code" = 200 ] && [ "$(json_member ks-local)" = "$ks_local" ] && close_notified
	result $((! $?)) "s_client -$1 $2 -psk_identity 3GPP-bootstrapping<B-TID> -psk Ks_NAF(nafkc.test || $3): 200, close_notify" \
		"$code $body" "$tls"
done
ks_naf_for 1 0100000007
connect=$GBA request "3GPP-bootstrapping${btid[1]}" $ks_naf "$(ask 1 $DEV1)" -tls1_3 -allow_no_dhe_kex
[ "$code" = 200 ] && grep -q "Server Temp Key: X25519" <<< "$tls"
result $((! $?)) "GBA TLS 1.3: psk_dhe_ke (X25519) when offered" "$tls"

# GBA_U: the -uicc hint and Ks_ext_NAF.
expected_ext_key() {	# N DEVICE: Ks_local from Ks_ext_NAF, in $ks_local
	uectl naf-key --iccid ${ICCID}0$1 --naf-id $KC_NAF_ID --show-key
	ctl ks-local --ks-naf "$(field ks_ext_naf)" --label ks_local_device \
		--btid "${btid[$1]}" --naf-id $KC_NAF_ID --device-id "$2"
	ks_local=$(field ks_local)
}
expected_ext_key 7 $DEV1
for v in 1.2 1.3; do
	gbactl 7 --tls $v --show-key
	[ $status = 0 ] && [ "$(field btid)" = "${btid[7]}" ] &&
		[ "$(field ks_local)" = "$ks_local" ]
	result $((! $?)) "nafkc-request --gba, GBA_U, --tls $v: 3GPP-bootstrapping-uicc, the UE side's key" "$out" "$err"
done
grep -qF "event=ks-local-issued btid=\"${btid[7]}\" device=$DEV1 label=ks_local_device lifetime=600 peer=\"3GPP-bootstrapping-uicc${btid[7]}\"" "$tmp/nafkc.log"
result $((! $?)) "ks-local-issued: the -uicc identity"
ks_naf_for 1 0100000007
connect=$GBA request "3GPP-bootstrapping-uicc${btid[1]}" $ks_naf "$(ask 1 $DEV1)" -tls1_3
[ -z "$code" ]
result $((! $?)) "the -uicc hint on a GBA_ME bootstrap fails the handshake" "$tls"
wait_log nafkc "event=tls-refused .*psk-identity=\"3GPP-bootstrapping-uicc${btid[1]}\" reason=\"a -uicc identity on a GBA_ME bootstrap\"" 1
result $((! $?)) "tls-refused: a -uicc identity on a GBA_ME bootstrap" \
	"$(grep tls-refused "$tmp/nafkc.log" | tail -4)"

# Refusals.
n_keys=$(keys_stored)
gbactl 1 --btid "${btid[5]}"
[ $status = 1 ] && [ "$err" = "e2mctl: nafkc-request: 403 btid-mismatch: \"btid\" is not the B-TID of the GBA session" ]
result $((! $?)) "GBA: a request for another B-TID: 403 btid-mismatch" "$err"
wait_log nafkc "event=ks-local-refused status=403 error=btid-mismatch btid=\"${btid[5]}\" device=$DEV1 label=ks_local_device detail=.* peer=\"3GPP-bootstrapping${btid[1]}\"" 1
result $((! $?)) "ks-local-refused: btid-mismatch" "$(tail -3 "$tmp/nafkc.log")"
UNKNOWN=AAAAAAAAAAAAAAAAAAAAAA==@bsf.test
for proto in tls1_2 tls1_3; do
	connect=$GBA request "3GPP-bootstrapping$UNKNOWN" $ks_naf "$(ask 1 $DEV1)" -$proto
	[ -z "$code" ]
	result $((! $?)) "GBA $proto: an unknown B-TID fails the handshake" "$tls"
	connect=$GBA request "3GPP-bootstrapping${btid[1]}" $WRONG "$(ask 1 $DEV1)" -$proto
	[ -z "$code" ]
	result $((! $?)) "GBA $proto: a wrong key fails the handshake" "$tls"
done
wait_log nafkc "event=tls-refused .*psk-identity=\"3GPP-bootstrapping$UNKNOWN\" reason=\"unknown B-TID\"" 2
result $((! $?)) "tls-refused: unknown B-TID, in both versions" \
	"$(grep tls-refused "$tmp/nafkc.log" | tail -4)"
wait_log nafkc "event=tls-refused .*psk-identity=\"3GPP-bootstrapping${btid[1]}\" reason=\"wrong key\"" 2
result $((! $?)) "tls-refused: wrong key, in both versions" \
	"$(grep tls-refused "$tmp/nafkc.log" | tail -4)"
# A device that completes its handshake and goes without a word or a
# close_notify (a health check, a device reset): an end, told at debug,
# not a refused handshake.
NAFKC_LOG_LEVEL=debug write_nafkc_config
stop nafkc
start nafkc || bail nafkc
refused_before=$(grep -c "event=tls-refused" "$tmp/nafkc.log")
sleep 5 | openssl s_client -connect "$DEV" -psk_identity $DEV1 -psk $PSK1 \
	-tls1_3 -msg -msgfile "$tmp/cut.msg" > /dev/null 2>&1 &
cut_pid=$!
for i in $(seq 200); do
	grep -q "^>>> .*Finished" "$tmp/cut.msg" 2> /dev/null && break
	sleep 0.05
done
sleep 1		# the server reads our Finished: its handshake is done
kill -KILL $cut_pid
wait $cut_pid 2> /dev/null
wait_log nafkc "level=debug event=tls-closed peer=[^ ]* reason=\"no close_notify\"" 1
result $((! $?)) "log: a device gone after its PSK handshake without close_notify, at debug" \
	"$(tail -6 "$tmp/nafkc.log")"
[ "$(grep -c "event=tls-refused" "$tmp/nafkc.log")" = "$refused_before" ]
result $((! $?)) "log: not as a refused handshake"

connect=$GBA request "e2m-device-not-gba" $ks_naf "$(ask 1 $DEV1)" -tls1_2
[ -z "$code" ]
result $((! $?)) "GBA: an identity without the 3GPP hint fails the handshake" "$tls"
[ "$(keys_stored)" = "$n_keys" ]
result $((! $?)) "GBA: nothing stored by the refusals"

# --- certificates on the same listener (TS 33.222 5.5 style) -------------------------

devcert dev1 devca $DEV1
devcert dev2 devca $DEV2
devcert nouri devca
devcert stranger ca $DEV1

# cert_request CERT BODY [S_CLIENT-ARGS...]: request() with a certificate.
cert_request() {
	local cert=$1 json=$2
	shift 2
	printf 'POST /nafkc/v1/ks-local HTTP/1.1\r\nHost: nafkc.test\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
		${#json} "$json" |
		timeout 20 openssl s_client -connect "$DEV" -brief -ign_eof -nocommands \
		-msg -msgfile "$tmp/msg" -CAfile "$tmp/ca.crt" -verify_return_error \
		${cert:+-cert "$tmp/$cert.crt" -key "$tmp/$cert.key"} "$@" \
		> "$tmp/response" 2> "$tmp/tls"
	code=$(sed -n '1s/^HTTP\/1.1 \([0-9]*\) .*/\1/p' "$tmp/response" | tr -d '\r')
	body=$(sed -n '/^\r$/,$p' "$tmp/response" | tail -n +2)
	tls=$(cat "$tmp/tls")
}

expected_key 1 $DEV1 ks_local_device
for proto in tls1_2 tls1_3; do
	cert_request dev1 "$(ask 1 $DEV1)" -$proto
	[ "$code" = 200 ] && [ "$(json_member ks-local)" = "$ks_local" ] &&
		[ "$(json_member device-id)" = $DEV1 ] &&
		grep -q "Verification: OK" <<< "$tls"
	result $((! $?)) "s_client -$proto -cert (device CA, URI $DEV1): 200, the UE side's key" \
		"$code $body" "$tls"
done
grep -q "Ciphersuite: ECDHE-ECDSA-AES128-GCM-SHA256" <<< "$(cert_request dev1 "$(ask 1 $DEV1)" -tls1_2; echo "$tls")"
result $((! $?)) "TLS 1.2 with a certificate: ECDHE-ECDSA-AES128-GCM-SHA256 (PSK suites are not offered)"
for v in 1.2 1.3; do
	ctl nafkc-request --url "https://$DEV" --device-id $DEV1 --cert "$tmp/dev1.crt" \
		--key "$tmp/dev1.key" --ca "$tmp/ca.crt" --btid "${btid[1]}" --tls $v --show-key
	[ $status = 0 ] && [ "$(field ks_local)" = "$ks_local" ] &&
		[ "$(field tls)" = TLSv$v ]
	result $((! $?)) "nafkc-request --cert --tls $v: the UE side's key" "$out" "$err"
done
ctl nafkc-request --url "https://$DEV" --device-id $DEV1 --cert "$tmp/dev1.crt" \
	--key "$tmp/dev1.key" --ca "$tmp/devca.crt" --btid "${btid[1]}"
[ $status = 1 ] && grep -q "^e2mctl: nafkc-request: TLS handshake failed: certificate verify failed" <<< "$err"
result $((! $?)) "nafkc-request --cert: a Key Centre whose certificate does not chain to --ca is refused" "$err"
ctl nafkc-request --url "https://$DEV" --device-id $DEV1 --cert "$tmp/dev1.crt" \
	--keys "$tmp/psk1" --btid "${btid[1]}"
[ $status = 2 ] && [ "$err" = "e2mctl: nafkc-request: one of --keys, --gba, or --cert, --key and --ca" ]
result $((! $?)) "nafkc-request: a PSK and a certificate at once is bad usage" "$err"

n_keys=$(keys_stored)
n_refused=$(grep -c "event=tls-refused" "$tmp/nafkc.log")
for proto in tls1_2 tls1_3; do
	cert_request stranger "$(ask 1 $DEV1)" -$proto
	[ -z "$code" ] && grep -q "alert unknown ca" <<< "$tls"
	result $((! $?)) "$proto: a certificate from another CA fails the handshake" "$tls"
done
# A TLS 1.3 client's handshake is over before the server judges its
# certificate: it may write its request after the refusal. It must still
# read the alert, not a reset (the server discards what it left unread).
late=$(python3 - "$DEV" "$tmp/stranger.crt" "$tmp/stranger.key" "$tmp/ca.crt" <<'PY' 2>&1
import socket, ssl, sys, time
host, port = sys.argv[1].rsplit(':', 1)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.minimum_version = ssl.TLSVersion.TLSv1_3
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
ctx.load_verify_locations(sys.argv[4])
ctx.check_hostname = False
s = ctx.wrap_socket(socket.create_connection((host, int(port)), timeout=20))
time.sleep(0.5)
try:
    s.sendall(b"GET /nafkc/v1/ks-local HTTP/1.1\r\nHost: nafkc.test\r\n\r\n")
    print("written")
    s.recv(100)
except ssl.SSLError as e:
    print(e.reason or e)
except OSError as e:
    print(e.strerror)
PY
)
[ "$late" = "$(printf 'written\nTLSV1_ALERT_UNKNOWN_CA')" ]
result $((! $?)) "tls1_3: a client writing after the refusal of its certificate reads the alert (no reset)" "$late"
wait_log nafkc 'event=tls-refused .*alert="unknown CA" psk-identity=- reason="self-signed certificate in certificate chain"' 3
result $((! $?)) "the other CA's certificate is logged (event=tls-refused, unknown CA)" \
	"$(grep tls-refused "$tmp/nafkc.log" | tail -n 2)"
cert_request "" "$(ask 1 $DEV1)" -tls1_3
[ -z "$code" ] && grep -q "alert certificate required" <<< "$tls"
result $((! $?)) "TLS 1.3 with neither a PSK nor a certificate: the handshake fails" "$tls"
wait_log nafkc 'event=tls-refused .*alert="certificate required" psk-identity=- reason="no PSK and no client certificate"' 1
result $((! $?)) "... logged: no PSK and no client certificate" \
	"$(grep tls-refused "$tmp/nafkc.log" | tail -n 1)"

cert_refused() {	# NAME CERT BODY DETAIL: 403 device-mismatch, nothing stored
	local before
	before=$(keys_stored)
	cert_request "$2" "$3" -tls1_3
	[ "$code" = 403 ] && [ "$(json_member error)" = device-mismatch ] &&
		grep -qF "\"detail\":\"$4\"" <<< "$body" &&
		grep -qi "^connection: close" "$tmp/response" && close_notified &&
		wait_log nafkc "event=ks-local-refused status=403 error=device-mismatch .*peer=$5\$" 1 &&
		[ "$(keys_stored)" = "$before" ]
	result $((! $?)) "$1: 403 device-mismatch, logged, nothing stored" \
		"$code $body" "$(tail -n 2 "$tmp/nafkc.log")"
}
cert_refused "a certificate naming $DEV2 asking for $DEV1's key" dev2 "$(ask 1 $DEV1)" \
	'\"device-id\" is not the Device_ID of the certificate' $DEV2
cert_refused "a certificate without a URI" nouri "$(ask 1 $DEV1)" \
	'the certificate names no Device_ID (one subjectAltName URI)' nouri
[ "$(keys_stored)" = "$n_keys" ]
result $((! $?)) "nothing stored by the refused certificates"

# --- refused in the handshake ------------------------------------------------------

n_keys=$(keys_stored)
server_alert() { grep '^<<< .*Alert' "$tmp/msg"; }	# what the client was told
for proto in tls1_2 tls1_3; do
	request $DEV1 $WRONG "$(ask 1 $DEV1)" -$proto
	[ -z "$code" ] && ! grep -q "CONNECTION ESTABLISHED" <<< "$tls"
	result $((! $?)) "$proto: a wrong PSK fails the handshake" "$tls"
	wrong_alert=$(server_alert)
	request imei:000000000000000 $PSK1 "$(ask 1 $DEV1)" -$proto
	[ -z "$code" ]
	result $((! $?)) "$proto: an identity without a PSK fails the handshake" "$tls"
	[ -n "$wrong_alert" ] && [ "$(server_alert)" = "$wrong_alert" ]
	result $((! $?)) "$proto: ... as a wrong PSK does: the same alert (no identity enumeration)" \
		"$wrong_alert" "$(server_alert)"
done
wait_log nafkc "event=tls-refused .*psk-identity=imei:000000000000000 reason=\"unknown PSK identity\"" 1
result $((! $?)) "the unknown identity is logged (event=tls-refused)" \
	"$(grep tls-refused "$tmp/nafkc.log")"
for suite in PSK-AES128-CBC-SHA PSK-AES256-CBC-SHA PSK-3DES-EDE-CBC-SHA \
	PSK-AES128-CBC-SHA256 'PSK-NULL-SHA256:@SECLEVEL=0' \
	'PSK-NULL-SHA:@SECLEVEL=0'; do
	request $DEV1 $PSK1 "$(ask 1 $DEV1)" -tls1_2 -cipher "$suite"
	[ -z "$code" ]
	result $((! $?)) "TLS 1.2 $suite: refused in the handshake" "$tls"
done
[ "$(keys_stored)" = "$n_keys" ]
result $((! $?)) "nothing stored by a refused handshake"

# --- refused after the handshake -----------------------------------------------------

# refused NAME DEVICE PSK BODY STATUS TOKEN: the answer, Connection:
# close and close_notify, the log line, and no key stored.
refused() {
	local name=$1 device=$2 psk=$3 json=$4 want=$5 token=$6 before
	before=$(keys_stored)
	request "$device" "$psk" "$json" -tls1_3
	[ "$code" = "$want" ] && [ "$(json_member error)" = "$token" ] &&
		grep -qi "^connection: close" "$tmp/response" && close_notified &&
		wait_log nafkc "event=ks-local-refused status=$want error=$token .*peer=$device\$" 1 &&
		[ "$(keys_stored)" = "$before" ]
	result $((! $?)) "$name: $want $token, logged, nothing stored" \
		"$code $body" "$(tail -n 2 "$tmp/nafkc.log")"
}

refused "another device's Device_ID" $DEV2 $PSK2 "$(ask 1 $DEV1)" \
	403 device-mismatch
refused "an unknown B-TID" $DEV1 $PSK1 \
	'{"btid":"AAAAAAAAAAAAAAAAAAAAAA==@bsf.test","device-id":"'$DEV1'"}' \
	404 unknown-btid
refused "a subscriber whose USS has no entry for the Key Centre" $DEV1 $PSK1 \
	"$(ask 2 $DEV1)" 403 ks-local-not-allowed
refused "a subscriber without a USS (fail closed)" $DEV1 $PSK1 \
	"$(ask 3 $DEV1)" 403 ks-local-not-allowed
refused "a USS entry without flag 1 (ks_local_device)" $DEV1 $PSK1 \
	"$(ask 4 $DEV1)" 403 ks-local-not-allowed
request $DEV1 $PSK1 "$(ask 4 $DEV1 ks_local_mt)" -tls1_3
[ "$code" = 200 ]
result $((! $?)) "the same USS entry with flag 2 gives ks_local_mt" "$code $body"
refused "a body that is not JSON" $DEV1 $PSK1 '{"btid":' 400 bad-request
refused "an unknown label" $DEV1 $PSK1 \
	'{"btid":"'"${btid[1]}"'","device-id":"'$DEV1'","label":"ks_local"}' \
	400 bad-request
request $DEV1 $PSK1 "$(ask 1 $DEV1)" -tls1_3
grep -q "detail\":\"\\\\\"label\\\\\"" <<< "$body"; : # (informative)

kcctl device block $DEV1
[ $status = 0 ]
result $((! $?)) "device block $DEV1" "$err"
kcctl device block $DEV1
[ $status = 1 ] && [ "$err" = "e2mctl: device block: device $DEV1 is blocked already" ]
result $((! $?)) "device block: twice is refused" "$err"
zn_before=$(grep -c "event=naf-key " "$tmp/bsf.log")
refused "a blocked device" $DEV1 $PSK1 "$(ask 1 $DEV1)" 403 device-blocked
devctl $DEV1 psk1 1
[ $status = 1 ] && [ -z "$out" ] &&
	[ "$err" = "e2mctl: nafkc-request: 403 device-blocked: the Device_ID is blocked" ]
result $((! $?)) "nafkc-request for a blocked device: 403 device-blocked (exit 1)" "$err"
[ "$(grep -c "event=naf-key " "$tmp/bsf.log")" = "$zn_before" ]
result $((! $?)) "a blocked device: nothing pulled from the BSF"
# Its row changed on disk behind the Key Centre's back: the row's MAC
# fails (store/sqlite_row_mac.c), and the device is refused all the same.
python3 -c "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute('UPDATE blocked_devices SET created = created + 1'); db.commit()" \
	"$tmp/nafkc.db"
refused "a blocked device whose row was changed on disk" $DEV1 $PSK1 \
	"$(ask 1 $DEV1)" 500 internal-error
kcctl device unblock $DEV1
request $DEV1 $PSK1 "$(ask 1 $DEV1)" -tls1_3
[ "$code" = 200 ]
result $((! $?)) "device unblock: served again" "$code $body"

kcctl local-key revoke --btid "${btid[1]}" --device-id $DEV1
[ $status = 0 ] && [ "$out" = revoked=1 ]
result $((! $?)) "local-key revoke: one key" "$out $err"
refused "a revoked key" $DEV1 $PSK1 "$(ask 1 $DEV1)" 403 key-revoked
kcctl local-key revoke --btid "${btid[2]}" --device-id $DEV1
[ $status = 1 ] && [ "$err" = "e2mctl: local-key revoke: no local key of B-TID ${btid[2]} and device $DEV1" ]
result $((! $?)) "local-key revoke: none is refused" "$err"

kcctl device remove $DEV2
request $DEV2 $PSK2 "$(ask 5 $DEV2)" -tls1_3
[ $status = 0 ] && [ -z "$code" ]
result $((! $?)) "device remove: its handshakes fail from then on" "$tls"

# --- the Zn cache: the BSF's answer kept for the bootstrap's key lifetime ------------

kc_counter() {	# NAME: the Key Centre's status counter NAME
	"$E2MCTL" --socket "$tmp/run/nafkc.sock" status |
		sed -n "s/.* $1=\([0-9]*\).*/\1/p"
}
zn_pulls() {	# N: the BSF's Zn answers for UE N's B-TID (event=naf-key)
	grep -cF "event=naf-key btid=\"${btid[$1]}\"" "$tmp/bsf.log"
}
same_key() {	# the last answer: 200 with $ks_local, for at most 600 s
	[ "$code" = 200 ] && [ "$(json_member ks-local)" = "$ks_local" ] &&
		[ "$(json_member lifetime)" -le 600 ] &&
		[ "$(json_member lifetime)" -ge 590 ]
}

subscriber 8 '[{"naf":"nafkc.test","flags":[1]}]'
uectl bootstrap --iccid ${ICCID}08 --bsf "http://$UB"
btid[8]=$(field btid)
hits=$(kc_counter zn-cache-hits) misses=$(kc_counter zn-cache-misses)
commits=$(kc_counter group-commits) writes=$(kc_counter group-writes)
expected_key 8 $DEV1 ks_local_device
request $DEV1 $PSK1 "$(ask 8 $DEV1)" -tls1_3
same_key && [ "$(zn_pulls 8)" = 1 ]
result $((! $?)) "zn cache: a new B-TID's first request pulls its key (1 Zn answer)" \
	"$code $body" "$(zn_pulls 8)"
request $DEV1 $PSK1 "$(ask 8 $DEV1)" -tls1_2
same_key && [ "$(zn_pulls 8)" = 1 ]
result $((! $?)) "zn cache: the second, the same key, lifetime min(600, B-TID's), no Zn answer more" \
	"$code $body" "$(zn_pulls 8)"
cert_request dev1 "$(ask 8 $DEV1)" -tls1_3
same_key && [ "$(zn_pulls 8)" = 1 ]
result $((! $?)) "zn cache: a certificate session's request: the same cache, no Zn answer more" \
	"$code $body" "$(zn_pulls 8)"
[ "$(kc_counter zn-cache-hits)" = $((hits + 2)) ] &&
	[ "$(kc_counter zn-cache-misses)" = $((misses + 1)) ]
result $((! $?)) "status: zn-cache-hits +2, zn-cache-misses +1" "$(kcctl status; echo "$out")"
# One request after another: each key's row its own group commit (the
# answer waited for it), none shared.
[ "$(kc_counter group-writes)" = $((writes + 3)) ] &&
	[ "$(kc_counter group-commits)" = $((commits + 3)) ]
result $((! $?)) "status: three keys issued one after another: group-writes +3, group-commits +3" "$(kcctl status; echo "$out")"
# Every decision is still made on each request: the blocked Device_ID
# first, then the kept USS.
kcctl device block $DEV1
refused "a blocked device whose B-TID is kept" $DEV1 $PSK1 "$(ask 8 $DEV1)" \
	403 device-blocked
kcctl device unblock $DEV1
n4=$(zn_pulls 4)
refused "a kept USS entry without flag 1 (ks_local_device)" $DEV1 $PSK1 \
	"$(ask 4 $DEV1)" 403 ks-local-not-allowed
[ "$(zn_pulls 4)" = "$n4" ] && [ "$n4" -ge 1 ]
result $((! $?)) "... refused on the kept USS: no Zn answer more" "$n4 $(zn_pulls 4)"
# GBA: the handshake's key (nafkc.test || 01 00 00 00 07) is pulled once,
# the request's (the Key Centre's NAF_Id) is the one kept above.
gbactl 8 --tls 1.3 --show-key
[ $status = 0 ] && [ "$(field ks_local)" = "$ks_local" ] && [ "$(zn_pulls 8)" = 2 ]
result $((! $?)) "zn cache, GBA: the first handshake pulls its key (2 Zn answers in all)" \
	"$out" "$err $(zn_pulls 8)"
gbactl 8 --tls 1.3 --show-key
[ $status = 0 ] && [ "$(field ks_local)" = "$ks_local" ] && [ "$(zn_pulls 8)" = 2 ]
result $((! $?)) "zn cache, GBA: the second handshake and request, no Zn answer more" \
	"$out" "$err $(zn_pulls 8)"
# UE 7's GBA_U bootstrap, a plain identity first: the BSF's answer to it
# is not marked GBA_U (not asked), so a -uicc handshake then asks again.
ks_naf_for 7 0100000007
connect=$GBA request "3GPP-bootstrapping${btid[7]}" $ks_naf "$(ask 7 $DEV1)" -tls1_3
c1=$code
gbactl 7 --tls 1.3
[ "$c1" = 200 ] && [ $status = 0 ]
result $((! $?)) "zn cache: a GBA_U B-TID kept from a plain GBA handshake still serves a -uicc one" \
	"$c1" "$err"

# --- the BSF: down, then the B-TID expired --------------------------------------------

stop bsf
request $DEV1 $PSK1 "$(ask 8 $DEV1)" -tls1_3
same_key
result $((! $?)) "the BSF stopped: a kept B-TID's request is served from the cache" "$code $body"
gbactl 8 --tls 1.3 --show-key
[ $status = 0 ] && [ "$(field ks_local)" = "$ks_local" ]
result $((! $?)) "the BSF stopped: a kept B-TID's GBA handshake and request too" "$out" "$err"
refused "the BSF down" $DEV1 $PSK1 "$(ask 5 $DEV1)" 503 bsf-unavailable
n_keys=$(keys_stored)
ks_naf_for 1 0100000007
connect=$GBA request "3GPP-bootstrapping${btid[1]}" $ks_naf "$(ask 1 $DEV1)" -tls1_3
[ -z "$code" ] && [ "$(keys_stored)" = "$n_keys" ]
result $((! $?)) "GBA with the BSF down: the handshake fails, nothing stored" "$tls"
wait_log nafkc "event=tls-refused .*psk-identity=\"3GPP-bootstrapping${btid[1]}\" reason=\"BSF unavailable\"" 1
result $((! $?)) "tls-refused: BSF unavailable" \
	"$(grep tls-refused "$tmp/nafkc.log" | tail -4)"
# 6 s: the bootstrap and the request must fit in it on a loaded machine
# (with 2 s they did not always).
LIFETIME=6
write_bsf_config
start bsf || bail bsf
uectl bootstrap --iccid ${ICCID}05 --bsf "http://$UB"
btid[6]=$(field btid)
request $DEV1 $PSK1 "$(ask 6 $DEV1)" -tls1_3
[ "$code" = 200 ] && [ "$(json_member lifetime)" -le 6 ]
result $((! $?)) "a B-TID with 6 s left: the key gets at most 6 s" "$code $body"
expired=$(kc_counter zn-cache-expired)
sleep 7
refused "an expired B-TID, though kept" $DEV1 $PSK1 "$(ask 6 $DEV1 ks_local_mt)" 404 expired-btid
[ "$(kc_counter zn-cache-expired)" = $((expired + 1)) ] && [ "$(zn_pulls 6)" = 1 ]
result $((! $?)) "... its kept answer dropped at its expiry (zn-cache-expired +1), no key from the BSF" \
	"$expired $(kc_counter zn-cache-expired) $(zn_pulls 6)"
n_keys=$(keys_stored)
connect=$GBA request "3GPP-bootstrapping${btid[6]}" $ks_naf "$(ask 6 $DEV1)" -tls1_2
[ -z "$code" ] && [ "$(keys_stored)" = "$n_keys" ]
result $((! $?)) "GBA with an expired B-TID: the handshake fails, nothing stored" "$tls"
wait_log nafkc "event=tls-refused .*psk-identity=\"3GPP-bootstrapping${btid[6]}\" reason=\"expired B-TID\"" 1
result $((! $?)) "tls-refused: expired B-TID" \
	"$(grep tls-refused "$tmp/nafkc.log" | tail -4)"

# --- zn-cache 1 and 0, by SIGHUP (a reload starts an empty cache) ---------------------

ZN_CACHE=1 write_nafkc_config
kill -HUP "${pid[nafkc]}"
wait_log nafkc "event=reloaded" 1
n4=$(zn_pulls 4) n8=$(zn_pulls 8) evictions=$(kc_counter zn-cache-evictions)
request $DEV1 $PSK1 "$(ask 8 $DEV1)" -tls1_3
c1=$code
request $DEV1 $PSK1 "$(ask 4 $DEV1 ks_local_mt)" -tls1_3
c2=$code
request $DEV1 $PSK1 "$(ask 4 $DEV1 ks_local_mt)" -tls1_3
c3=$code
request $DEV1 $PSK1 "$(ask 8 $DEV1)" -tls1_3
[ "$c1 $c2 $c3 $code" = "200 200 200 200" ] &&
	[ "$(zn_pulls 8)" = $((n8 + 2)) ] && [ "$(zn_pulls 4)" = $((n4 + 1)) ] &&
	[ "$(kc_counter zn-cache-evictions)" = $((evictions + 2)) ] &&
	[ "$(kc_counter zn-cache-entries)" = 1 ]
result $((! $?)) "zn-cache 1: B-TIDs 8, 4, 4, 8: B-TID 4 kept once, 8 (the oldest) forgotten and pulled again, 2 evictions" \
	"$c1 $c2 $c3 $code" "$n8 $(zn_pulls 8) $n4 $(zn_pulls 4) $evictions $(kc_counter zn-cache-evictions)"
ZN_CACHE=0 write_nafkc_config
kill -HUP "${pid[nafkc]}"
wait_log nafkc "event=reloaded" 2
n8=$(zn_pulls 8) hits=$(kc_counter zn-cache-hits)
request $DEV1 $PSK1 "$(ask 8 $DEV1)" -tls1_3
c1=$code
request $DEV1 $PSK1 "$(ask 8 $DEV1)" -tls1_3
gbactl 8 --tls 1.3
[ "$c1 $code $status" = "200 200 0" ] && [ "$(zn_pulls 8)" = $((n8 + 4)) ] &&
	[ "$(kc_counter zn-cache-hits)" = "$hits" ] &&
	[ "$(kc_counter zn-cache-entries)" = 0 ]
result $((! $?)) "zn-cache 0: every request pulls (2 requests and a GBA one: 4 Zn answers), nothing kept" \
	"$c1 $code $status" "$n8 $(zn_pulls 8)"
ZN_CACHE=

# --- the GBA listener within listeners: as every other --------------------------------

# A cap of 4 and a deadline of 3 s: 6 idle connections (no ClientHello)
# close the 2 oldest, a UE's request takes the slot of the next oldest,
# and the deadline cuts the rest.
CAP=4 DEADLINE=3
FLOOD=(python3 "$here/conn_flood.py")
stop nafkc
LISTENERS=$(printf 'listeners:\n  max-connections: %s\n  request-deadline: %s' \
	$CAP $DEADLINE)
write_nafkc_config
start nafkc || bail nafkc
result 1 "the Key Centre restarts with listeners of $CAP connections, $DEADLINE s a request"
coproc HOLD { "${FLOOD[@]}" hold "$GBA" 6; }
read -r -t 30 line <&"${HOLD[0]}"
[ "$line" = "open 6" ]
result $((! $?)) "6 idle connections open on the GBA listener" "$line"
t0=$(date +%s%3N)
for i in $(seq 40); do	# until the Key Centre has taken every one
	echo count >&"${HOLD[1]}"
	read -r -t 30 line <&"${HOLD[0]}"
	[ "$line" = "closed 2 oldest 2" ] && break
	sleep 0.1
done
[ "$line" = "closed 2 oldest 2" ]
result $((! $?)) "past the cap of $CAP, the 2 oldest idle ones closed" "$line"
wait_log nafkc "level=warning role=nafkc event=connections-limited listener=gba refused=0 evicted=1 cut=0 open=[0-9]* max=$CAP period-ms=10000" 1
result $((! $?)) "logged as every listener's: connections-limited listener=gba" \
	"$(grep connections-limited "$tmp/nafkc.log")"
gbactl 7 --tls 1.3
[ $status = 0 ]
result $((! $?)) "a UE's GBA request (GBA_U) while $CAP idle connections fill the cap" "$err"
echo count >&"${HOLD[1]}"
read -r -t 30 line <&"${HOLD[0]}"
[ "$line" = "closed 3 oldest 3" ]
result $((! $?)) "its connection closed the oldest idle one" "$line"
for i in $(seq 60); do
	echo count >&"${HOLD[1]}"
	read -r -t 30 line <&"${HOLD[0]}"
	[ "$line" = "closed 6 oldest 6" ] && break
	sleep 0.1
done
ms=$(($(date +%s%3N) - t0))
[ "$line" = "closed 6 oldest 6" ] && [ $ms -ge $((DEADLINE * 1000 - 500)) ] &&
	[ $ms -lt $((DEADLINE * 1000 + 3000)) ]
result $((! $?)) "past the $DEADLINE s deadline, every idle one is cut (${ms} ms)" "$line"
eval "exec ${HOLD[1]}>&-"
wait "$HOLD_PID"
gbactl 7 --tls 1.2
[ $status = 0 ]
result $((! $?)) "the GBA listener serves on" "$err"

# --- no key in any log --------------------------------------------------------------

leaked=0
for s in "${secrets[@]}"; do
	[ -n "$s" ] && grep -qi "$s" "$tmp"/*.log && leaked=1
done
[ $leaked = 0 ]
result $((! $?)) "no PSK, Ks_NAF or Ks_local in any daemon's log"

kcctl status
grep -q "^role=nafkc devices=$DEV gba=$GBA requests=[0-9]* psk-lookups=[0-9]* issued=[0-9]* refused=[0-9]* zn-failures=[0-9]* zn-in-flight=0 gba-handshakes=[0-9]* gba-key-pulls=[0-9]* zn-cache-entries=[0-9]* zn-cache-hits=[0-9]* zn-cache-misses=[0-9]* zn-cache-evictions=[0-9]* zn-cache-expired=[0-9]* group-commits=[0-9]* group-writes=[0-9]*$" <<< "$out"
result $((! $?)) "status: the Key Centre's listener and counters, the Zn cache's among them" "$out"

stop nafkc
[ "$stop_status" = 0 ]
result $((! $?)) "the Key Centre stops cleanly on SIGTERM"

tap_done
