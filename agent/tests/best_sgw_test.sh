#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The SGW's side of BEST (Documentation/best.md), run for real: an HSS
# e2md (subscribers added with e2mctl, one with --e2m) and an SGW e2md on
# loopback, mutual TLS between them with certificates of a throwaway CA;
# tests/gba_peer.py hse as the HSE (it checks the SGW's certificate, pulls
# each key set from the HSS with its own and writes what it got); curl as
# the UE, with RES from gba_peer.py best-av and AUTS from e2mctl auts.
# Checked exactly: the challenge, the answer and the triplet (IMSI, RAND,
# KSI, TEIDs, addresses), the key set the HSE pulled against e2mctl
# e2m-keyset over e2mctl milenage's CK and IK, the KSI advancing per
# attach and kept by a resync, the inner address and HSE TEID kept on a
# re-attach; EPS and 5G by SIGHUP (5G: the SN id of a 3-digit MNC, RES*
# and the key set of K_HSE, a resync); every refusal (wrong RES or RES*,
# RES where RES* is due, a session answered twice, AUTS the
# HSS refuses, a subscriber without e2m, the HSE refusing or gone, the HSS
# gone, malformed bodies keeping nothing) and the logs free of every key
# and RES. `e2mctl attach` itself needs the kernel: its usage errors and
# the failures before the kernel are in cli_test.sh. Prints TAP.
#
#   tests/best_sgw_test.sh [E2MCTL [E2MD]]
#
# Needs root (the admin socket takes uid 0 only), openssl, curl, python3.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}
PEER=(python3 "$here/gba_peer.py")

need_root "the admin socket needs root"
need_tools openssl curl jq python3

make_tmp shm
. "$here/daemon_lib.sh"

# TS 35.208 test sets 1 and 2: the e2m subscriber and a plain one.
# (IMSI1, K1, OPC1 and IMSI2, K2, OPC2: selftests/lib/test-vectors.sh)
UE_ADDR=192.0.2.1
HSE_GTPU=192.0.2.10

pki_ca hss.test sgw.test hse.test
store_keys hss sgw

cat > "$tmp/hss.yaml" <<EOF
$(config_base hss hss.test)
roles:
  hss:
    listen: "127.0.0.1:0"
    clients: [bsf.test]
    sn-clients: [sgw.test]
    hse-clients: [hse.test]
    e2m:
      window: 600
EOF
if ! start hss; then
	echo "Bail out! the HSS did not start"
	sed 's/^/# /' "$tmp/hss.log"
	exit 1
fi
HSS=$(ready_value hss hss.zh)
ctl --socket "$tmp/run/hss.sock" subscriber add --imsi $IMSI1 \
	--impi user1@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1) --e2m
result $((status == 0)) "HSS on $HSS, subscriber 1 with the e2m flag" "$err"
ctl --socket "$tmp/run/hss.sock" subscriber add --imsi $IMSI2 \
	--impi user2@home1.net --keys <(printf '%s\n' k=$K2 opc=$OPC2)
result $((status == 0)) "subscriber 2 without it" "$err"

# The HSE stand-in, in mode ok until $tmp/hse.mode says refuse.
start_hse() {
	local i
	rm -f "$tmp/hse.port"
	"${PEER[@]}" hse --cert "$tmp/hse.test.crt" --key "$tmp/hse.test.key" \
		--ca "$tmp/ca.crt" --hss "$HSS" --client sgw.test \
		--out "$tmp/hse.out" --port-file "$tmp/hse.port" \
		--mode-file "$tmp/hse.mode" 2>> "$tmp/hse.log" &
	pid[hse]=$!
	for i in $(seq 200); do
		[ -s "$tmp/hse.port" ] && return 0
		sleep 0.05
	done
	return 1
}
touch "$tmp/hse.out"
if ! start_hse; then
	echo "Bail out! the HSE stand-in did not start"
	sed 's/^/# /' "$tmp/hse.log"
	exit 1
fi
HSE_PORT=$(cat "$tmp/hse.port")

write_sgw_config() {	# AKA [HSE PORT]
	cat > "$tmp/sgw.yaml" <<-EOF
	$(config_base sgw sgw.test)
	metrics:
	  listen: "127.0.0.1:0"
	roles:
	  sgw:
	    attach-listen: "127.0.0.1:0"
	    hss-url: "https://$HSS"
	    hse-url: "https://127.0.0.1:${2:-$HSE_PORT}"
	    aka: $1
	$( [ $1 = eps ] && echo '    sn-id: "00f110"' )
	$( [ $1 = 5g ] && echo '    sn-id: "130014"' )
	    hse-gtpu:
	      address: $HSE_GTPU
	    inner-ipv4-pool: 10.45.0.0/16
	EOF
}
write_sgw_config umts
if ! start sgw; then
	echo "Bail out! the SGW did not start"
	sed 's/^/# /' "$tmp/sgw.log"
	exit 1
fi
SGW=$(ready_value sgw sgw.attach)
result $([ -n "$SGW" ] && echo 1 || echo 0) "SGW on $SGW, HSE stand-in on $HSE_PORT"

# --- helpers ----------------------------------------------------------------------

CT=application/json
post() {	# PATH BODY: $code, $body; the answer's head in $tmp/headers
	code=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' --max-time 15 \
		-H "Content-Type: $CT" --data-binary "$2" "http://$SGW$1" \
		2> "$tmp/curl.err")
	body=$(cat "$tmp/body" 2> /dev/null)
	rm -f "$tmp/body"
}

# MEMBER: a member of $body as written (strings without their quotes);
# "" when absent. A member of a member is named a.b.
jget() {
	jq -r --arg path "$1" 'getpath($path | split(".")) |
		if . == null then "" elif type == "string" then . else tojson end' \
		<<< "$body" 2> /dev/null
}

# expect_error NAME STATUS TOKEN: $code and the error token of $body
expect_error() {
	if [ "$code" = "$2" ] && [ "$(jget error)" = "$3" ]; then
		result 1 "$1"
	else
		result 0 "$1" "got $code $body" "wanted $2 $3" "$(cat "$tmp/curl.err")"
	fi
}

attach() {	# IMSI [TEID]: the attach request; the challenge in $ch
	post /sgw/v1/attach '{"imsi":"'$1'","gtpu":{"address":"'$UE_ADDR'","port":2152,"teid":'${2:-4097}'}}'
	ch=$body
}

# The UE's view of the challenge in $ch: $ue (name=value lines, best-av).
usim() {	# K OPC
	ue=$("${PEER[@]}" best-av --k $1 --opc $2 <<< "$ch")
}
uev() { sed -n "s/^$1=//p" <<< "$ue"; }

complete() {	# RES [PCO IMSI [PCO RAND]]: the answer to the challenge in $ch
	local session rand
	session=$(body=$ch jget session) rand=$(body=$ch jget rand)
	post /sgw/v1/attach/complete '{"session":"'$session'","res":"'$1'","pco":{"imsi":"'${2:-$IMSI1}'","rand":"'${3:-$rand}'"}}'
}

# The status line and headers of the last answer, Date's value left out.
head_of() { tr -d '\r' < "$tmp/headers" | sed 's/^\(Date\): .*/\1: -/'; }
# Each member of $body: name, JSON type, and the form of its value.
shape_of() {
	jq -r 'to_entries[] | "\(.key) \(.value | type) \(.value | tostring |
		gsub("[0-9a-f]"; "x"))"' <<< "$body"
}
amf_of() { body=$1 jget autn | cut -c13-16; }	# CHALLENGE: its AUTN's AMF

triplets() { wc -l < "$tmp/hse.out"; }
last_triplet() { body=$(tail -n 1 "$tmp/hse.out"); }

status_counter() {	# NAME: a counter of the SGW in e2mctl status
	"$E2MCTL" --socket "$tmp/run/sgw.sock" status |
		sed -n "s/.* $1=\([0-9]*\).*/\1/p"
}

secrets=("$K1" "$OPC1" "$K2" "$OPC2")	# to look for in the logs

# The key set e2mctl derives for the run of challenge $ch: $keyset
expected_keyset() {	# K OPC
	local m ck ik
	m=$("$E2MCTL" milenage --k $1 --opc $2 --rand "$(body=$ch jget rand)" \
		--sqn "$(uev sqn)" --amf "$(uev amf)")
	ck=$(sed -n 's/^ck=//p' <<< "$m") ik=$(sed -n 's/^ik=//p' <<< "$m")
	keyset=$("$E2MCTL" e2m-keyset --ck $ck --ik $ik \
		--rand "$(body=$ch jget rand)" --alg 2)
	secrets+=("$ck" "$ik" "$(sed -n 's/^k_enc=//p' <<< "$keyset")"
		  "$(sed -n 's/^k_int=//p' <<< "$keyset")"
		  "$(sed -n 's/^k_e2m=//p' <<< "$keyset")")
}

# check_attach NAME KSI HSE-TEID-VAR UE-TEID: the answer in $body and the
# triplet the HSE got match the challenge $ch; HSE-TEID-VAR is set to the
# HSE TEID (or, when set, must equal it).
check_attach() {
	local name=$1 ksi=$2 var=$3 ue_teid=$4 hse_teid t
	hse_teid=$(jget hse.teid)
	local answer=$body
	if ! [ "$code" = 200 ] || ! [ "$(jget imsi)" = $IMSI1 ] ||
	   ! [ "$(jget ksi)" = $ksi ] || ! [ "$(jget hse.address)" = $HSE_GTPU ] ||
	   ! [ "$(jget hse.port)" = 2152 ] || ! [ "$(jget inner-ipv4)" = 10.45.0.2 ] ||
	   [ -z "$hse_teid" ] || [ "$hse_teid" = 0 ] ||
	   { [ -n "${!var}" ] && [ "${!var}" != "$hse_teid" ]; }; then
		result 0 "$name: the answer" "got $code $body" "ksi $ksi, hse teid ${!var}"
		return
	fi
	printf -v "$var" %s "$hse_teid"
	expected_keyset $K1 $OPC1
	last_triplet
	t=$body
	if [ "$(jget path)" = /e2m/v1/triplet ] &&
	   [ "$(jget triplet.imsi)" = $IMSI1 ] &&
	   [ "$(jget triplet.rand)" = "$(body=$ch jget rand)" ] &&
	   [ -z "$(jget triplet.sqn)" ] &&
	   [ "$(jget triplet.ksi)" = $ksi ] &&
	   [ "$(jget triplet.teid.hse)" = $hse_teid ] &&
	   [ "$(jget triplet.teid.ue)" = $ue_teid ] &&
	   [ "$(jget triplet.ue.address)" = $UE_ADDR ] &&
	   [ "$(jget triplet.ue.port)" = 2152 ] &&
	   [ "$(jget triplet.ue.inner-ipv4)" = 10.45.0.2 ] &&
	   [ "$(jget keyset-status)" = 200 ] &&
	   [ "$(jget keyset.sqn)" = "$(uev sqn)" ] &&
	   grep -qx "k_enc=$(jget keyset.k-enc)" <<< "$keyset" &&
	   grep -qx "k_int=$(jget keyset.k-int)" <<< "$keyset"; then
		result 1 "$name"
	else
		result 0 "$name: the triplet or key set" "answer $answer" "triplet $t" "$keyset"
	fi
}

# --- attach, UMTS ------------------------------------------------------------------

attach $IMSI1
usim $K1 $OPC1
[ "$code" = 200 ] && [ "$(jget ksi)" = 0 ] && [ "$(jget aka)" = umts ] &&
	[ -z "$(jget sn-id)" ] && [[ "$(jget session)" =~ ^[0-9a-f]{32}$ ]] &&
	[ "$(uev mac_ok)" = 1 ] && [ "$(uev amf)" = 4000 ]
result $((! $?)) "attach: 200, a 32-hex session, KSI 0, umts, AUTN verifies with the e2m bit" "$code $body" "$ue"
secrets+=("$(uev res)")
n_before=$(triplets)
complete "$(uev res)"
hse1=
check_attach "complete with RES: 200 {imsi, ksi 0, hse, inner-ipv4 10.45.0.2}; the triplet and the key set the HSE pulled are e2mctl's" 0 hse1 4097
result $(( $(triplets) == n_before + 1 )) "one triplet"
complete "$(uev res)"
expect_error "the same session answered again: 404 unknown-session" 404 unknown-session
result $(( $(triplets) == n_before + 1 )) "and no triplet"

attach $IMSI1
usim $K1 $OPC1
result $(( code == 200 && $(jget ksi) == 1 )) "re-attach: KSI 1" "$code $body"
secrets+=("$(uev res)")
complete "$(uev res)"
check_attach "its completion (the Update): KSI 1, the same inner address and HSE TEID" 1 hse1 4097

# --- wrong RES -----------------------------------------------------------------------

n_before=$(triplets)
attach $IMSI1
usim $K1 $OPC1
secrets+=("$(uev res)")
res=$(uev res)
bad_res=${res:0:15}$(printf '%x' $(( (0x${res:15:1} + 1) % 16 )))
complete $bad_res
expect_error "a wrong RES: 403 authentication-failed" 403 authentication-failed
complete "$res"
expect_error "the right RES after it: 404 unknown-session (the session is spent)" 404 unknown-session
result $(( $(triplets) == n_before )) "no triplet"

# --- resynchronisation ----------------------------------------------------------------

attach $IMSI1
result $(( code == 200 && $(jget ksi) == 3 )) "attach: KSI 3" "$code $body"
auts=$("$E2MCTL" auts --k $K1 --opc $OPC1 --rand "$(jget rand)" --sqn-ms 000000000c80 |
	sed -n 's/^auts=//p')
old_session=$(jget session) old_rand=$(jget rand)
post /sgw/v1/attach/complete '{"session":"'$old_session'","auts":"'$auts'"}'
ch=$body
usim $K1 $OPC1
secrets+=("$(uev res)")
[ "$code" = 401 ] && [ "$(jget ksi)" = 3 ] && [ "$(jget session)" != "$old_session" ] &&
	[ "$(jget rand)" != "$old_rand" ] && [ "$(uev mac_ok)" = 1 ] &&
	[ $((0x$(uev sqn) >> 5)) = 101 ]
result $((! $?)) "AUTS (SQN_MS SEQ 100): 401, a fresh challenge, the same KSI 3, SEQ 101" "$code $body" "$ue"
complete "$(uev res)"
check_attach "its completion: 200, KSI 3" 3 hse1 4097
post /sgw/v1/attach/complete '{"session":"'$old_session'","auts":"'$auts'"}'
expect_error "the first session again: 404 unknown-session" 404 unknown-session
attach $IMSI1
bad_auts=${auts:0:27}$(printf '%x' $(( (0x${auts:27:1} + 1) % 16 )))
post /sgw/v1/attach/complete '{"session":"'$(jget session)'","auts":"'$bad_auts'"}'
expect_error "AUTS with a bad MAC-S: 403 resync-failed (the HSS refused it)" 403 resync-failed
real_resync="$code $body" real_resync_head=$(head_of)

# --- an unknown IMSI: answered as a known one ------------------------------------------

# No user enumeration (sgw_attach.h): an IMSI the HSS does not know gets,
# after the same round trip, a decoy challenge: the same status, headers
# in the same order and body shape as a known IMSI's, a KSI that moves per
# attach, and every answer to it refused as a known IMSI's wrong one is.
NOBODY=001010000000099
scrape_sgw() {	# SERIES: its value in the SGW's metrics, or "absent"
	curl -sS --max-time 10 -o "$tmp/sgw.prom" \
		"http://$(ready_value sgw metrics)/metrics"
	awk -v s="$1" '$1 == s { print $2; found = 1 } END { if (!found) print "absent" }' \
		"$tmp/sgw.prom"
}
UNKNOWN_SERIES='e2m_http_refusals_total{role="sgw",interface="attach",reason="unknown-subscriber"}'
decoy_checks() {
	local real real_head real_shape decoy decoy_head k0 k1 k2 res
	local real_wrong real_wrong_head real_replay decoy_ch auts n_before
	n_before=$(triplets)
	attach $IMSI1
	real=$body real_head=$(head_of) real_shape=$(shape_of)
	attach $NOBODY
	decoy=$body decoy_head=$(head_of) k0=$(jget ksi)
	[ "$code" = 200 ] && [ "$decoy_head" = "$real_head" ]
	result $((! $?)) "an unknown IMSI: 200, the status line and headers (names, order, values but Date) a known IMSI's" \
		"$real_head" "$decoy_head"
	[ "$(shape_of)" = "$real_shape" ] &&
		[ "$(shape_of)" = "$(printf '%s\n' "session string $(printf 'x%.0s' {1..32})" \
			"rand string $(printf 'x%.0s' {1..32})" \
			"autn string $(printf 'x%.0s' {1..32})" "ksi number x" "aka string umts")" ]
	result $((! $?)) "its body, member by member: session, rand, autn (32 hex), ksi, aka umts, as a known IMSI's" \
		"$real" "$decoy"
	[ "$(amf_of "$decoy")" = "$(amf_of "$real")" ] && [ "$(amf_of "$real")" = 4000 ] &&
		[ "$(jget session)" != "$(body=$real jget session)" ] &&
		[ "$(jget rand)" != "$(body=$real jget rand)" ]
	result $((! $?)) "its AUTN carries a real one's AMF (4000), its session and RAND its own" \
		"$real" "$decoy"
	grep -q "level=warning role=sgw event=refused status=200 error=unknown-subscriber imsi=$NOBODY detail=\"the HSS has no such IMSI\" answer=decoy ksi=$k0 remote=127.0.0.1:" "$tmp/sgw.log" &&
		! grep -q "event=challenge imsi=$NOBODY" "$tmp/sgw.log"
	result $((! $?)) "the operator sees the truth: event=refused error=unknown-subscriber answer=decoy, no event=challenge" \
		"$(grep "imsi=$NOBODY" "$tmp/sgw.log")"

	# A wrong RES of the known IMSI, then the same RES to the decoy.
	ch=$real
	usim $K1 $OPC1
	secrets+=("$(uev res)")
	res=$(uev res)
	res=${res:0:15}$(printf '%x' $(( (0x${res:15:1} + 1) % 16 )))
	complete $res
	real_wrong="$code $body" real_wrong_head=$(head_of)
	complete "$(uev res)"
	real_replay="$code $body"
	ch=$decoy
	complete $res $NOBODY
	[ "$code $body" = "$real_wrong" ] && [ "$(head_of)" = "$real_wrong_head" ] &&
		[ "$real_wrong" = '403 {"error":"authentication-failed","detail":"RES does not verify"}' ]
	result $((! $?)) "a RES to the decoy: refused exactly as a known IMSI's wrong RES (status, headers, body)" \
		"$real_wrong" "$code $body"
	complete $res $NOBODY
	[ "$code $body" = "$real_replay" ] &&
		[ "$real_replay" = '404 {"error":"unknown-session","detail":"the session was answered already"}' ]
	result $((! $?)) "answered again: 404 unknown-session, as a known IMSI's session" \
		"$real_replay" "$code $body"
	grep -q "level=warning role=sgw event=refused status=403 error=authentication-failed imsi=$NOBODY detail=\"RES does not verify\" answer=decoy remote=" "$tmp/sgw.log"
	result $((! $?)) "the refused RES is logged as a decoy's"

	# The KSI moves on per attach as a known IMSI's does.
	attach $NOBODY
	k1=$(jget ksi)
	auts=$(printf '%028x' 0)
	post /sgw/v1/attach/complete '{"session":"'$(jget session)'","auts":"'$auts'"}'
	[ "$code $body" = "$real_resync" ] && [ "$(head_of)" = "$real_resync_head" ] &&
		[ "$real_resync" = '403 {"error":"resync-failed","detail":"AUTS does not verify"}' ]
	result $((! $?)) "AUTS to the decoy: 403 resync-failed, exactly as a known IMSI's bad AUTS" \
		"$real_resync" "$code $body"
	grep -q "level=warning role=sgw event=refused status=403 error=resync-failed imsi=$NOBODY detail=\"AUTS does not verify\" answer=decoy remote=" "$tmp/sgw.log"
	result $((! $?)) "the refused AUTS is logged as a decoy's"
	attach $NOBODY
	k2=$(jget ksi)
	result $(( k0 <= 6 && k1 == (k0 + 1) % 7 && k2 == (k0 + 2) % 7 )) \
		"the decoy's KSI moves per attach: $k0, $k1, $k2 (+1 mod 7)"
	complete 0011223344556677 $NOBODY
	expect_error "that decoy answered: 403 authentication-failed" 403 authentication-failed
	result $(( $(scrape_sgw "$UNKNOWN_SERIES") == 3 )) \
		"metrics: the 3 decoys counted as unknown-subscriber" "$(grep sgw "$tmp/sgw.prom" | grep refusals)"
	result $(( $(triplets) == n_before && $(status_counter sessions-pending) == 0 )) \
		"no triplet, no real session pending, no entry for the unknown IMSI"
}

# --- not e2m, unknown subscriber, PCO -------------------------------------------------

n_before=$(triplets)
attach $IMSI2
usim $K2 $OPC2
secrets+=("$(uev res)")
result $(( code == 200 && $(jget ksi) == 0 )) "attach of the subscriber without e2m: a challenge, KSI 0" "$code $body"
res=$(uev res)
complete ${res:0:15}$(printf '%x' $(( (0x${res:15:1} + 1) % 16 ))) $IMSI2
expect_error "a wrong RES of it: 403 authentication-failed (RES is checked first)" 403 authentication-failed
attach $IMSI2
usim $K2 $OPC2
secrets+=("$(uev res)")
complete "$(uev res)" $IMSI2
expect_error "the right RES: 403 not-e2m" 403 not-e2m
decoy_checks
attach $IMSI1
usim $K1 $OPC1
secrets+=("$(uev res)")
complete "$(uev res)" $IMSI2
expect_error "a PCO naming another IMSI: 400 bad-request" 400 bad-request
attach $IMSI1
usim $K1 $OPC1
secrets+=("$(uev res)")
complete "$(uev res)" $IMSI1 00112233445566778899aabbccddeeff
expect_error "a PCO naming another RAND: 400 bad-request" 400 bad-request
result $(( $(triplets) == n_before )) "no triplet for any of them"

# --- malformed bodies ----------------------------------------------------------------

pending_before=$(status_counter sessions-pending)
n_before=$(triplets)
bad=(
	'{"gtpu":{"address":"'$UE_ADDR'","port":2152,"teid":1}}'
	'{"imsi":"'$IMSI1'"}'
	'{"imsi":"'$IMSI1'","gtpu":{"address":"'$UE_ADDR'","port":2152,"teid":0}}'
	'{"imsi":"'$IMSI1'","gtpu":{"address":"'$UE_ADDR'","port":0,"teid":1}}'
	'{"imsi":"'$IMSI1'","gtpu":{"address":"192.0.2","port":2152,"teid":1}}'
	'{"imsi":"'$IMSI1'","gtpu":{"address":"'$UE_ADDR'","port":2152,"teid":4294967296}}'
	'{"imsi":"user1@home1.net","gtpu":{"address":"'$UE_ADDR'","port":2152,"teid":1}}'
	'{"imsi":"'$IMSI1'","imsi":"'$IMSI1'","gtpu":{"address":"'$UE_ADDR'","port":2152,"teid":1}}'
	'{"imsi":"'$IMSI1'"'
	'[]'
)
for b in "${bad[@]}"; do
	post /sgw/v1/attach "$b"
	expect_error "attach $b: 400 bad-request" 400 bad-request
done
session=00112233445566778899aabbccddeeff
bad=(
	'{"res":"0011223344556677","pco":{"imsi":"'$IMSI1'","rand":"'$session'"}}'
	'{"session":"'$session'","pco":{"imsi":"'$IMSI1'","rand":"'$session'"}}'
	'{"session":"'$session'","res":"0011223344556677"}'
	'{"session":"'$session'","res":"00112233","pco":{"imsi":"'$IMSI1'","rand":"'$session'"}}'
	'{"session":"'$session'","auts":"0011"}'
	'{"session":"0011","res":"0011223344556677","pco":{"imsi":"'$IMSI1'","rand":"'$session'"}}'
	'not json'
)
for b in "${bad[@]}"; do
	post /sgw/v1/attach/complete "$b"
	expect_error "complete $b: 400 bad-request" 400 bad-request
done
post /sgw/v1/attach/complete '{"session":"'$session'","res":"0011223344556677","pco":{"imsi":"'$IMSI1'","rand":"'$session'"}}'
expect_error "a session never issued: 404 unknown-session" 404 unknown-session
CT=text/plain
post /sgw/v1/attach '{"imsi":"'$IMSI1'","gtpu":{"address":"'$UE_ADDR'","port":2152,"teid":1}}'
CT=application/json
expect_error "attach as text/plain: 415" 415 unsupported-media-type
result $(( $(status_counter sessions-pending) == pending_before && $(triplets) == n_before )) \
	"the refused bodies kept nothing: $pending_before sessions pending, no triplet"

# --- the HSE refusing, then gone -----------------------------------------------------

echo refuse > "$tmp/hse.mode"
attach $IMSI1
usim $K1 $OPC1
secrets+=("$(uev res)")
ksi_refused=$(jget ksi)
complete "$(uev res)"
expect_error "the HSE refusing: 502 hse-refused" 502 hse-refused
result $([ "$(jget detail)" = "409 teid-in-use: the stand-in refuses" ] && echo 1 || echo 0) \
	"its detail is the HSE's status, error and detail" "$body"
rm -f "$tmp/hse.mode"
kill -TERM "${pid[hse]}"
wait "${pid[hse]}" 2> /dev/null
pid[hse]=
attach $IMSI1
usim $K1 $OPC1
secrets+=("$(uev res)")
complete "$(uev res)"
expect_error "the HSE gone: 503 hse-unavailable" 503 hse-unavailable

# --- back: the context was kept through the failures ---------------------------------

start_hse
write_sgw_config umts "$(cat "$tmp/hse.port")"
kill -HUP "${pid[sgw]}"
wait_log sgw "event=reloaded" 1
attach $IMSI1
usim $K1 $OPC1
secrets+=("$(uev res)")
ksi=$(( (ksi_refused + 2) % 7 ))
complete "$(uev res)"
check_attach "the HSE back (new URL by SIGHUP): 200, KSI $ksi, the same HSE TEID" $ksi hse1 4097

attach $IMSI1 8193
usim $K1 $OPC1
secrets+=("$(uev res)")
ksi=$(( (ksi + 1) % 7 ))
complete "$(uev res)"
hse2=
check_attach "a re-attach from another UE TEID: a new context, KSI $ksi" $ksi hse2 8193
result $([ "$hse2" != "$hse1" ] && echo 1 || echo 0) "with another HSE TEID ($hse1, $hse2)"

# --- EPS, by SIGHUP ---------------------------------------------------------------------

write_sgw_config eps "$(cat "$tmp/hse.port")"
kill -HUP "${pid[sgw]}"
wait_log sgw "event=reloaded" 2
attach $IMSI1 8193
ue=$("${PEER[@]}" best-av --k $K1 --opc $OPC1 --sn-id 00f110 <<< "$ch")
secrets+=("$(uev res)" "$(uev kasme)" "$(uev k_enc)" "$(uev k_int)")
[ "$code" = 200 ] && [ "$(jget aka)" = eps ] && [ "$(jget sn-id)" = 00f110 ] &&
	[ "$(uev amf)" = c000 ]
result $((! $?)) "aka eps: the challenge names eps and the SN id, AMF c000" "$code $body" "$ue"
complete "$(uev res)"
k_enc=$(uev k_enc) k_int=$(uev k_int)
last_triplet
[ "$(jget keyset.k-enc)" = "$k_enc" ] && [ "$(jget keyset.k-int)" = "$k_int" ] &&
	[ "$(jget triplet.rand)" = "$(body=$ch jget rand)" ]
result $((! $?)) "its completion: the HSE pulled the key set of KASME (gba_peer.py)" "$body"

# --- 5G, by SIGHUP ----------------------------------------------------------------------

# PLMN id 13 00 14 is MCC 310, MNC 410 (TS 24.008 BCD): the serving network
# name both ends must make of it is written here, not computed.
SNN=5G:mnc410.mcc310.3gppnetwork.org
usim_5g() { ue=$("${PEER[@]}" best-av --k $K1 --opc $OPC1 --snn $SNN <<< "$ch"); }
write_sgw_config 5g "$(cat "$tmp/hse.port")"
kill -HUP "${pid[sgw]}"
wait_log sgw "event=reloaded" 3
attach $IMSI1 8193
usim_5g
secrets+=("$(uev res)" "$(uev res_star)" "$(uev kausf)" "$(uev k_hse)" "$(uev k_enc)" "$(uev k_int)")
[ "$code" = 200 ] && [ "$(jget aka)" = 5g ] && [ "$(jget sn-id)" = 130014 ] &&
	[ "$(uev amf)" = c000 ] && [ "$(uev mac_ok)" = 1 ]
result $((! $?)) "aka 5g: the challenge names 5g and the SN id, AMF c000" "$code $body" "$ue"
n_before=$(triplets)
res_star=$(uev res_star)
complete ${res_star:0:31}$(printf '%x' $(( (0x${res_star:31:1} + 1) % 16 )))
expect_error "a wrong RES*: 403 authentication-failed" 403 authentication-failed
attach $IMSI1 8193
usim_5g
secrets+=("$(uev res)" "$(uev res_star)" "$(uev kausf)" "$(uev k_hse)" "$(uev k_enc)" "$(uev k_int)")
complete "$(uev res)"
expect_error "RES (8 octets) where RES* is due: 403 authentication-failed" 403 authentication-failed
result $(( $(triplets) == n_before )) "neither made a triplet"
attach $IMSI1 8193
usim_5g
secrets+=("$(uev res)" "$(uev res_star)" "$(uev kausf)" "$(uev k_hse)" "$(uev k_enc)" "$(uev k_int)")
complete "$(uev res_star)"
k_enc=$(uev k_enc) k_int=$(uev k_int)
answer_code=$code
last_triplet
[ "$answer_code" = 200 ] && [ "$(jget keyset.k-enc)" = "$k_enc" ] &&
	[ "$(jget keyset.k-int)" = "$k_int" ] &&
	[ "$(jget triplet.rand)" = "$(body=$ch jget rand)" ]
result $((! $?)) "complete with RES*: 200, the HSE pulled the key set of K_HSE (gba_peer.py)" "$answer_code" "$body"
attach $IMSI1 8193
auts=$("$E2MCTL" auts --k $K1 --opc $OPC1 --rand "$(jget rand)" --sqn-ms 000000001900 |
	sed -n 's/^auts=//p')
post /sgw/v1/attach/complete '{"session":"'$(jget session)'","auts":"'$auts'"}'
ch=$body
usim_5g
secrets+=("$(uev res)" "$(uev res_star)" "$(uev kausf)" "$(uev k_hse)" "$(uev k_enc)" "$(uev k_int)")
[ "$code" = 401 ] && [ "$(jget aka)" = 5g ] && [ "$(uev mac_ok)" = 1 ] &&
	[ $((0x$(uev sqn) >> 5)) = 201 ]
result $((! $?)) "5G resync (SQN_MS SEQ 200): 401, a fresh 5G challenge, SEQ 201" "$code $body" "$ue"
complete "$(uev res_star)"
k_enc=$(uev k_enc)
answer_code=$code
last_triplet
[ "$answer_code" = 200 ] && [ "$(jget keyset.k-enc)" = "$k_enc" ]
result $((! $?)) "its completion with RES*: 200, its key set" "$answer_code" "$body"

# --- status, the HSS gone, logs --------------------------------------------------------

ctl --socket "$tmp/run/sgw.sock" status
grep -q "^role=sgw attach=$SGW .*attached=8 rekeys=6 resyncs=3 .*hss-failures=0 hse-failures=2 sessions-pending=0 ues=2 ues-attached=1 address-retries=0" <<< "$out"
result $((! $?)) "e2mctl status: the SGW's counters (no entry for the unknown IMSI)" "$out"
grep -q "level=info role=sgw event=attached imsi=$IMSI1 ksi=0 hse-teid=$hse1 ue-teid=4097 inner-ipv4=10.45.0.2 rekey=0 remote=127.0.0.1" "$tmp/sgw.log" &&
	grep -q "level=warning role=sgw event=refused status=403 error=authentication-failed imsi=$IMSI1" "$tmp/sgw.log"
result $((! $?)) "attaches and refusals logged" "$(grep -e attached -e refused "$tmp/sgw.log" | head -4)"

# --- a restart: the UEs come back from the store --------------------------------------

# A third subscriber, with e2m (test set 2's K and OPc again), so that the
# first attach after the restart of an IMSI other than IMSI1 gets as far as
# an inner address.
IMSI3=001010000000003
ctl --socket "$tmp/run/hss.sock" subscriber add --imsi $IMSI3 \
	--impi user3@home1.net --keys <(printf '%s\n' k=$K2 opc=$OPC2) --e2m
result $((status == 0)) "subscriber 3, with the e2m flag" "$err"

attach $IMSI1 8193
usim_5g
secrets+=("$(uev res)" "$(uev res_star)" "$(uev kausf)" "$(uev k_hse)" "$(uev k_enc)" "$(uev k_int)")
ksi_before=$(jget ksi)
complete "$(uev res_star)"
inner_before=$(jget inner-ipv4) teid_before=$(jget hse.teid)
result $(( code == 200 )) "before the restart: IMSI1 attached, KSI $ksi_before, $inner_before, HSE TEID $teid_before" "$code $body"

stop sgw
result $((stop_status == 0)) "the SGW stopped (SIGTERM, exit 0)"
write_sgw_config umts "$(cat "$tmp/hse.port")"
if ! start sgw; then
	echo "Bail out! the SGW did not start again"
	sed 's/^/# /' "$tmp/sgw.log"
	exit 1
fi
SGW=$(ready_value sgw sgw.attach)
grep -q "level=info role=sgw event=restored ues=2 attached=1 addresses-dropped=0" "$tmp/sgw.log"
result $((! $?)) "started again: the 2 UEs restored from the store, 1 attached" "$(grep event=restored "$tmp/sgw.log")"

# attach_umts IMSI UE-TEID K OPC: a whole UMTS attach; the challenge's KSI
# in $challenge_ksi, the answer in $code and $body.
attach_umts() {
	attach $1 $2
	usim $3 $4
	secrets+=("$(uev res)")
	challenge_ksi=$(jget ksi)
	complete "$(uev res)" $1
}

n_before=$(triplets)
ksi=$(( (ksi_before + 1) % 7 ))
attach_umts $IMSI1 8193 $K1 $OPC1
answer=$body
last_triplet
[ "$challenge_ksi" = $ksi ] && [ "$code" = 200 ] &&
	[ "$(body=$answer jget ksi)" = $ksi ] &&
	[ "$(body=$answer jget inner-ipv4)" = "$inner_before" ] &&
	[ "$(body=$answer jget hse.teid)" = "$teid_before" ] &&
	[ "$(jget triplet.teid.hse)" = "$teid_before" ] &&
	[ "$(jget triplet.ksi)" = $ksi ] &&
	[ "$(jget triplet.ue.inner-ipv4)" = "$inner_before" ] &&
	[ $(triplets) = $((n_before + 1)) ]
result $((! $?)) "IMSI1 re-attaches after the restart: KSI $ksi_before + 1 mod 7 = $ksi, the same $inner_before and HSE TEID $teid_before (the Update)" \
	"challenge ksi $challenge_ksi" "$code $answer" "$body"

attach_umts $IMSI3 4097 $K2 $OPC2
[ "$challenge_ksi" = 0 ] && [ "$code" = 200 ] && [ "$(jget ksi)" = 0 ] &&
	[ "$(jget inner-ipv4)" = 10.45.0.3 ] &&
	[ "$(jget hse.teid)" != "$teid_before" ]
result $((! $?)) "the first attach of IMSI3 after the restart: KSI 0, 10.45.0.3 (not IMSI1's $inner_before), another HSE TEID" \
	"challenge ksi $challenge_ksi" "$code $body"

# The pool changed across a restart: IMSI1's address is not the pool's
# any more, so it loses it with its context, and keeps its KSI sequence.
stop sgw
write_sgw_config umts "$(cat "$tmp/hse.port")"
sed -i 's|inner-ipv4-pool: 10.45.0.0/16|inner-ipv4-pool: 10.46.0.0/16|' "$tmp/sgw.yaml"
if ! start sgw; then
	echo "Bail out! the SGW did not start with another pool"
	sed 's/^/# /' "$tmp/sgw.log"
	exit 1
fi
SGW=$(ready_value sgw sgw.attach)
grep -q "level=warning role=sgw event=address-dropped imsi=$IMSI1 inner-ipv4=$inner_before" "$tmp/sgw.log" &&
	grep -q "level=info role=sgw event=restored ues=3 attached=0 addresses-dropped=2" "$tmp/sgw.log"
result $((! $?)) "another pool: both addresses dropped and logged, no context left" "$(grep -e event=restored -e event=address-dropped "$tmp/sgw.log")"
# One instance's store (SQLite): the record follows the pool it was
# first given, then the new one.
[ "$(grep -c -e event=pool-recorded -e event=pool-changed "$tmp/sgw.log")" = 2 ] &&
	grep -q "level=info role=sgw event=pool-recorded pool=10.45.0.0/16" "$tmp/sgw.log" &&
	grep -q "level=info role=sgw event=pool-changed pool=10.46.0.0/16 before=10.45.0.0/16" "$tmp/sgw.log"
result $((! $?)) "the pool's record in the store: 10.45.0.0/16 at the first start, changed to 10.46.0.0/16 (not shared: the operator's change)" "$(grep -e event=pool- "$tmp/sgw.log")"
ksi=$(( (ksi + 1) % 7 ))
attach_umts $IMSI1 8193 $K1 $OPC1
[ "$challenge_ksi" = $ksi ] && [ "$code" = 200 ] &&
	[ "$(jget inner-ipv4)" = 10.46.0.2 ] &&
	[ "$(jget hse.teid)" != "$teid_before" ]
result $((! $?)) "IMSI1 then: KSI $ksi (the sequence goes on), 10.46.0.2 of the new pool, a new HSE TEID" \
	"challenge ksi $challenge_ksi" "$code $body"

stop hss
attach $IMSI1
expect_error "the HSS gone: 503 hss-unavailable" 503 hss-unavailable
stop sgw
result $((stop_status == 0)) "SIGTERM: exit 0"
kill -TERM "${pid[hse]}"
wait "${pid[hse]}" 2> /dev/null
pid[hse]=

leaked=()
for s in "${secrets[@]}"; do
	[ -n "$s" ] && grep -qi -- "$s" "$tmp/sgw.log" "$tmp/hss.log" && leaked+=("$s")
done
result $(( ${#leaked[@]} == 0 )) "the logs hold none of the ${#secrets[@]} keys, RES, K and OPc" "${leaked[@]}"

tap_done
