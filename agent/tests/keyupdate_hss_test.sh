#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Step 6 of a long-term key update (Documentation/key-update.md), run for
# real: an HSS e2md on loopback with a certificate from a throwaway CA,
# a subscriber added with e2mctl, curl as the provisioning server (POST
# /keyupdate/v1/keys with its client certificate). Checked: the switch
# (KCVs from the openssl command's AES, the next vector's MAC and XRES
# under the new keys by tests/gba_peer.py's Milenage and not under the
# old ones, its SQN the one after the last), the same update again (200,
# "switched": false), every refusal (a client not in prov-clients, an
# empty list, no client certificate, a stale counter, counter 0, an
# unknown IMSI, malformed bodies, another Content-Type, GET) with the keys
# unchanged after each, a restart keeping keys and counter, and the log
# free of every key and KCV. Prints TAP.
#
#   tests/keyupdate_hss_test.sh [E2MCTL [E2MD]]
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

# TS 35.208 set 1 is the subscriber's keys, set 2 the new ones.
# (IMSI1, K1, OPC1, K2, OPC2: selftests/lib/test-vectors.sh)
pki_ca hss.test sgw.test prov.test bsf.test
store_keys hss

PROV_CLIENTS="[prov.test]"
# workers: 1: the SQNs below follow one process's reservation (another
# worker's vector would come from a window of its own).
write_config() {
	cat > "$tmp/hss.yaml" <<-EOF2
	$(config_base hss hss.test)
	workers: 1
	roles:
	  hss:
	    listen: "127.0.0.1:0"
	    clients: [bsf.test]
	    sn-clients: [sgw.test]
	    prov-clients: $PROV_CLIENTS
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
	--impi user1@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1)
result $((status == 0)) "subscriber added with the set 1 keys" "$err"

# --- helpers ---------------------------------------------------------------------

# post CLIENT PATH BODY [CURL ARGS...]: $code, $body
CT=application/json
post() {
	local client=$1 path=$2 data=$3 cert=()
	shift 3
	[ "$client" = - ] ||
		cert=(--cert "$tmp/$client.crt" --key "$tmp/$client.key")
	code=$(curl -s -o "$tmp/body" -w '%{http_code}' --max-time 10 \
		--cacert "$tmp/ca.crt" "${cert[@]}" -H "Content-Type: $CT" \
		--data-binary "$data" "$@" "https://$HSS$path" 2> "$tmp/curl.err")
	body=$(cat "$tmp/body" 2> /dev/null)
	rm -f "$tmp/body"
}

jget() {	# MEMBER of $body as written, "" when absent
	sed -n 's/.*"'"$1"'":"\{0,1\}\([^",}]*\).*/\1/p' <<< "$body"
}

expect_error() {	# NAME STATUS TOKEN
	local token
	token=$(jget error 2> /dev/null)
	if [ "$code" = "$2" ] && [ "$token" = "$3" ]; then
		result 1 "$1"
	else
		result 0 "$1" "got $code $body" "wanted $2 $3"
	fi
}

update() {	# K OPC COUNTER [CLIENT [IMSI]]: a key update request
	post "${4:-prov.test}" /keyupdate/v1/keys \
		'{"imsi":"'${5:-$IMSI1}'","k":"'$1'","opc":"'$2'","counter":'$3'}'
}

# kcv KEY: GP's KCV by the openssl command: AES-128(KEY, 16 x 01), 3 octets.
kcv() {
	printf '\001%.0s' $(seq 16) |
		openssl enc -aes-128-ecb -K "$1" -nopad 2> /dev/null |
		od -An -tx1 -N3 | tr -d ' \n'
}

# A vector as the SGW; $indep its check under K OPC by gba_peer.py.
vector_under() {	# K OPC
	post sgw.test /e2m/v1/av '{"imsi":"'$IMSI1'","aka":"umts"}'
	av_body=$body
	indep=$("${PEER[@]}" best-av --k $1 --opc $2 <<< "$body")
}
ind() { sed -n "s/^$1=//p" <<< "$indep"; }

# keys_are NAME K OPC: the next vector verifies under K/OPC (MAC and XRES).
keys_are() {
	vector_under $2 $3
	if [ "$code" = 200 ] && [ "$(ind mac_ok)" = 1 ] &&
	   [ "$(ind xres_ok)" = 1 ]; then
		result 1 "$1"
	else
		result 0 "$1" "$code $av_body" "$indep"
	fi
}

secrets=("$K1" "$OPC1" "$K2" "$OPC2" "$(kcv $K2)" "$(kcv $OPC2)")

# --- before ------------------------------------------------------------------------

vector_under $K1 $OPC1
[ "$code" = 200 ] && [ "$(ind mac_ok)" = 1 ]
result $((! $?)) "before: a vector under the set 1 keys, SQN $(ind sqn)" "$av_body" "$indep"

# --- the refusals, before any update --------------------------------------------------

update $K2 $OPC2 1 sgw.test
expect_error "the SGW (not in prov-clients): 403 forbidden" 403 forbidden
update $K2 $OPC2 1 bsf.test
expect_error "the BSF: 403 forbidden" 403 forbidden
update $K2 $OPC2 1 -
[ "$code" = 403 ] || [ "$code" = 000 ]
result $((! $?)) "no client certificate: refused ($code)" "$body"
update $K2 $OPC2 1 prov.test 001019999999999
expect_error "an unknown IMSI: 404 unknown-subscriber" 404 unknown-subscriber
update $K2 $OPC2 0
expect_error "counter 0: 400 bad-request" 400 bad-request
update $K2 $OPC2 4294967296
expect_error "counter 2^32: 400 bad-request" 400 bad-request
update ${K2:0:30} $OPC2 1
expect_error "a K of 15 octets: 400 bad-request" 400 bad-request
post prov.test /keyupdate/v1/keys '{"imsi":"'$IMSI1'","k":"'$K2'","counter":1}'
expect_error "no opc: 400 bad-request" 400 bad-request
post prov.test /keyupdate/v1/keys '{"imsi":"'$IMSI1'","k":"'$K2'","k":"'$K2'","opc":"'$OPC2'","counter":1}'
expect_error "k twice: 400 bad-request" 400 bad-request
post prov.test /keyupdate/v1/keys '{"imsi":"'$IMSI1'","k":"'$K2'","opc":"'$OPC2'","counter":"1"}'
expect_error "the counter a string: 400 bad-request" 400 bad-request
post prov.test /keyupdate/v1/keys 'not json'
expect_error "not JSON: 400 bad-request" 400 bad-request
CT=text/plain update $K2 $OPC2 1
expect_error "Content-Type text/plain: 415" 415 unsupported-media-type
post prov.test /keyupdate/v1/keys '' -X GET
expect_error "GET: 405" 405 method-not-allowed
keys_are "after every refusal: the set 1 keys still" $K1 $OPC1
sqn_before=$(ind sqn)

# --- the switch ----------------------------------------------------------------------

update $K2 $OPC2 1
[ "$code" = 200 ] && [ "$(jget imsi)" = $IMSI1 ] && [ "$(jget counter)" = 1 ] &&
	[ "$(jget switched)" = true ] &&
	[ "$(jget kcv-k)" = "$(kcv $K2)" ] && [ "$(jget kcv-opc)" = "$(kcv $OPC2)" ]
result $((! $?)) "counter 1: 200, switched, KCVs as openssl's AES makes them ($(kcv $K2), $(kcv $OPC2))" "$code $body"
vector_under $K2 $OPC2
sqn_after=$(ind sqn)
[ "$code" = 200 ] && [ "$(ind mac_ok)" = 1 ] && [ "$(ind xres_ok)" = 1 ]
result $((! $?)) "after: the next vector verifies under the set 2 keys" "$av_body" "$indep"
[ $((16#$sqn_after)) = $((16#$sqn_before + 33)) ]
result $((! $?)) "its SQN $sqn_after is the one after $sqn_before: SQN kept" "$sqn_after"
indep=$("${PEER[@]}" best-av --k $K1 --opc $OPC1 <<< "$av_body")
[ "$(ind mac_ok)" = 0 ] && [ "$(ind xres_ok)" = 0 ]
result $((! $?)) "and not under the set 1 keys" "$indep"

update $K2 $OPC2 1
[ "$code" = 200 ] && [ "$(jget switched)" = false ] &&
	[ "$(jget kcv-k)" = "$(kcv $K2)" ]
result $((! $?)) "the same update again (its answer lost): 200, switched false" "$code $body"
update $K1 $OPC1 1
expect_error "counter 1 with other keys: 409 stale-counter" 409 stale-counter
keys_are "after it: the set 2 keys still" $K2 $OPC2
update $K1 $OPC1 7
[ "$code" = 200 ] && [ "$(jget switched)" = true ]
result $((! $?)) "counter 7 back to the set 1 keys: 200" "$code $body"
update $K2 $OPC2 6
expect_error "then counter 6: 409 stale-counter" 409 stale-counter
keys_are "the set 1 keys" $K1 $OPC1

# --- configuration: an empty list, a reload -------------------------------------------

PROV_CLIENTS="[]"
write_config
kill -HUP "${pid[hss]}"
wait_log hss "event=reloaded\|event=reload" 1 || sleep 1
update $K2 $OPC2 8
expect_error "prov-clients empty after SIGHUP: 403 forbidden" 403 forbidden
grep -q 'error=forbidden.*detail="hss.prov-clients is empty"\|detail=hss.prov-clients' "$tmp/hss.log"
result $((! $?)) "logged: hss.prov-clients is empty"
PROV_CLIENTS="[prov.test]"
write_config
kill -HUP "${pid[hss]}"
wait_log hss "event=reload" 2 || sleep 1

# --- restart: keys and counter on disk -----------------------------------------------

stop hss
result $((stop_status == 0)) "SIGTERM: exit 0"
start hss
HSS=$(ready_value hss hss.zh)
update $K2 $OPC2 7
expect_error "after a restart, counter 7 again with other keys: 409" 409 stale-counter
keys_are "after a restart: the set 1 keys of counter 7" $K1 $OPC1
status_out=$("$E2MCTL" --socket "$tmp/run/hss.sock" status)
grep -q "keys-switched=0" <<< "$status_out" && grep -q "key-updates-refused=1" <<< "$status_out"
result $((! $?)) "status counts keys-switched 0, key-updates-refused 1 since the start" "$status_out"
stop hss

# --- the log -----------------------------------------------------------------------

grep -q "event=keys-updated imsi=$IMSI1 counter=1 switched=1 peer=prov.test" "$tmp/hss.log"
result $((! $?)) "logged: keys-updated imsi counter switched peer" "$(grep keys-updated "$tmp/hss.log")"
leaked=()
for s in "${secrets[@]}"; do
	[ -n "$s" ] && grep -qi -- "$s" "$tmp/hss.log" && leaked+=("$s")
done
result $(( ${#leaked[@]} == 0 )) "the log holds none of the keys and KCVs" "${leaked[@]}"

tap_done
