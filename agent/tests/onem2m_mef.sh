# SPDX-License-Identifier: GPL-2.0
#
# The MEF and the Enrolee of tests/onem2m_test.sh (sourced from it, after
# the known-answer part): see there.

if [ "$(id -u)" != 0 ]; then
	tap_skip "the MEF" "the admin socket needs root"
	return 0
fi

. "$here/daemon_lib.sh"
store_keys mef enrolee

MEF_LISTEN=127.0.0.1:0
cat > "$tmp/mef.yaml" <<-EOF2
log: { level: info }
$(config_base mef)
roles:
  mef: { name: mef.test, listen: "$MEF_LISTEN", key-lifetime: 600, dtls-listen: "$MEF_LISTEN" }
EOF2
if ! start mef; then
	echo "Bail out! mef did not start"
	sed 's/^/# /' "$tmp/mef.log"
	exit 1
fi
MEF=$(ready_value mef mef.enrolees)
DTLS=$(ready_value mef mef.dtls)
result 1 "the MEF listens on $MEF (TLS) and $DTLS (DTLS, UDP)"

mefctl() { ctl --socket "$tmp/run/mef.sock" onem2m "$@"; }
eectl() { ctl onem2m "$@" --store "$tmp/enrolee.db" --store-key-file "$tmp/enrolee.key"; }
field() { sed -n "s/^$1=//p" <<< "$out"; }
hex32() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
kes_stored() {	# SOCKET-OR-STORE: how many Kes the MEF (mef) or Enrolee holds
	if [ "$1" = mef ]; then
		"$E2MCTL" --socket "$tmp/run/mef.sock" onem2m ke-list | grep -c .
	else
		"$E2MCTL" onem2m ke-list --store "$tmp/enrolee.db" \
			--store-key-file "$tmp/enrolee.key" | grep -c .
	fi
}

KPM1=$(hex32) KPM2=$(hex32) WRONG=$(hex32)

# --- provisioning, both sides ----------------------------------------------

mefctl kpm-add --kpm-id kpm-1 --keys <(echo kpm=$KPM1) --enrolee-id CAE-1 --maf-id maf-1
[ $status = 0 ] && [ -z "$out$err" ]
result $((! $?)) "MEF kpm-add kpm-1: Enrolee-ID CAE-1, MAF-ID maf-1" "$err"
mefctl kpm-add --kpm-id kpm-2 --keys <(echo kpm=$KPM2) --enrolee-id CAE-2 --enrolee-b-id node-b
result $((status == 0)) "MEF kpm-add kpm-2: Enrolee-ID CAE-2, Enrolee-B-ID node-b" "$err"
mefctl kpm-add --kpm-id kpm-1 --keys <(echo kpm=$KPM2) --enrolee-id CAE-1 --maf-id maf-1
[ $status = 1 ] && [ "$err" = "e2mctl: onem2m kpm-add: KpmId kpm-1 has a Kpm already" ]
result $((! $?)) "MEF kpm-add: a second Kpm for a KpmId is refused" "$err"
mefctl kpm-add --kpm-id kpm-3 --kpm $KPM2 --enrolee-id CAE-1 --maf-id maf-1
[ $status = 2 ] && [ -z "$out" ] && grep -q "^e2mctl: onem2m kpm-add: --kpm on the command line is refused" <<< "$err"
result $((! $?)) "kpm-add: a Kpm on the command line is refused" "$err"
mefctl kpm-add --kpm-id kpm-3 --keys <(echo kpm=$KPM2) --enrolee-id CAE-1 --maf-id m --enrolee-b-id b
[ $status = 2 ] && [ "$err" = "e2mctl: onem2m kpm-add: one of --maf-id and --enrolee-b-id is needed" ]
result $((! $?)) "kpm-add: both a MAF-ID and an Enrolee-B-ID is bad usage" "$err"
mefctl kpm-add --kpm-id kpm-3 --keys <(echo kpm=0011) --enrolee-id CAE-1 --maf-id m
[ $status = 2 ] && [ "$err" = "e2mctl: onem2m kpm-add: --keys: kpm: must be 32 octets (64 hex digits), not 2" ]
result $((! $?)) "kpm-add: a Kpm of 2 octets is bad usage" "$err"
mefctl kpm-add --kpm-id "kpm 3" --keys <(echo kpm=$KPM2) --enrolee-id CAE-1 --maf-id m
[ $status = 2 ] && [ "$err" = "e2mctl: onem2m kpm-add: --kpm-id: must be 1 to 255 printable ASCII characters without space" ]
result $((! $?)) "kpm-add: a KpmId with a space is bad usage" "$err"
mefctl kpm-list
[ $status = 0 ] && [ "$(sed 's/ added=[0-9TZ:-]*$//' <<< "$out")" = "$(lines \
	"kpm_id=kpm-1 enrolee_id=CAE-1 maf_id=maf-1" \
	"kpm_id=kpm-2 enrolee_id=CAE-2 enrolee_b_id=node-b")" ] &&
	! grep -q "$KPM1\|$KPM2" <<< "$out"
result $((! $?)) "MEF kpm-list: both, with their configuration, no Kpm" "$out"

eectl kpm-add --kpm-id kpm-1 --keys <(echo kpm=$KPM1) --enrolee-id CAE-1 --maf-id maf-1
result $((status == 0)) "Enrolee kpm-add kpm-1 in its own store" "$err"
eectl kpm-list
[ "$(sed 's/ added=[0-9TZ:-]*$//' <<< "$out")" = "kpm_id=kpm-1 enrolee_id=CAE-1 maf_id=maf-1" ]
result $((! $?)) "Enrolee kpm-list: its Kpm's configuration, no Kpm" "$out"

# --- the Enrolee enrols ----------------------------------------------------

eectl enrol --mef-uri "https://$MEF" --mef mef.test --kpm-id kpm-1 --show-key
KE=$(field ke) KEID=$(field ke_id)
[ $status = 0 ] && [ ${#KE} = 64 ] &&
	[ "$(sed 's/^ke=.*//; s/^expires=.*//' <<< "$out" | grep .)" = "$(lines \
	"ke_id=$KEID" kpm_id=kpm-1 enrolee_id=CAE-1 maf_id=maf-1 mef=mef.test \
	lifetime=600 tls=TLSv1.2 cipher=PSK-AES128-CCM8)" ]
result $((! $?)) "enrol: TLS 1.2 PSK-AES128-CCM8 (0xC0A8), KeId $KEID, lifetime 600" "$out" "$err"
ctl onem2m-ids --ke "$KE" --mef mef.test --maf-id maf-1 --enrolee-id CAE-1 --target maf.test
[ "$(field ke_id)" = "$KEID" ]
result $((! $?)) "onem2m-ids of the Enrolee's Ke gives its KeId" "$out"
mefctl ke-list
[ $status = 0 ] && grep -q "^ke_id=$KEID kpm_id=kpm-1 enrolee_id=CAE-1 maf_id=maf-1 issued=[0-9TZ:-]* expires=[0-9TZ:-]*\$" <<< "$out" &&
	! grep -q "$KE" <<< "$out"
result $((! $?)) "the MEF stored the same KeId, no Ke shown" "$out"
eectl ke-list
grep -q "^ke_id=$KEID kpm_id=kpm-1 enrolee_id=CAE-1 maf_id=maf-1 " <<< "$out"
result $((! $?)) "the Enrolee stored it in its own store" "$out"
grep -q "level=info role=mef event=ke-issued kpm-id=kpm-1 ke-id=\"$KEID\" enrolee-id=CAE-1 maf=maf-1 lifetime=600 " "$tmp/mef.log" &&
	! grep -q "$KE\|$KPM1" "$tmp/mef.log"
result $((! $?)) "the MEF logs event=ke-issued, never a key" "$(tail -3 "$tmp/mef.log")"
eectl enrol --mef-uri "https://$MEF" --mef mef.test --kpm-id kpm-1
[ $status = 0 ] && [ "$(field ke_id)" != "$KEID" ] && [ ${#out} -gt 0 ] &&
	[ "$(field ke_fp | wc -c)" = 17 ] && [ -z "$(field ke)" ]
result $((! $?)) "a second enrolment: a new Ke, only its fingerprint shown" "$out"

# --- interop: openssl s_client against the MEF -----------------------------

# enrol_sclient IDENTITY PSK BODY [S_CLIENT-ARGS...]: one POST over TLS;
# $code (HTTP status, "" when the handshake failed), $body, $tls, $keymat
enrol_sclient() {
	local identity=$1 psk=$2 json=$3
	shift 3
	printf 'POST /onem2m/v1/enrolment HTTP/1.1\r\nHost: mef.test\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
		${#json} "$json" |
		timeout 20 openssl s_client -connect "$MEF" -ign_eof -nocommands \
		-psk_identity "$identity" -psk "$psk" \
		-keymatexport EXPERIMENTAL-e2m-oneM2M-Ke -keymatexportlen 32 "$@" \
		> "$tmp/response" 2> "$tmp/tls"
	code=$(sed -n 's/^HTTP\/1.1 \([0-9]*\) .*/\1/p' "$tmp/response" | tr -d '\r')
	body=$(sed -n '/^\r$/,$p' "$tmp/response" | tail -n +2)
	keymat=$(sed -n 's/^ *Keying material: *//p' "$tmp/response" | tr 'A-F' 'a-f')
	tls=$(cat "$tmp/tls" "$tmp/response" | grep -i 'cipher\|protocol\|alert\|error' | head -5)
}
json_member() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" <<< "$body"; }
MAF1='{"enrolee-id":"CAE-1","maf-id":"maf-1"}'

for suite in PSK-AES128-CCM8 PSK-AES128-GCM-SHA256; do
	before=$(kes_stored mef)
	enrol_sclient kpm-1 $KPM1 "$MAF1" -tls1_2 -cipher $suite
	ctl onem2m-ids --ke "$keymat" --mef mef.test --maf-id maf-1 --enrolee-id CAE-1 --target maf.test
	[ "$code" = 200 ] && [ ${#keymat} = 64 ] &&
		[ "$(json_member ke-id)" = "$(field ke_id)" ] &&
		[ "$(json_member lifetime)" = 600 ] &&
		[ $(kes_stored mef) = $((before + 1)) ] &&
		grep -q "Cipher is $suite\|Cipher *: $suite" "$tmp/response"
	result $((! $?)) "s_client -tls1_2 -cipher $suite: 200, KeId of s_client's own exporter ($(json_member ke-id))" \
		"$code $body" "$tls" "keymat $keymat"
done
# The server's order (PROFILE.md 6): CCM8 first, whatever the client's.
enrol_sclient kpm-1 $KPM1 "$MAF1" -tls1_2 -cipher PSK-AES128-GCM-SHA256:PSK-AES128-CCM8
[ "$code" = 200 ] && grep -q "Cipher is PSK-AES128-CCM8$" "$tmp/response"
result $((! $?)) "s_client -tls1_2 offering GCM before CCM8: the MEF's order, PSK-AES128-CCM8" \
	"$code" "$tls"

# --- DTLS 1.2 on UDP --------------------------------------------------------

eebefore=$(kes_stored enrolee)
eectl enrol --mef-dtls "$DTLS" --mef mef.test --kpm-id kpm-1 --show-key
KE=$(field ke) KEID=$(field ke_id)
[ $status = 0 ] && [ ${#KE} = 64 ] && [ "$(field tls)" = DTLSv1.2 ] &&
	[ "$(field cipher)" = PSK-AES128-CCM8 ] && [ "$(field lifetime)" = 600 ] &&
	[ "$(kes_stored enrolee)" = $((eebefore + 1)) ]
result $((! $?)) "enrol over DTLS 1.2 (UDP): PSK-AES128-CCM8, KeId $KEID, stored" "$out" "$err"
ctl onem2m-ids --ke "$KE" --mef mef.test --maf-id maf-1 --enrolee-id CAE-1 --target maf.test
[ "$(field ke_id)" = "$KEID" ] &&
	"$E2MCTL" --socket "$tmp/run/mef.sock" onem2m ke-list | grep -q "^ke_id=$KEID kpm_id=kpm-1 " &&
	grep -q "event=ke-issued kpm-id=kpm-1 ke-id=\"$KEID\" .* transport=dtls peer=127.0.0.1:" "$tmp/mef.log"
result $((! $?)) "DTLS: the MEF stored the same KeId, logged transport=dtls" "$(tail -1 "$tmp/mef.log")"

# dtls_sclient IDENTITY PSK BODY [S_CLIENT-ARGS...]: as enrol_sclient, DTLS
dtls_sclient() {
	local identity=$1 psk=$2 json=$3
	shift 3
	printf 'POST /onem2m/v1/enrolment HTTP/1.1\r\nHost: mef.test\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
		${#json} "$json" |
		timeout 10 openssl s_client -dtls1_2 -connect "$DTLS" -ign_eof -nocommands \
		-msg -msgfile "$tmp/msg" -psk_identity "$identity" -psk "$psk" \
		-keymatexport EXPERIMENTAL-e2m-oneM2M-Ke -keymatexportlen 32 "$@" \
		> "$tmp/response" 2> "$tmp/tls"
	code=$(sed -n 's/^HTTP\/1.1 \([0-9]*\) .*/\1/p' "$tmp/response" | tr -d '\r')
	body=$(sed -n '/^\r$/,$p' "$tmp/response" | tail -n +2)
	keymat=$(sed -n 's/^ *Keying material: *//p' "$tmp/response" | tr 'A-F' 'a-f')
	tls=$(cat "$tmp/tls" "$tmp/response" | grep -i 'cipher\|protocol\|alert\|error' | head -5)
}

for suite in PSK-AES128-CCM8 PSK-AES128-GCM-SHA256; do
	before=$(kes_stored mef)
	dtls_sclient kpm-1 $KPM1 "$MAF1" -cipher $suite
	ctl onem2m-ids --ke "$keymat" --mef mef.test --maf-id maf-1 --enrolee-id CAE-1 --target maf.test
	[ "$code" = 200 ] && [ ${#keymat} = 64 ] &&
		[ "$(json_member ke-id)" = "$(field ke_id)" ] &&
		[ $(kes_stored mef) = $((before + 1)) ]
	result $((! $?)) "s_client -dtls1_2 -cipher $suite: 200, KeId of s_client's own exporter" \
		"$code $body" "$tls" "keymat $keymat"
done
dtls_sclient kpm-1 $KPM1 "$MAF1" -cipher PSK-AES128-GCM-SHA256:PSK-AES128-CCM8
[ "$code" = 200 ] && grep -q "Cipher is PSK-AES128-CCM8$" "$tmp/response"
result $((! $?)) "s_client -dtls1_2 offering GCM before CCM8: the MEF's order, PSK-AES128-CCM8" \
	"$code" "$tls"
# s_client 3.0 does not name DTLS messages: the server's first handshake
# record is type 3, HelloVerifyRequest, with a cookie of 16 octets.
grep -A1 '^<<< .*content_type=22' "$tmp/msg" | sed -n 2p |
	grep -q '^    03 00 00 13 00 00 00 00 00 00 00 13 fe ff 10 '
result $((! $?)) "DTLS: the MEF asks for a cookie first (HelloVerifyRequest, 16-octet cookie)" \
	"$(head -14 "$tmp/msg")"
before=$(kes_stored mef)
dtls_sclient nobody $KPM1 "$MAF1"
[ -z "$code" ] && [ "$(kes_stored mef)" = "$before" ] &&
	wait_log mef "level=warning event=psk-unknown psk-identity=nobody reason=\"unknown PSK identity\"" 1
result $((! $?)) "DTLS, an unknown KpmId: the handshake fails as a wrong Kpm's, logged, nothing stored" "$code" "$tls" "$(grep 'psk-unknown\|tls-refused' "$tmp/mef.log")"
dtls_sclient kpm-1 $WRONG "$MAF1"
[ -z "$code" ] && [ "$(kes_stored mef)" = "$before" ]
result $((! $?)) "DTLS, a wrong Kpm: the handshake fails, nothing stored" "$code" "$tls"
dtls_sclient kpm-1 $KPM1 '{"enrolee-id":"CAE-1","maf-id":"maf-2"}'
[ "$code" = 403 ] && [ "$(json_member error)" = not-configured ] &&
	[ "$(kes_stored mef)" = "$before" ]
result $((! $?)) "DTLS, another MAF-ID: 403 not-configured, nothing stored" "$code $body"

# --- refusals --------------------------------------------------------------

refused_handshake() {	# NAME LOG-PATTERN: no HTTP, logged, nothing stored
	local name=$1 pattern=$2 before=$3
	[ -z "$code" ] && wait_log mef "$pattern" 1 &&
		[ "$(kes_stored mef)" = "$before" ]
	result $((! $?)) "$name: the handshake fails, logged, nothing stored" \
		"$code $body" "$tls" "$(tail -2 "$tmp/mef.log")"
}

before=$(kes_stored mef)
enrol_sclient nobody $KPM1 "$MAF1" -tls1_2
refused_handshake "an unknown KpmId" \
	"event=tls-refused peer=127.0.0.1:[0-9]* alert=\"bad record mac\" psk-identity=nobody reason=\"unknown PSK identity\"" $before
unknown_alert=$(grep -o 'SSL alert number [0-9]*' <<< "$tls")
enrol_sclient kpm-1 $WRONG "$MAF1" -tls1_2
refused_handshake "a wrong Kpm" \
	"event=tls-refused peer=127.0.0.1:[0-9]* alert=\"bad record mac\" psk-identity=kpm-1$" $before
[ -n "$unknown_alert" ] &&
	[ "$(grep -o 'SSL alert number [0-9]*' <<< "$tls")" = "$unknown_alert" ]
result $((! $?)) "an unknown KpmId and a wrong Kpm: the client sees the same alert ($unknown_alert)" \
	"$tls"
enrol_sclient kpm-1 $KPM1 "$MAF1" -tls1_3
[ -z "$code" ] && [ "$(kes_stored mef)" = "$before" ]
result $((! $?)) "TLS 1.3: refused (the framework is TLS 1.2 / DTLS 1.2), nothing stored" "$code" "$tls"
enrol_sclient kpm-1 $KPM1 "$MAF1" -tls1_2 -cipher ECDHE-PSK-CHACHA20-POLY1305
[ -z "$code" ] && [ "$(kes_stored mef)" = "$before" ]
result $((! $?)) "a suite outside PROFILE.md 6 (ECDHE-PSK-CHACHA20-POLY1305): refused" "$code" "$tls"

enrol_sclient kpm-1 $KPM1 '{"enrolee-id":"CAE-1","maf-id":"maf-2"}' -tls1_2
[ "$code" = 403 ] && [ "$(json_member error)" = not-configured ] &&
	[ "$(json_member detail)" = "the Enrolee-ID and MAF-ID are not the ones configured for this KpmId" ] &&
	wait_log mef "level=warning role=mef event=ke-refused status=403 error=not-configured kpm-id=kpm-1 " 1 &&
	[ "$(kes_stored mef)" = "$before" ]
result $((! $?)) "another MAF-ID: 403 not-configured, logged, nothing stored" "$code $body"
enrol_sclient kpm-2 $KPM2 '{"enrolee-id":"CAE-2","maf-id":"node-b"}' -tls1_2
[ "$code" = 403 ] && [ "$(json_member error)" = not-configured ] &&
	[ "$(kes_stored mef)" = "$before" ]
result $((! $?)) "an Enrolee-B-ID sent as a MAF-ID: 403 not-configured" "$code $body"
enrol_sclient kpm-1 $KPM1 '{"enrolee-id":"CAE-1","maf-id":"maf-1","enrolee-b-id":"b"}' -tls1_2
[ "$code" = 400 ] && [ "$(json_member error)" = bad-request ] &&
	grep -qF '"detail":"needs one of \"maf-id\" and \"enrolee-b-id\""' <<< "$body" &&
	[ "$(kes_stored mef)" = "$before" ]
result $((! $?)) "both a MAF-ID and an Enrolee-B-ID: 400 bad-request" "$code $body"
enrol_sclient kpm-1 $KPM1 'not json' -tls1_2
[ "$code" = 400 ] && [ "$(json_member error)" = bad-request ] &&
	[ "$(kes_stored mef)" = "$before" ]
result $((! $?)) "a body that is no JSON: 400 bad-request" "$code $body"
enrol_sclient kpm-2 $KPM2 '{"enrolee-id":"CAE-2","enrolee-b-id":"node-b"}' -tls1_2
[ "$code" = 200 ] && [ "$(kes_stored mef)" = $((before + 1)) ]
result $((! $?)) "kpm-2 for Enrolee B node-b: 200" "$code $body"

# The Enrolee's side of refusals: nothing in its store.
eebefore=$(kes_stored enrolee)
eectl kpm-add --kpm-id kpm-2 --keys <(echo kpm=$WRONG) --enrolee-id CAE-2 --enrolee-b-id node-b
eectl enrol --mef-uri "https://$MEF" --mef mef.test --kpm-id kpm-2
[ $status = 1 ] && [ -z "$out" ] && grep -q "^e2mctl: onem2m enrol: TLS handshake failed" <<< "$err" &&
	[ "$(kes_stored enrolee)" = "$eebefore" ]
result $((! $?)) "enrol with a wrong Kpm: status 1, nothing stored" "$err"
eectl kpm-remove --kpm-id kpm-2
eectl kpm-add --kpm-id kpm-2 --keys <(echo kpm=$KPM2) --enrolee-id CAE-2 --maf-id maf-9
eectl enrol --mef-uri "https://$MEF" --mef mef.test --kpm-id kpm-2
[ $status = 1 ] && [ -z "$out" ] &&
	[ "$err" = "e2mctl: onem2m enrol: 403 not-configured: the Enrolee-ID and Enrolee-B-ID are not the ones configured for this KpmId" ] &&
	[ "$(kes_stored enrolee)" = "$eebefore" ]
result $((! $?)) "enrol configured for another target: 403 not-configured, nothing stored" "$err"
eectl enrol --mef-uri "https://$MEF" --mef mef.test --kpm-id kpm-9
[ $status = 1 ] && [ "$err" = "e2mctl: onem2m enrol: no Kpm of KpmId kpm-9 in the store" ]
result $((! $?)) "enrol with a KpmId the Enrolee lacks: status 1" "$err"
eectl enrol --mef-uri "http://$MEF" --kpm-id kpm-1
[ $status = 2 ] && [ "$err" = "e2mctl: onem2m enrol: --mef-uri: must be https://HOST[:PORT]" ]
result $((! $?)) "enrol --mef-uri http://: bad usage" "$err"

mefctl kpm-remove --kpm-id kpm-1
result $((status == 0)) "MEF kpm-remove kpm-1" "$err"
before=$(kes_stored mef)
eectl enrol --mef-uri "https://$MEF" --mef mef.test --kpm-id kpm-1
[ $status = 1 ] && grep -q "TLS handshake failed" <<< "$err" && [ "$(kes_stored mef)" = "$before" ]
result $((! $?)) "a removed Kpm: the next handshake fails" "$err"
mefctl kpm-remove --kpm-id kpm-1
[ $status = 1 ] && [ "$err" = "e2mctl: onem2m kpm-remove: KpmId kpm-1 has no Kpm" ]
result $((! $?)) "kpm-remove again: status 1" "$err"

# A DTLS session a client left (s_client's last retransmission, say)
# goes at its deadline (MEF_DTLS_DEADLINE, 10 s) at the latest.
for i in $(seq 60); do
	"$E2MCTL" --socket "$tmp/run/mef.sock" status > "$tmp/status"
	grep -q " dtls-sessions=0 " "$tmp/status" && break
	sleep 0.25
done
grep -q "^role=mef enrolees=$MEF dtls=$DTLS requests=11 kpm-lookups=[0-9]* issued=10 refused=6 dtls-sessions=0 dtls-dropped=0\$" "$tmp/status"
result $((! $?)) "status: role mef, 11 TLS requests, 10 Kes issued, 6 refused, no DTLS session left past its deadline" "$(cat "$tmp/status")"

stop mef
result $((stop_status == 0)) "the MEF stops cleanly"
