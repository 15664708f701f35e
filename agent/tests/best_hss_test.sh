#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The HSS's side of BEST (Documentation/best.md), run for real: an HSS
# e2md on loopback with a certificate from a throwaway CA, subscribers
# added with e2mctl, curl as the SGW (POST /e2m/v1/av) and as the HSE
# (POST /e2m/v1/keyset). Every vector and key set is checked against
# `e2mctl milenage`, `e2mctl air-keys`, `e2mctl kasme`, `e2mctl
# e2m-keyset` and tests/gba_peer.py best-av (Milenage over the openssl
# command's AES, the KDF over hmac): AMF bit 1 for an e2m subscriber and
# not for another, CK'/IK' (UMTS) and KASME' (EPS) in place of the AKA
# run's keys, XRES* and K_AUSF (5G, and `e2mctl k-hse` for K_HSE), the key
# set pulled by RAND and by SQN; then every refusal
# (client not listed, wrong IMSI, RAND or SQN, malformed bodies with
# nothing stored), the window's end (2 s by SIGHUP), a restart forgetting
# every key set, and the log free of every key. Prints TAP.
#
#   tests/best_hss_test.sh [E2MCTL [E2MD]]
#
# Needs root (the admin socket takes uid 0 only), openssl, curl, python3.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}
PEER=(python3 "$here/gba_peer.py")

need_root "the admin socket needs root"
need_tools openssl curl python3

make_tmp shm
. "$here/daemon_lib.sh"

# TS 35.208 test sets 1 and 2 as the e2m and the plain subscriber.
# (IMSI1, K1, OPC1 and IMSI2, K2, OPC2: selftests/lib/test-vectors.sh)
SN_ID=00f110

pki_ca hss.test sgw.test hse.test bsf.test
store_keys hss

WINDOW=600	# long enough for a slow machine
HSE_CLIENTS="[hse.test]"
write_config() {
	cat > "$tmp/hss.yaml" <<-EOF2
	$(config_base hss hss.test)
	roles:
	  hss:
	    listen: "127.0.0.1:0"
	    clients: [bsf.test]
	    sn-clients: [sgw.test]
	    hse-clients: $HSE_CLIENTS
	    e2m:
	      window: $WINDOW
	      algorithm: aes
	EOF2
}

write_config
if ! start hss; then
	echo "Bail out! the HSS did not start"
	sed 's/^/# /' "$tmp/hss.log"
	exit 1
fi
HSS=$(ready_value hss hss.zh)
result 1 "HSS on $HSS"

ctl --socket "$tmp/run/hss.sock" subscriber add --imsi $IMSI1 \
	--impi user1@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1) --e2m
result $((status == 0)) "subscriber 1 added with the e2m flag" "$err"
ctl --socket "$tmp/run/hss.sock" subscriber add --imsi $IMSI2 \
	--impi user2@home1.net --keys <(printf '%s\n' k=$K2 opc=$OPC2) --amf 0001
result $((status == 0)) "subscriber 2 added without it, AMF 0001" "$err"

# --- helpers ---------------------------------------------------------------------

# post CLIENT PATH BODY [CURL ARGS...]: $code, $body
CT=application/json
post() {
	local client=$1 path=$2 data=$3
	shift 3
	code=$(curl -s -o "$tmp/body" -w '%{http_code}' --max-time 10 \
		--cacert "$tmp/ca.crt" --cert "$tmp/$client.crt" \
		--key "$tmp/$client.key" -H "Content-Type: $CT" \
		--data-binary "$data" "$@" "https://$HSS$path" 2> "$tmp/curl.err")
	body=$(cat "$tmp/body" 2> /dev/null)
	rm -f "$tmp/body"
}

av() {		# BODY: an AV request as the SGW; $av_t0, $av_t1 around it
	av_t0=$(date -u +%s)
	post sgw.test /e2m/v1/av "$1"
	av_t1=$(date -u +%s)
}

pull() {	# BODY [CLIENT]: a key set pull as the HSE
	post "${2:-hse.test}" /e2m/v1/keyset "$1"
}

# MEMBER: a member of $body as written (a string without its quotes), ""
# when absent. The HSS writes compact JSON of strings, numbers, booleans.
jget() {
	sed -n 's/.*"'"$1"'":"\{0,1\}\([^",}]*\).*/\1/p' <<< "$body"
}

# The independent view of the AV in $body: $indep (name=value lines).
independent() {	# K OPC [SN_ID [SNN]]
	indep=$("${PEER[@]}" best-av --k $1 --opc $2 ${3:+--sn-id $3} \
		${4:+--snn $4} <<< "$body")
}

ind() {		# NAME: a value of $indep
	sed -n "s/^$1=//p" <<< "$indep"
}

status_counter() {	# NAME: a counter of e2mctl status
	"$E2MCTL" --socket "$tmp/run/hss.sock" status |
		sed -n "s/.* $1=\([0-9]*\).*/\1/p"
}

# expect_error NAME STATUS TOKEN: $code and the error token of $body
expect_error() {
	local token
	token=$(jget error 2> /dev/null)
	if [ "$code" = "$2" ] && [ "$token" = "$3" ]; then
		result 1 "$1"
	else
		result 0 "$1" "got $code $body" "wanted $2 $3" "$(cat "$tmp/curl.err")"
	fi
}

secrets=("$K1" "$OPC1" "$K2" "$OPC2")	# to look for in the log

# --- UMTS, the e2m subscriber ------------------------------------------------------

av '{"imsi":"'$IMSI1'","aka":"umts"}'
result $((code == 200)) "UMTS AV for the e2m subscriber: 200" "$code $body"
av1_t0=$av_t0 av1_t1=$av_t1
independent $K1 $OPC1
rand1=$(jget rand) autn1=$(jget autn) sqn1=$(ind sqn)
[ "$(jget imsi)" = $IMSI1 ] && [ "$(jget e2m)" = true ] &&
	[ "$(ind mac_ok)" = 1 ] && [ "$(ind xres_ok)" = 1 ]
result $((! $?)) "it is e2m, MAC-A and XRES are Milenage's (gba_peer.py)" "$body" "$indep"
[ "$(ind amf)" = 4000 ] && [ "$sqn1" = 000000000020 ]
result $((! $?)) "AMF 4000: the e2m bit (bit 1) on the subscriber's 0000; SQN 000000000020" "$indep"
m=$("$E2MCTL" milenage --k $K1 --opc $OPC1 --rand $rand1 --sqn $sqn1 --amf 4000)
ck=$(sed -n 's/^ck=//p' <<< "$m") ik=$(sed -n 's/^ik=//p' <<< "$m")
air=$("$E2MCTL" air-keys --ck $ck --ik $ik --rand $rand1)
grep -qx "autn=$autn1" <<< "$m" && grep -qx "res=$(jget xres)" <<< "$m" &&
	grep -qx "ck_prime=$(jget ck)" <<< "$air" &&
	grep -qx "ik_prime=$(jget ik)" <<< "$air"
result $((! $?)) "AUTN, XRES from e2mctl milenage; ck, ik are its CK', IK' (e2mctl air-keys)" "$m" "$air" "$body"
[ "$(jget ck)" = "$(ind ck_prime)" ] && [ "$(jget ik)" = "$(ind ik_prime)" ] &&
	[ "$(jget ck)" != "$ck" ] && [ "$(jget ik)" != "$ik" ] &&
	[ -z "$(jget kasme)" ]
result $((! $?)) "CK', IK' as gba_peer.py derives them, not CK, IK; no kasme" "$body" "$indep"
secrets+=("$ck" "$ik" "$(jget ck)" "$(jget ik)" "$(jget xres)")
keyset1=$("$E2MCTL" e2m-keyset --ck $ck --ik $ik --rand $rand1 --alg 2)
k_enc1=$(sed -n 's/^k_enc=//p' <<< "$keyset1")
k_int1=$(sed -n 's/^k_int=//p' <<< "$keyset1")
secrets+=("$k_enc1" "$k_int1" "$(sed -n 's/^k_e2m=//p' <<< "$keyset1")")
[ "$k_enc1" = "$(ind k_enc)" ] && [ "$k_int1" = "$(ind k_int)" ]
result $((! $?)) "e2mctl e2m-keyset and gba_peer.py agree on the key set" "$keyset1" "$indep"

# check_keyset NAME RAND SQN K_ENC K_INT [T0 T1]: $body is that key set,
# its window ending WINDOW seconds after the AV request (made T0..T1).
check_keyset() {
	local expires t0=${6:-$av_t0} t1=${7:-$av_t1}
	expires=$(date -u -d "$(jget window-expires)" +%s 2> /dev/null || echo 0)
	if [ "$code" = 200 ] && [ "$(jget imsi)" = "$IMSI" ] &&
	   [ "$(jget rand)" = "$2" ] && [ "$(jget sqn)" = "$3" ] &&
	   [ "$(jget enc-alg)" = 2 ] && [ "$(jget int-alg)" = 2 ] &&
	   [ "$(jget k-enc)" = "$4" ] && [ "$(jget k-int)" = "$5" ] &&
	   [ $expires -ge $((t0 + WINDOW)) ] &&
	   [ $expires -le $((t1 + WINDOW)) ]; then
		result 1 "$1"
	else
		result 0 "$1" "got $code $body" "wanted $2 $3 $4 $5" \
			"expiry in $((t0 + WINDOW))..$((t1 + WINDOW))"
	fi
}

IMSI=$IMSI1
pull '{"imsi":"'$IMSI1'","rand":"'$rand1'"}'
check_keyset "pull by IMSI and RAND: the key set, algorithms 2, window-expires in $WINDOW s" \
	$rand1 $sqn1 $k_enc1 $k_int1
pull '{"imsi":"'$IMSI1'","sqn":"'$sqn1'"}'
check_keyset "pull by IMSI and SQN: the same key set" $rand1 $sqn1 $k_enc1 $k_int1
pull '{"imsi":"'$IMSI1'","rand":"'${rand1^^}'","x":[1]}'
check_keyset "pull again, RAND in upper case, an unknown member: the same again" \
	$rand1 $sqn1 $k_enc1 $k_int1
pull '{"imsi":"'$IMSI1'","rand":"'$rand1'"}' sgw.test
expect_error "pull by the SGW (not in hse-clients): 403 forbidden" 403 forbidden
pull '{"imsi":"'$IMSI1'","rand":"'$rand1'"}' bsf.test
expect_error "pull by the BSF: 403 forbidden" 403 forbidden
pull '{"imsi":"'$IMSI2'","rand":"'$rand1'"}'
expect_error "pull with another IMSI: 404 no-keyset" 404 no-keyset
other_rand=$(printf '%s' "${rand1:0:31}")$(printf '%x' $(( (0x${rand1:31:1} + 1) % 16 )))
pull '{"imsi":"'$IMSI1'","rand":"'$other_rand'"}'
expect_error "pull with another RAND: 404 no-keyset" 404 no-keyset
pull '{"imsi":"'$IMSI1'","sqn":"000000000040"}'
expect_error "pull with another SQN: 404 no-keyset" 404 no-keyset

# --- UMTS again: the next SQN, both key sets held -----------------------------------

av '{"imsi":"'$IMSI1'","aka":"umts"}'
independent $K1 $OPC1
rand2=$(jget rand) sqn2=$(ind sqn)
secrets+=("$(jget ck)" "$(jget ik)" "$(jget xres)" "$(ind k_enc)" "$(ind k_int)" "$(ind ck)" "$(ind ik)")
[ "$code" = 200 ] && [ "$sqn2" = 000000000041 ]
result $((! $?)) "a second UMTS AV: SQN 000000000041 (SEQ 2, IND 1)" "$code $indep"
pull '{"imsi":"'$IMSI1'","sqn":"'$sqn2'"}'
check_keyset "its key set by SQN" $rand2 $sqn2 "$(ind k_enc)" "$(ind k_int)"
pull '{"imsi":"'$IMSI1'","rand":"'$rand1'"}'
check_keyset "the first one is still held" $rand1 $sqn1 $k_enc1 $k_int1 $av1_t0 $av1_t1

# --- EPS, the e2m subscriber --------------------------------------------------------

av '{"imsi":"'$IMSI1'","aka":"eps","sn-id":"'$SN_ID'"}'
result $((code == 200)) "EPS AV for the e2m subscriber: 200" "$code $body"
independent $K1 $OPC1 $SN_ID
rand3=$(jget rand) sqn3=$(ind sqn) autn3=$(jget autn)
[ "$(jget e2m)" = true ] && [ "$(ind amf)" = c000 ] && [ "$(ind mac_ok)" = 1 ] &&
	[ "$(ind xres_ok)" = 1 ] && [ -z "$(jget ck)" ]
result $((! $?)) "AMF c000 (separation and e2m bits), MAC-A and XRES hold, no ck" "$body" "$indep"
m=$("$E2MCTL" milenage --k $K1 --opc $OPC1 --rand $rand3 --sqn $sqn3 --amf c000)
ck=$(sed -n 's/^ck=//p' <<< "$m") ik=$(sed -n 's/^ik=//p' <<< "$m")
air=$("$E2MCTL" air-keys --ck $ck --ik $ik --rand $rand3)
kasme=$("$E2MCTL" kasme --ck $ck --ik $ik --sn-id $SN_ID --sqn-xor-ak ${autn3:0:12} |
	sed -n 's/^kasme=//p')
kasme_prime=$("$E2MCTL" kasme --ck "$(sed -n 's/^ck_prime=//p' <<< "$air")" \
	--ik "$(sed -n 's/^ik_prime=//p' <<< "$air")" --sn-id $SN_ID \
	--sqn-xor-ak ${autn3:0:12} | sed -n 's/^kasme=//p')
[ "$(jget kasme)" = "$kasme_prime" ] && [ "$kasme_prime" = "$(ind kasme_prime)" ] &&
	[ "$kasme" = "$(ind kasme)" ] && [ "$(jget kasme)" != "$kasme" ]
result $((! $?)) "kasme is KASME' (KASME over CK', IK', e2mctl and gba_peer.py), not KASME" "$body" "$indep"
secrets+=("$ck" "$ik" "$kasme" "$kasme_prime" "$(jget xres)" "$(ind k_enc)" "$(ind k_int)")
pull '{"imsi":"'$IMSI1'","rand":"'$rand3'"}'
check_keyset "EPS key set by RAND: from KASME (gba_peer.py)" $rand3 $sqn3 \
	"$(ind k_enc)" "$(ind k_int)"
pull '{"imsi":"'$IMSI1'","sqn":"'$sqn3'"}'
check_keyset "and by SQN" $rand3 $sqn3 "$(ind k_enc)" "$(ind k_int)"

# --- 5G, the e2m subscriber ---------------------------------------------------------

SNN=5G:mnc001.mcc001.3gppnetwork.org
av '{"imsi":"'$IMSI1'","aka":"5g","snn":"'$SNN'"}'
result $((code == 200)) "5G AV for the e2m subscriber: 200" "$code $body"
independent $K1 $OPC1 "" $SNN
rand6=$(jget rand) sqn6=$(ind sqn) autn6=$(jget autn)
[ "$(jget e2m)" = true ] && [ "$(ind amf)" = c000 ] && [ "$(ind mac_ok)" = 1 ] &&
	[ "$(ind xres_star_ok)" = 1 ] && [ "$(jget kausf)" = "$(ind kausf)" ]
result $((! $?)) "AMF c000 (separation and e2m bits), MAC-A holds, xres-star and kausf as gba_peer.py derives them" "$body" "$indep"
[ -z "$(jget xres)" ] && [ -z "$(jget ck)" ] && [ -z "$(jget ik)" ] &&
	[ -z "$(jget kasme)" ] && [ ${#body} -gt 0 ]
result $((! $?)) "no xres, ck, ik or kasme in a 5G vector" "$body"
m=$("$E2MCTL" milenage --k $K1 --opc $OPC1 --rand $rand6 --sqn $sqn6 --amf c000)
ck=$(sed -n 's/^ck=//p' <<< "$m") ik=$(sed -n 's/^ik=//p' <<< "$m")
k_hse=$("$E2MCTL" k-hse --ck $ck --ik $ik --snn $SNN --sqn-xor-ak ${autn6:0:12} |
	sed -n 's/^k_hse=//p')
[ -n "$k_hse" ] && [ "$k_hse" = "$(ind k_hse)" ] && [ "$(jget kausf)" != "$k_hse" ]
result $((! $?)) "K_HSE (e2mctl k-hse = gba_peer.py) is not K_AUSF" "$k_hse" "$indep"
secrets+=("$ck" "$ik" "$k_hse" "$(jget kausf)" "$(jget xres-star)" "$(ind res)" "$(ind k_enc)" "$(ind k_int)")
pull '{"imsi":"'$IMSI1'","rand":"'$rand6'"}'
check_keyset "5G key set by RAND: from K_HSE (gba_peer.py)" $rand6 $sqn6 \
	"$(ind k_enc)" "$(ind k_int)"
pull '{"imsi":"'$IMSI1'","sqn":"'$sqn6'"}'
check_keyset "and by SQN" $rand6 $sqn6 "$(ind k_enc)" "$(ind k_int)"

# --- the subscriber without e2m ----------------------------------------------------

av '{"imsi":"'$IMSI2'","aka":"umts"}'
independent $K2 $OPC2
rand4=$(jget rand) sqn4=$(ind sqn)
[ "$code" = 200 ] && [ "$(jget e2m)" = false ] && [ "$(ind amf)" = 0001 ] &&
	[ "$(ind mac_ok)" = 1 ] && [ "$(jget ck)" = "$(ind ck)" ] &&
	[ "$(jget ik)" = "$(ind ik)" ]
result $((! $?)) "UMTS AV without e2m: e2m false, AMF 0001 as subscribed, CK and IK themselves" "$body" "$indep"
secrets+=("$(jget ck)" "$(jget ik)" "$(jget xres)")
pull '{"imsi":"'$IMSI2'","rand":"'$rand4'"}'
expect_error "no key set for it by RAND: 404 no-keyset" 404 no-keyset
pull '{"imsi":"'$IMSI2'","sqn":"'$sqn4'"}'
expect_error "nor by SQN" 404 no-keyset
av '{"imsi":"'$IMSI2'","aka":"eps","sn-id":"'$SN_ID'"}'
independent $K2 $OPC2 $SN_ID
[ "$code" = 200 ] && [ "$(jget e2m)" = false ] && [ "$(ind amf)" = 8001 ] &&
	[ "$(jget kasme)" = "$(ind kasme)" ]
result $((! $?)) "EPS AV without e2m: AMF 8001 (separation bit), KASME itself" "$body" "$indep"
secrets+=("$(jget kasme)" "$(jget xres)")
av '{"imsi":"'$IMSI2'","aka":"5g","snn":"5G:mnc410.mcc310.3gppnetwork.org"}'
independent $K2 $OPC2 "" 5G:mnc410.mcc310.3gppnetwork.org
[ "$code" = 200 ] && [ "$(jget e2m)" = false ] && [ "$(ind amf)" = 8001 ] &&
	[ "$(ind xres_star_ok)" = 1 ] && [ "$(jget kausf)" = "$(ind kausf)" ]
result $((! $?)) "5G AV without e2m: AMF 8001, XRES* and K_AUSF for its serving network name" "$body" "$indep"
secrets+=("$(jget kausf)" "$(jget xres-star)")
pull '{"imsi":"'$IMSI2'","rand":"'$(jget rand)'"}'
expect_error "no key set for it" 404 no-keyset

# --- resynchronisation ---------------------------------------------------------------

auts=$("$E2MCTL" auts --k $K1 --opc $OPC1 --rand $rand1 --sqn-ms 000000000c80 |
	sed -n 's/^auts=//p')
av '{"imsi":"'$IMSI1'","aka":"umts","resync":{"rand":"'$rand1'","auts":"'$auts'"}}'
independent $K1 $OPC1
sqn_r=$(ind sqn)
[ "$code" = 200 ] && [ $((0x$sqn_r >> 5)) = 101 ] && [ "$(jget e2m)" = true ]
result $((! $?)) "resync with AUTS (SQN_MS SEQ 100): 200, SEQ 101 ($sqn_r)" "$code $body" "$indep"
secrets+=("$(jget ck)" "$(jget ik)" "$(jget xres)" "$(ind k_enc)" "$(ind k_int)" "$(ind ck)" "$(ind ik)")
rand_r=$(jget rand)
pull '{"imsi":"'$IMSI1'","sqn":"'$sqn_r'"}'
check_keyset "its key set by SQN" $rand_r $sqn_r "$(ind k_enc)" "$(ind k_int)"
bad_auts=${auts:0:27}$(printf '%x' $(( (0x${auts:27:1} + 1) % 16 )))
av '{"imsi":"'$IMSI1'","aka":"umts","resync":{"rand":"'$rand1'","auts":"'$bad_auts'"}}'
expect_error "resync with a bad MAC-S: 403 resync-failed" 403 resync-failed

# --- refusals of the AV request --------------------------------------------------------

window_before=$(status_counter window)
seq_before=$("$E2MCTL" --socket "$tmp/run/hss.sock" subscriber list | sed -n "s/.*imsi=$IMSI1 .* seq=\([0-9]*\).*/\1/p")
post bsf.test /e2m/v1/av '{"imsi":"'$IMSI1'","aka":"umts"}'
expect_error "AV asked by the BSF (not in sn-clients): 403 forbidden" 403 forbidden
post hse.test /e2m/v1/av '{"imsi":"'$IMSI1'","aka":"umts"}'
expect_error "AV asked by the HSE: 403 forbidden" 403 forbidden
av '{"imsi":"001010000000099","aka":"umts"}'
expect_error "AV for an unknown IMSI: 404 unknown-subscriber" 404 unknown-subscriber
bad_av=(
	'{"aka":"umts"}'
	'{"imsi":"'$IMSI1'"}'
	'{"imsi":"'$IMSI1'","aka":"gsm"}'
	'{"imsi":"'$IMSI1'","aka":"eps"}'
	'{"imsi":"'$IMSI1'","aka":"umts","sn-id":"'$SN_ID'"}'
	'{"imsi":"'$IMSI1'","aka":"eps","sn-id":"00f1"}'
	'{"imsi":"'$IMSI1'","aka":"5g"}'
	'{"imsi":"'$IMSI1'","aka":"5g","sn-id":"'$SN_ID'"}'
	'{"imsi":"'$IMSI1'","aka":"5g","snn":"mnc001.mcc001.3gppnetwork.org"}'
	'{"imsi":"'$IMSI1'","aka":"5g","snn":"5G:mnc001 mcc001"}'
	'{"imsi":"'$IMSI1'","aka":"5g","snn":"5G:\u00e9"}'
	'{"imsi":"'$IMSI1'","aka":"5g","snn":"5G:'$(printf '%0130d' 0)'"}'
	'{"imsi":"'$IMSI1'","aka":"eps","sn-id":"'$SN_ID'","snn":"'$SNN'"}'
	'{"imsi":"'$IMSI1'","aka":"umts","snn":"'$SNN'"}'
	'{"imsi":"user1@home1.net","aka":"umts"}'
	'{"imsi":"'$IMSI1'","imsi":"'$IMSI1'","aka":"umts"}'
	'{"imsi":"'$IMSI1'","aka":"umts","resync":{"rand":"'$rand1'"}}'
	'{"imsi":"'$IMSI1'","aka":"umts"'
	'[]'
)
for b in "${bad_av[@]}"; do
	av "$b"
	expect_error "AV request $b: 400 bad-request" 400 bad-request
done
CT=text/plain
post sgw.test /e2m/v1/av '{"imsi":"'$IMSI1'","aka":"umts"}'
CT=application/json
expect_error "AV request as text/plain: 415" 415 unsupported-media-type
[ "$(status_counter window)" = "$window_before" ] &&
	[ "$("$E2MCTL" --socket "$tmp/run/hss.sock" subscriber list | sed -n "s/.*imsi=$IMSI1 .* seq=\([0-9]*\).*/\1/p")" = "$seq_before" ]
result $((! $?)) "refused AV requests stored nothing: window $window_before, SEQ $seq_before unchanged"

# --- refusals of the pull ------------------------------------------------------------

bad_pull=(
	'{"imsi":"'$IMSI1'"}'
	'{"imsi":"'$IMSI1'","rand":"'$rand1'","sqn":"'$sqn1'"}'
	'{"rand":"'$rand1'"}'
	'{"imsi":"0010100000000011","rand":"'$rand1'"}'
	'{"imsi":"00101","rand":"'$rand1'"}'
	'{"imsi":"'$IMSI1'","rand":"'$rand1'00"}'
	'{"imsi":"'$IMSI1'","sqn":"'$sqn1'","sqn":"'$sqn1'"}'
	'{"imsi":"'$IMSI1'","sqn":12}'
	'{"imsi":"'$IMSI1'","rand":null}'
	'not json'
)
for b in "${bad_pull[@]}"; do
	pull "$b"
	expect_error "pull $b: 400 bad-request" 400 bad-request
done
big=$(printf '{"imsi":"%s","rand":"%s","pad":"%016000d"}' $IMSI1 $rand1 0)
pull "$big"
check_keyset "a pull of just under 16 KiB is read" $rand1 $sqn1 $k_enc1 $k_int1 \
	$av1_t0 $av1_t1
big=$(printf '{"imsi":"%s","rand":"%s","pad":"%017000d"}' $IMSI1 $rand1 0)
pull "$big"
result $((code == 413)) "a pull over 16 KiB: 413" "$code"
post hse.test /e2m/v1/keyset '{"imsi":"'$IMSI1'","rand":"'$rand1'"}' -X GET
result $((code == 405)) "GET on the pull: 405" "$code"

# --- batches: POST /e2m/v1/keysets -------------------------------------------------------

pulls() {	# BODY [CLIENT]: a batch of pulls as the HSE
	post "${2:-hse.test}" /e2m/v1/keysets "$1"
}

# The results of $body, one line each: STATUS ERROR IMSI RAND SQN K-ENC K-INT
# ("-" for a member absent), or "bad" when the answer is not {"results": [...]}.
results() {
	python3 -c '
import json, sys
try:
    r = json.loads(sys.stdin.read())["results"]
    for x in r:
        print(" ".join(str(x.get(k, "-")) for k in
              ("status", "error", "imsi", "rand", "sqn", "k-enc", "k-int")))
except Exception:
    print("bad")' <<< "$body"
}

pulled_before=$(status_counter keysets-pulled)
refused_before=$(status_counter pulls-refused)
pulls '{"pulls":[{"imsi":"'$IMSI1'","rand":"'$rand1'"},{"imsi":"'$IMSI2'","rand":"'$rand1'"},{"imsi":"'$IMSI1'"},{"imsi":"'$IMSI1'","sqn":"'$sqn1'"},42]}'
want="200 - $IMSI1 $rand1 $sqn1 $k_enc1 $k_int1
404 no-keyset - - - - -
400 bad-request - - - - -
200 - $IMSI1 $rand1 $sqn1 $k_enc1 $k_int1
400 bad-request - - - - -"
got=$(results)
result $([ "$code" = 200 ] && [ "$got" = "$want" ] && echo 1 || echo 0) \
	"a mixed batch (found by RAND, no key set, an item without rand or sqn, found by SQN, not an object): 200, each its own result in order" \
	"got $code" "$got" "wanted" "$want"
details=$(python3 -c 'import json,sys; print("|".join(x.get("detail","") for x in json.loads(sys.stdin.read())["results"]))' <<< "$body")
result $([ "$details" = "|no key set for that IMSI and RAND|\"rand\" or \"sqn\" missing||not JSON: line 1: '[' or '{' expected near '42'" ] && echo 1 || echo 0) \
	"the per-item details are the single endpoint's" "$details"
result $([ $(( $(status_counter keysets-pulled) - pulled_before )) = 2 ] &&
	[ $(( $(status_counter pulls-refused) - refused_before )) = 3 ] && echo 1 || echo 0) \
	"counted per pull: 2 pulled, 3 refused"
grep -q "event=keyset-refused status=404 error=no-keyset imsi=$IMSI2 detail=\"no key set for that IMSI and RAND\" peer=hse.test" "$tmp/hss.log" &&
grep -q "event=keyset-refused status=400 error=bad-request detail=\"not JSON: line 1: '\[' or '{' expected near '42'\" peer=hse.test" "$tmp/hss.log"
result $((! $?)) "each refused item logged as a refused pull is" "$(grep keyset-refused "$tmp/hss.log" | tail -3)"

item='{"imsi":"'$IMSI1'","rand":"'$rand1'"}'
items32=$item
for i in $(seq 2 32); do items32+=",$item"; done
pulled_before=$(status_counter keysets-pulled)
pulls '{"pulls":['"$items32"']}'
got=$(results)
result $([ "$code" = 200 ] && [ "$(grep -c "^200 - $IMSI1 $rand1 $sqn1 $k_enc1 $k_int1\$" <<< "$got")" = 32 ] &&
	[ "$(wc -l <<< "$got")" = 32 ] &&
	[ $(( $(status_counter keysets-pulled) - pulled_before )) = 32 ] && echo 1 || echo 0) \
	"32 pulls (the limit) in one batch: 32 key sets, 32 pulls counted" "$code" "$(head -3 <<< "$got")"

pulled_before=$(status_counter keysets-pulled)
refused_before=$(status_counter pulls-refused)
window_before=$(status_counter window)
log_before=$(grep -c "event=keyset-pulled" "$tmp/hss.log")
bad_batch=(
	'{"pulls":['"$items32,$item"']}|"pulls" has more than 32 items'
	'{"pulls":[]}|"pulls" is empty'
	'{"pulls":'"$item"'}|"pulls" is not an array'
	'{"pull":['"$item"']}|"pulls" missing'
	'{"pulls":['"$item"'],"pulls":['"$item"']}|not JSON: line 1: duplicate object key'
	'['"$item"']|body is not a JSON object'
	'not json|not JSON: line 1: '
)
for b in "${bad_batch[@]}"; do
	pulls "${b%%|*}"
	d=$(python3 -c 'import json,sys; print(json.loads(sys.stdin.read()).get("detail",""))' <<< "$body" 2> /dev/null)
	result $([ "$code" = 400 ] && [ "$(jget error)" = bad-request ] &&
		[[ "$d" == "${b#*|}"* ]] && echo 1 || echo 0) \
		"a malformed batch, ${b#*|}: 400 bad-request as a whole" "$code $body"
done
[ $(( $(status_counter pulls-refused) - refused_before )) = ${#bad_batch[@]} ] &&
[ "$(status_counter keysets-pulled)" = "$pulled_before" ] &&
[ "$(status_counter window)" = "$window_before" ] &&
[ "$(grep -c "event=keyset-pulled" "$tmp/hss.log")" = "$log_before" ]
result $((! $?)) "malformed batches change nothing: no pull made or logged, each counted refused once" \
	"$(ctl --socket "$tmp/run/hss.sock" status; echo "$out")"
pulls '{"pulls":['"$item"']}' sgw.test
expect_error "a batch by the SGW (not in hse-clients): 403 forbidden" 403 forbidden
post hse.test /e2m/v1/keysets '{"pulls":['"$item"']}' -X GET
result $((code == 405)) "GET on the batch: 405" "$code"

# --- status, log ------------------------------------------------------------------------

ctl --socket "$tmp/run/hss.sock" status
grep -q "^role=hss zh=$HSS .* best-vectors=8 vectors-e2m=5 best-resyncs=1 av-refused=24 keysets-pulled=45 pulls-refused=29 keysets-evicted=0 keysets-expired=0 window=5 keys-switched=0 key-updates-again=0 key-updates-refused=0\$" <<< "$out"
result $((! $?)) "e2mctl status: BEST counters and 5 key sets in the window" "$out"
pulls=$(grep -c "level=info role=hss event=keyset-pulled imsi=$IMSI1 sqn=[0-9]* by=\(rand\|sqn\) peer=hse.test\$" "$tmp/hss.log")
result $((pulls == 45)) "each pull logged, alone or in a batch: keyset-pulled imsi= sqn= by= peer= ($pulls)"
grep -q "event=keyset-refused status=403 error=forbidden detail=\"client not in hss.hse-clients\" peer=sgw.test" "$tmp/hss.log" &&
grep -q "event=keyset-refused status=404 error=no-keyset imsi=$IMSI2 detail=\"no key set for that IMSI and RAND\" peer=hse.test" "$tmp/hss.log" &&
grep -q "event=av-issued imsi=$IMSI1 sqn=$((0x$sqn3)) aka=eps e2m=1 peer=sgw.test" "$tmp/hss.log"
result $((! $?)) "refusals and vectors logged with their reasons" "$(grep -e keyset-refused -e av-issued "$tmp/hss.log" | head -5)"

# --- no hse-clients: nobody pulls -----------------------------------------------------

HSE_CLIENTS="[]"
write_config
kill -HUP "${pid[hss]}"
wait_log hss "event=reloaded" 1
refused_before=$(status_counter pulls-refused)
pull '{"imsi":"'$IMSI1'","rand":"'$rand1'"}'
expect_error "hse-clients emptied by SIGHUP: a pull by hse.test is 403 forbidden" 403 forbidden
result $([ "$(jget detail)" = "hss.hse-clients is empty" ] &&
	[ $(( $(status_counter pulls-refused) - refused_before )) = 1 ] &&
	grep -q "level=warning role=hss event=no-hse-clients" "$tmp/hss.log" &&
	echo 1 || echo 0) "its detail says why, it is counted, the reload warned" \
	"$body" "$(grep no-hse-clients "$tmp/hss.log")"
HSE_CLIENTS="[hse.test]"

# --- the window's end, by SIGHUP --------------------------------------------------------

# Short enough to wait out, long enough that an AV request and a pull fit
# in it on a loaded machine (2 s did not, under ASan beside the VM suites).
WINDOW=5
write_config
kill -HUP "${pid[hss]}"
wait_log hss "event=reloaded" 2
av '{"imsi":"'$IMSI1'","aka":"umts"}'
av_body=$body
rand5=$(jget rand)
pull '{"imsi":"'$IMSI1'","rand":"'$rand5'"}'	# at once: the window is short
pull_body=$body pull_code=$code
body=$av_body
independent $K1 $OPC1
sqn5=$(ind sqn)
secrets+=("$(jget ck)" "$(jget ik)" "$(jget xres)" "$(ind k_enc)" "$(ind k_int)" "$(ind ck)" "$(ind ik)")
body=$pull_body code=$pull_code
check_keyset "window $WINDOW s by SIGHUP: pulled at once" $rand5 $sqn5 "$(ind k_enc)" "$(ind k_int)"
# Past the window's end as the key set stated it (whole seconds), by 0.2 s.
window_end=$(date -u -d "$(jget window-expires)" +%s 2> /dev/null || echo 0)
while [ "$(date +%s)" -le "$window_end" ]; do sleep 0.1; done
sleep 0.2
pull '{"imsi":"'$IMSI1'","rand":"'$rand5'"}'
expect_error "pulled after the window's end: 404 no-keyset" 404 no-keyset
pull '{"imsi":"'$IMSI1'","sqn":"'$sqn5'"}'
expect_error "by SQN too" 404 no-keyset
pull '{"imsi":"'$IMSI1'","rand":"'$rand1'"}'
WINDOW=600
check_keyset "a key set of the first window still held" $rand1 $sqn1 $k_enc1 $k_int1 \
	$av1_t0 $av1_t1

# --- restart: the window is memory only ------------------------------------------------

stop hss
result $((stop_status == 0)) "SIGTERM: exit 0"
start hss
HSS=$(ready_value hss hss.zh)
pull '{"imsi":"'$IMSI1'","rand":"'$rand1'"}'
expect_error "after a restart the key sets are gone: 404 no-keyset" 404 no-keyset
result $(( $(status_counter window) == 0 )) "and the window is empty"
stop hss

# --- no key in the log ------------------------------------------------------------------

leaked=()
for s in "${secrets[@]}"; do
	[ -n "$s" ] && grep -qi -- "$s" "$tmp/hss.log" && leaked+=("$s")
done
result $(( ${#leaked[@]} == 0 )) "the log holds none of the ${#secrets[@]} keys, XRES, K and OPc" "${leaked[@]}"

tap_done
