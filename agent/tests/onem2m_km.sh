# SPDX-License-Identifier: GPL-2.0
#
# Centralized Key Distribution (tests/onem2m_test.sh, sourced after
# onem2m_mef.sh): an MEF with km-listen serves Km to the MAFs of its
# maf-clients over mutual TLS, and refuses everything else with its
# status and token (daemon/mef/mef_km.h). curl is the MAF here.
# The request by Km-Id: onem2m_km_id.sh; a MAF whose handshakes pull Km
# by Km-Id (km-pull): onem2m_km_pull.sh, sourced last.

if [ "$(id -u)" != 0 ]; then
	tap_skip "Km distribution" "the admin socket needs root"
	return 0
fi
need_tools curl

pki_ca mef-km maf-1 maf-2 rogue node-b node-c
store_keys mefk
# The MEF of this part, a second one: its config with KEY-LIFETIME.
write_mefk() {	# KEY-LIFETIME [MAF-CLIENTS [ENROLEE-B-CLIENTS]]
	cat > "$tmp/mefk.yaml" <<-EOF2
	log: { level: info }
	$(config_base mefk mef-km)
	roles:
	  mef: { name: mef.test, listen: "127.0.0.1:0", key-lifetime: $1,
	         dtls-listen: "127.0.0.1:0", dtls-sessions: 2,
	         km-listen: "127.0.0.1:0", maf-clients: [${2-maf-1, maf-2}],
	         enrolee-b-clients: [${3-node-b, node-c}] }
	EOF2
}
write_mefk 600
if ! start mefk; then
	echo "Bail out! the MEF with km-listen did not start"
	sed 's/^/# /' "$tmp/mefk.log"
	exit 1
fi
MEFK=$(ready_value mefk mef.enrolees)
KMSRV=$(ready_value mefk mef.mafs)
result $((${#KMSRV} > 0)) "the MEF serves Km on $KMSRV (mutual TLS)"

# The MEF's own DTLS bound (dtls-sessions: 2): three peers each return
# their cookie once (no retransmission): two sessions, the third's
# ClientHello dropped, counted and logged once. They go at the deadline.
MEFKD=$(ready_value mefk mef.dtls)
python3 "$here/dtls_cookie.py" --bound 2 "${MEFKD%:*}" "${MEFKD##*:}" > "$tmp/bound" 2>&1
"$E2MCTL" --socket "$tmp/run/mefk.sock" status | grep '^role=mef' > "$tmp/status"
[ "$(cat "$tmp/bound")" = "$(lines "session 1: server-hello" "session 2: server-hello" "session 3: none")" ] &&
	grep -q " dtls-sessions=2 dtls-dropped=1 " "$tmp/status" &&
	[ "$(grep -c "event=dtls-full" "$tmp/mefk.log")" = 1 ] &&
	grep -q "level=warning role=mef event=dtls-full .*\"1 DTLS handshakes refused: 2 sessions held, the most\"" "$tmp/mefk.log"
result $((! $?)) "the MEF's DTLS bound (dtls-sessions: 2): 2 held, the third dropped (dtls-dropped=1), dtls-full logged once" \
	"$(cat "$tmp/bound")" "$(cat "$tmp/status")" "$(grep dtls- "$tmp/mefk.log")"

mefkctl() { ctl --socket "$tmp/run/mefk.sock" onem2m "$@"; }
KPMK=$(hex32)
mefkctl kpm-add --kpm-id kpm-k --keys <(echo kpm=$KPMK) --enrolee-id CAE-1 --maf-id maf-1
eectl kpm-add --kpm-id kpm-k --keys <(echo kpm=$KPMK) --enrolee-id CAE-1 --maf-id maf-1
eectl enrol --mef-uri "https://$MEFK" --mef mef.test --kpm-id kpm-k --show-key
KEK=$(field ke) KEIDK=$(field ke_id)
result $((status == 0 && ${#KEK} == 64)) "the Enrolee enrols with kpm-k: KeId $KEIDK" "$err"
mefkctl kpm-add --kpm-id kpm-kb --keys <(echo kpm=$KPMK) --enrolee-id CAE-2 --enrolee-b-id maf-1
eectl kpm-add --kpm-id kpm-kb --keys <(echo kpm=$KPMK) --enrolee-id CAE-2 --enrolee-b-id maf-1
eectl enrol --mef-uri "https://$MEFK" --mef mef.test --kpm-id kpm-kb
KEIDB=$(field ke_id)
result $((status == 0)) "and with kpm-kb, configured for an Enrolee B named maf-1: KeId $KEIDB" "$err"

# km_post CLIENT BODY [CURL-ARGS...]: $code, $body; Content-Type $ctype
# (application/json when unset)
km_post() {
	local client=$1 json=$2
	shift 2
	code=$(curl -s -o "$tmp/body" -w '%{http_code}' --max-time 10 \
		--cacert "$tmp/ca.crt" ${client:+--cert "$tmp/$client.crt" --key "$tmp/$client.key"} \
		-H "Content-Type: ${ctype:-application/json}" --data-binary "$json" "$@" \
		"https://$KMSRV/onem2m/v1/km" 2> "$tmp/curl.err")
	body=$(cat "$tmp/body")
}
ask() { echo "{\"ke-id\":\"$1\",\"enrolee-id\":\"$2\"}"; }

ctl onem2m-ids --ke "$KEK" --mef mef.test --maf-id maf-1 --enrolee-id CAE-1 --target maf.test
KM=$(field km)
km_post maf-1 "$(ask "$KEIDK" CAE-1)"
[ "$code" = 200 ] && [ "$(json_member km)" = "$KM" ] && [ ${#KM} = 64 ] &&
	grep -q '"expires":"[0-9]\{4\}-[0-9-]*T[0-9:]*Z"' <<< "$body" &&
	wait_log mefk "level=info role=mef event=km-issued ke-id=\"$KEIDK\" enrolee-id=CAE-1 maf=maf-1 peer=maf-1$" 1 &&
	! grep -q "$KM\|$KEK" "$tmp/mefk.log"
result $((! $?)) "maf-1 gets Km of (KeId, CAE-1): the one onem2m-ids derives, logged without a key" \
	"$code $body" "$(tail -2 "$tmp/mefk.log")"

# expect_km TEXT STATUS TOKEN [DETAIL] -- CLIENT BODY: refused so, logged
expect_km() {
	local name=$1 status=$2 token=$3 detail=$4
	shift 5
	km_post "$@"
	[ "$code" = "$status" ] && [ "$(json_member error)" = "$token" ] &&
		{ [ -z "$detail" ] || grep -qF "\"detail\":\"$detail\"" <<< "$body"; } &&
		! grep -q '"km"' <<< "$body" &&
		wait_log mefk "event=km-refused status=$status error=$token .*peer=$1\$" 1
	result $((! $?)) "$name: $status $token" "$code $body" "$(tail -1 "$tmp/mefk.log")"
}
expect_km "a MAF not in maf-clients" 403 forbidden "client not in mef.maf-clients" \
	-- rogue "$(ask "$KEIDK" CAE-1)"
km_post "" "$(ask "$KEIDK" CAE-1)"
[ "$code" = 000 ] && ! grep -q "km-issued.*peer=-" "$tmp/mefk.log"
result $((! $?)) "a client without a certificate: no TLS session, nothing answered" "$code $body"
expect_km "another MAF (maf-2, listed, not configured for this Enrolee)" 403 not-configured \
	"the Ke was not configured for this Enrolee-ID and a MAF-ID of this client" \
	-- maf-2 "$(ask "$KEIDK" CAE-1)"
expect_km "another Enrolee-ID" 403 not-configured "" -- maf-1 "$(ask "$KEIDK" CAE-2)"
expect_km "a Ke configured for an Enrolee B, not a MAF" 403 not-configured "" \
	-- maf-1 "$(ask "$KEIDB" CAE-2)"
expect_km "an unknown KeId" 404 unknown-ke "" \
	-- maf-1 "$(ask "AAAAAAAAAAAAAAAAAAAAAA==@mef.test" CAE-1)"
expect_km "a body that is not the request" 400 bad-request "\\\"ke-id\\\" missing" \
	-- maf-1 '{"enrolee-id":"CAE-1"}'
ctype=text/plain km_post maf-1 "$(ask "$KEIDK" CAE-1)"
[ "$code" = 415 ] && [ "$(json_member error)" = unsupported-media-type ]
result $((! $?)) "another media type: 415" "$code $body"

# An expired Ke: key-lifetime 1 by SIGHUP, a new enrolment, 2 s later.
write_mefk 1
kill -HUP "${pid[mefk]}"
wait_log mefk "event=reloaded" 1
eectl enrol --mef-uri "https://$MEFK" --mef mef.test --kpm-id kpm-k --show-key
KEIDX=$(field ke_id) KEX=$(field ke)
[ $status = 0 ] && [ "$(field lifetime)" = 1 ]
result $((! $?)) "a Ke of lifetime 1 s after SIGHUP: $KEIDX" "$out" "$err"
sleep 2.2
expect_km "an expired Ke" 404 expired-ke "" -- maf-1 "$(ask "$KEIDX" CAE-1)"

. "$here/onem2m_km_id.sh"

# --- the MAF: fetches Km, and the Enrolee's association with it -------------

store_keys maf
cat > "$tmp/maf.yaml" <<-EOF2
log: { level: info }
$(config_base maf maf-1)
roles:
  maf: { name: maf.test, listen: "127.0.0.1:0", mef-url: "https://$KMSRV",
         dtls-listen: "127.0.0.1:0", dtls-sessions: 2 }
EOF2
if ! start maf; then
	echo "Bail out! the MAF did not start"
	sed 's/^/# /' "$tmp/maf.log"
	exit 1
fi
MAFL=$(ready_value maf maf.enrolees)
MAFD=$(ready_value maf maf.dtls)
result $((${#MAFL} > 0 && ${#MAFD} > 0)) "the MAF listens on $MAFL (TLS 1.2 PSK) and $MAFD (DTLS 1.2 PSK)"
mafctl() { ctl --socket "$tmp/run/maf.sock" onem2m "$@"; }

ctl onem2m-ids --ke "$KEK" --mef mef.test --maf-id maf-1 --enrolee-id CAE-1 --target maf.test
KMID=$(field km_id)
mafctl km-fetch --ke-id "$KEIDK" --enrolee-id CAE-1
[ $status = 0 ] && [ -z "$err" ] &&
	[ "${out% expires=*}" = "km_id=$KMID ke_id=$KEIDK enrolee_id=CAE-1" ] &&
	wait_log maf "level=info role=maf event=km-fetched km-id=\"$KMID\" ke-id=\"$KEIDK\" enrolee-id=CAE-1$" 1 &&
	! grep -q "$KM" "$tmp/maf.log"
result $((! $?)) "km-fetch: the MAF holds Km-Id $KMID (onem2m-ids' for --target maf.test), no key logged" \
	"$out $err" "$(tail -2 "$tmp/maf.log")"
mafctl km-list
[ $status = 0 ] && grep -q "^km_id=$KMID ke_id=$KEIDK enrolee_id=CAE-1 expires=[0-9TZ:-]*\$" <<< "$out" &&
	! grep -q "$KM" <<< "$out"
result $((! $?)) "km-list: Km-Id, KeId, Enrolee-ID, expiry; no Km" "$out"
mafctl km-fetch --btid "AAAAAAAAAAAAAAAAAAAAAA==@bsf.test" --enrolee-id CAE-1
[ $status = 1 ] && [ "$err" = "e2mctl: onem2m km-fetch: roles.maf has no zn-url: no B-TID can be asked for" ]
result $((! $?)) "a MAF without zn-url refuses km-fetch --btid" "$err"

# assoc IDENTITY PSK [S_CLIENT-ARGS...]: GET /onem2m/v1/association as the
# Enrolee with openssl s_client; $code ("" when the handshake failed), $body
assoc() {
	local identity=$1 psk=$2
	shift 2
	printf 'GET /onem2m/v1/association HTTP/1.1\r\nHost: maf.test\r\nConnection: close\r\n\r\n' |
		timeout 20 openssl s_client -connect "$MAFL" -ign_eof -nocommands \
		-psk_identity "$identity" -psk "$psk" "$@" \
		> "$tmp/response" 2> "$tmp/tls"
	code=$(sed -n 's/^HTTP\/1.1 \([0-9]*\) .*/\1/p' "$tmp/response" | tr -d '\r')
	body=$(sed -n '/^\r$/,$p' "$tmp/response" | tail -n +2)
	tls=$(cat "$tmp/tls" "$tmp/response" | grep -i 'cipher\|protocol\|alert\|error' | head -5)
}
for suite in PSK-AES128-CCM8 PSK-AES128-GCM-SHA256; do
	assoc "$KMID" "$KM" -tls1_2 -cipher $suite
	[ "$code" = 200 ] && [ "$(json_member km-id)" = "$KMID" ] &&
		[ "$(json_member enrolee-id)" = CAE-1 ] &&
		grep -q "Cipher is $suite\|Cipher *: $suite" "$tmp/response"
	result $((! $?)) "s_client -tls1_2 -cipher $suite -psk_identity Km-Id -psk Km: the association is up (200)" \
		"$code $body" "$tls"
done
# The server's order (PROFILE.md 6): CCM8 first, whatever the client's.
assoc "$KMID" "$KM" -tls1_2 -cipher PSK-AES128-GCM-SHA256:PSK-AES128-CCM8
[ "$code" = 200 ] && grep -q "Cipher is PSK-AES128-CCM8$" "$tmp/response"
result $((! $?)) "s_client -tls1_2 offering GCM before CCM8: the MAF's order, PSK-AES128-CCM8" \
	"$code" "$tls"
assoc "$KMID" "$(hex32)" -tls1_2
[ -z "$code" ] && wait_log maf "event=tls-refused .*psk-identity=\"$KMID\"" 1
result $((! $?)) "a wrong Km: the handshake fails, logged" "$code" "$tls" "$(tail -1 "$tmp/maf.log")"
assoc "AAAAAAAAAAAAAAAAAAAAAA==@maf.test" "$KM" -tls1_2
[ -z "$code" ] && wait_log maf "event=tls-refused .*reason=\"unknown PSK identity\"" 1
result $((! $?)) "an unknown Km-Id: the handshake fails as a wrong Km's" "$code" "$tls"
assoc "$KMID" "$KM" -tls1_3
[ -z "$code" ]
result $((! $?)) "TLS 1.3: refused (the association is TLS 1.2 PSK, PROFILE.md 6)" "$code" "$tls"

. "$here/onem2m_maf_dtls.sh"

mafctl km-fetch --ke-id "$KEIDK" --enrolee-id CAE-2
[ $status = 1 ] && [ -z "$out" ] &&
	[[ "$err" == "e2mctl: onem2m km-fetch: the MEF answered 403 not-configured: "?* ]] &&
	wait_log maf "level=warning role=maf event=km-fetch-failed ke-id=\"$KEIDK\" enrolee-id=CAE-2 status=403 error=not-configured " 1
result $((! $?)) "km-fetch for another Enrolee-ID: exit 1 with the MEF's 403 not-configured, logged" "$err" "$(tail -1 "$tmp/maf.log")"
mafctl km-fetch --ke-id "AAAAAAAAAAAAAAAAAAAAAA==@mef.test" --enrolee-id CAE-1 --no-wait
[ $status = 0 ] && [ -z "$out$err" ] &&
	wait_log maf "event=km-fetch-failed ke-id=\"AAAAAAAAAAAAAAAAAAAAAA==@mef.test\" enrolee-id=CAE-1 status=404 error=unknown-ke" 1
result $((! $?)) "km-fetch --no-wait of an unknown KeId: exit 0 at once, the MEF's 404 unknown-ke logged" "$(tail -1 "$tmp/maf.log")"
mafctl km-fetch --ke-id kpm-1 --enrolee-id CAE-1
[ $status = 1 ] && [ "$err" = 'e2mctl: onem2m km-fetch: "ke-id" is not base64 of 16 octets "@" an FQDN' ]
result $((! $?)) "km-fetch of a KeId that is none: refused at once" "$err"
"$E2MCTL" --socket "$tmp/run/maf.sock" status > "$tmp/status"
grep -q "^role=maf enrolees=$MAFL dtls=$MAFD requests=9 km-lookups=[0-9]* fetched=1 fetch-failed=2 kms=1 dtls-sessions=0 dtls-dropped=[1-9][0-9]*\$" "$tmp/status"
result $((! $?)) "MAF status: 9 requests (4 over TLS, 5 in DTLS sessions: onem2m_maf_dtls.sh's 200s), 1 Km fetched, 2 fetches failed, 1 Km held" "$(cat "$tmp/status")"

# The admin socket's deferred answer (daemon/admin.h): a km-fetch that
# waits and a km-list sent behind it on one connection are answered in
# order, the fetch's outcome first; a client gone before its answer
# leaves the daemon serving (the outcome logged, the answer dropped).
# admin_two SOCKET LINE...: the lines sent at once, one answer read each
admin_two() {
	python3 - "$@" <<-'PY'
	import json, socket, sys
	s = socket.socket(socket.AF_UNIX)
	s.connect(sys.argv[1])
	s.sendall("".join(l + "\n" for l in sys.argv[2:]).encode())
	f = s.makefile()
	for _ in sys.argv[2:]:
	    a = json.loads(f.readline())
	    print(a["ok"], a.get("error", len(a.get("kms", []))))
	PY
}
NOKE='"ke-id": "AAAAAAAAAAAAAAAAAAAAAA==@mef.test", "enrolee-id": "CAE-1"'
out=$(admin_two "$tmp/run/maf.sock" "{\"command\": \"km-fetch\", $NOKE, \"wait\": true}" \
	'{"command": "km-list"}')
[ "${out%%: *}" = "False the MEF answered 404 unknown-ke" ] && [ "$(tail -1 <<< "$out")" = "True 1" ]
result $((! $?)) "admin: km-fetch waiting, then km-list on the same connection: answered in order" "$out"
n=$(grep -c "event=km-fetch-failed" "$tmp/maf.log")
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode())
' "$tmp/run/maf.sock" "{\"command\": \"km-fetch\", $NOKE, \"wait\": true}
"
wait_log maf "event=km-fetch-failed" $((n + 1)) && mafctl km-list && [ "$(grep -c '^km_id=' <<< "$out")" = 1 ]
result $((! $?)) "admin: a waiting km-fetch whose client left: the outcome logged, e2md serving" "$out" "$(tail -2 "$tmp/maf.log")"

# The Kms are in the MAF's store (schema 12): a restart keeps the live
# ones and purges the expired. A Km of a Ke of 3 s (key-lifetime 3):
write_mefk 3
kill -HUP "${pid[mefk]}"
wait_log mefk "event=reloaded" 2
eectl enrol --mef-uri "https://$MEFK" --mef mef.test --kpm-id kpm-k
KEIDS=$(field ke_id)
mafctl km-fetch --ke-id "$KEIDS" --enrolee-id CAE-1
fetched_at=$(date +%s.%N)
[ $status = 0 ] &&
	wait_log maf "event=km-fetched km-id=.* ke-id=\"$KEIDS\"" 1 &&
	"$E2MCTL" --socket "$tmp/run/maf.sock" status | grep -q " kms=2 "
result $((! $?)) "a Km of a Ke of 3 s fetched: 2 Kms held" "$(tail -1 "$tmp/maf.log")"
stop maf
result $((stop_status == 0)) "the MAF stops cleanly"
sleep "$(echo "$fetched_at + 3.2 - $(date +%s.%N)" | bc | sed 's/^-.*/0/')"
if ! start maf; then
	echo "Bail out! the MAF did not start again"
	sed 's/^/# /' "$tmp/maf.log"
	exit 1
fi
MAFL=$(ready_value maf maf.enrolees)
MAFD=$(ready_value maf maf.dtls)
wait_log maf "level=info role=maf event=kms-purged .*1 expired Kms removed" 1
result $((! $?)) "restarted after the short Km expired: it is purged at start" "$(grep kms-purged "$tmp/maf.log")"
assoc "$KMID" "$KM" -tls1_2
[ "$code" = 200 ] && [ "$(json_member km-id)" = "$KMID" ]
result $((! $?)) "restarted, no fetch: the association with Km-Id $KMID is up (200), Km from the store" \
	"$code $body" "$tls"
mafctl km-list
[ $status = 0 ] && grep -q "^km_id=$KMID ke_id=$KEIDK enrolee_id=CAE-1 expires=[0-9TZ:-]*\$" <<< "$out" &&
	[ "$(wc -l <<< "$out")" = 1 ]
result $((! $?)) "km-list after the restart: the live Km only" "$out"
# (The dump is named apart from the glob: maf.db.hex would be read as it grows.)
cat "$tmp/maf.db"* | xxd -p | tr -d '\n' > "$tmp/maf-store.hex"
grep -q "$(tr A-F a-f <<< "${KM:0:32}")" "$tmp/maf-store.hex"
result $? "Km is not in the MAF's store files in the clear"
stop maf
result $((stop_status == 0)) "the restarted MAF stops cleanly"

# Fail closed: an empty maf-clients (by SIGHUP) admits no MAF.
write_mefk 600 ""
kill -HUP "${pid[mefk]}"
wait_log mefk "event=reloaded" 3
expect_km "maf-clients emptied by SIGHUP, maf-1" 403 forbidden "mef.maf-clients is empty" \
	-- maf-1 "$(ask "$KEIDK" CAE-1)"

. "$here/onem2m_kpsa.sh"
. "$here/onem2m_km_pull.sh"
. "$here/onem2m_maf_handoff.sh"

"$E2MCTL" --socket "$tmp/run/mefk.sock" status > "$tmp/status"
grep -q "^role=mef enrolees=$MEFK dtls=$MEFKD mafs=$KMSRV .* dtls-sessions=0 dtls-dropped=1 km-issued=12 km-refused=25 kpsa-issued=3 kpsa-refused=8\$" "$tmp/status"
result $((! $?)) "status: dtls-sessions=0 (gone at their deadline) dtls-dropped=1 km-issued=12 km-refused=25 kpsa-issued=3 kpsa-refused=8" "$(cat "$tmp/status")"
stop mefk
result $((stop_status == 0)) "the MEF with km-listen stops cleanly"
