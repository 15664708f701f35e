# SPDX-License-Identifier: GPL-2.0
#
# The Enrolee's handshake pulls Km (tests/onem2m_km.sh, sourced last;
# daemon/maf/maf_km_pull.h): a MAF with km-pull: true that does not hold
# the Km-Id an Enrolee names asks the MEF by Km-Id while the handshake
# waits, keeps the Km, and fails the handshake on the MEF's refusal; over
# TLS 1.2 (listen) and DTLS 1.2 (dtls-listen, net/dtls_server.h's
# paused sessions).

# The MEF as before the fail-closed part: maf-clients back, 600 s Kes.
write_mefk 600
kill -HUP "${pid[mefk]}"
wait_log mefk "event=reloaded" 4
store_keys mafp
cat > "$tmp/mafp.yaml" <<-EOF2
log: { level: info }
$(config_base mafp maf-1)
roles:
  maf: { name: maf.test, listen: "127.0.0.1:0", dtls-listen: "127.0.0.1:0",
         mef-url: "https://$KMSRV", km-pull: true }
EOF2
if ! start mafp; then
	echo "Bail out! the MAF with km-pull did not start"
	sed 's/^/# /' "$tmp/mafp.log"
	exit 1
fi
MAFP=$(ready_value mafp maf.enrolees)
MAFPD=$(ready_value mafp maf.dtls)
mafpctl() { ctl --socket "$tmp/run/mafp.sock" onem2m "$@"; }
issued() { grep -c "event=km-issued .* km-id=\"$1\" peer=maf-1$" "$tmp/mefk.log"; }

# 1. e2mctl as the Enrolee, no km-fetch before: the handshake pulls.
n=$(issued "$KMID")
eectl associate --ke-id "$KEIDK" --connect "$MAFP" --target maf.test
[ $status = 0 ] && [ "$(field key_id)" = "$KMID" ] && [ "$(field status)" = 200 ] &&
	[ "$(field tls)" = TLSv1.2 ] && [ "$(issued "$KMID")" = $((n + 1)) ] &&
	wait_log mafp "level=info role=maf event=km-fetched km-id=\"$KMID\" ke-id=\"$KEIDK\" enrolee-id=CAE-1 via=handshake$" 1
result $((! $?)) "associate with a MAF that holds no Km: it pulls by Km-Id during the handshake, 200" \
	"$out" "$err" "$(tail -2 "$tmp/mafp.log")"
mafpctl km-list
[ $status = 0 ] && grep -q "^km_id=$KMID ke_id=$KEIDK enrolee_id=CAE-1 expires=[0-9TZ:-]*\$" <<< "$out" &&
	[ "$(wc -l <<< "$out")" = 1 ]
result $((! $?)) "km-list: the pulled Km under Km-Id $KMID (onem2m-ids')" "$out"
eectl associate --ke-id "$KEIDK" --connect "$MAFP" --target maf.test
[ $status = 0 ] && [ "$(field status)" = 200 ] && [ "$(issued "$KMID")" = $((n + 1)) ] &&
	[ "$(grep -c "event=km-fetched" "$tmp/mafp.log")" = 1 ]
result $((! $?)) "a second associate: 200 from the store, the MEF not asked" "$out" "$err"

# 2. openssl s_client as the Enrolee, a fresh Ke.
eectl enrol --mef-uri "https://$MEFK" --mef mef.test --kpm-id kpm-k --show-key
KEIDN=$(field ke_id)
ctl onem2m-ids --ke "$(field ke)" --mef mef.test --maf-id maf-1 --enrolee-id CAE-1 --target maf.test
KMN=$(field km) KMIDN=$(field km_id)
MAFL=$MAFP assoc "$KMIDN" "$KMN" -tls1_2
[ "$code" = 200 ] && [ "$(json_member km-id)" = "$KMIDN" ] && [ "$(json_member ke-id)" = "$KEIDN" ] &&
	grep -q "Cipher is PSK-AES128-GCM-SHA256" "$tmp/response" && [ "$(issued "$KMIDN")" = 1 ] &&
	wait_log mafp "event=km-fetched km-id=\"$KMIDN\" ke-id=\"$KEIDN\" enrolee-id=CAE-1 via=handshake$" 1
result $((! $?)) "s_client -tls1_2 -psk_identity Km-Id -psk Km of a Ke the MAF never saw: pulled, 200" \
	"$code $body" "$tls" "$(tail -2 "$tmp/mafp.log")"

# 3. Refusals: the handshake fails, both ends log, nothing is stored.
# pull_refused TEXT KM-ID KM TOKEN REASON [dtls]: the Nth time of KM-ID
pull_refused() {
	local mef="event=km-refused status=404 error=$4 km-id=\"$2\" .*peer=maf-1$"
	local failed="level=warning role=maf event=km-fetch-failed km-id=\"$2\" status=404 error=$4 .*via=handshake$"
	local refused="event=tls-refused peer=127.0.0.1:[0-9]* alert=\"unknown PSK identity\" psk-identity=\"$2\" reason=\"$5\""
	local n=$(grep -c -- "$failed" "$tmp/mafp.log")
	if [ "${6:-}" = dtls ]; then
		MAFD=$MAFPD dtls_assoc "$2" "$3"
	else
		MAFL=$MAFP assoc "$2" "$3" -tls1_2
	fi
	[ -z "$code" ] && grep -q "alert.*unknown psk identity" "$tmp/tls" &&
		wait_log mefk "$mef" $((n + 1)) && wait_log mafp "$failed" $((n + 1)) &&
		wait_log mafp "$refused" $((n + 1))
	result $((! $?)) "$1: the handshake fails (unknown_psk_identity; MEF 404 $4), logged at both ends" \
		"$code" "$tls" "$(tail -2 "$tmp/mafp.log")" "$(tail -1 "$tmp/mefk.log")"
}
pull_refused "an unknown Km-Id" "AAAAAAAAAAAAAAAAAAAAAA==@maf.test" "$KMN" unknown-km-id \
	"the MEF knows no Ke of this Km-Id for this MAF (unknown-km-id)"
mefkctl kpm-add --kpm-id kpm-m2 --keys <(echo kpm=$KPMK) --enrolee-id CAE-4 --maf-id maf-2
eectl kpm-add --kpm-id kpm-m2 --keys <(echo kpm=$KPMK) --enrolee-id CAE-4 --maf-id maf-2
eectl enrol --mef-uri "https://$MEFK" --mef mef.test --kpm-id kpm-m2 --show-key
KEID2=$(field ke_id) KE2=$(field ke)
ctl onem2m-ids --ke "$KE2" --mef mef.test --maf-id maf-2 --enrolee-id CAE-4 --target maf.test
pull_refused "the Km-Id of a Ke configured for maf-2" "$(field km_id)" "$(field km)" unknown-km-id \
	"the MEF knows no Ke of this Km-Id for this MAF (unknown-km-id)"
eectl associate --ke-id "$KEID2" --connect "$MAFP" --target maf.test
[ $status = 1 ] && grep -q "TLS handshake failed" <<< "$err"
result $((! $?)) "associate with that Ke (maf-2's) at maf-1: exit 1, the handshake failed" "$out" "$err"
ctl onem2m-ids --ke "$KEX" --mef mef.test --maf-id maf-1 --enrolee-id CAE-1 --target maf.test
pull_refused "the Km-Id of an expired Ke" "$(field km_id)" "$(field km)" expired-ke \
	"the Ke of this Km-Id has expired (expired-ke)"
mafpctl km-list
[ "$(cut -d' ' -f1 <<< "$out" | sort)" = "$(printf 'km_id=%s\n' "$KMID" "$KMIDN" | sort)" ]
result $((! $?)) "after the refusals km-list holds the two pulled Kms only" "$out"
"$E2MCTL" --socket "$tmp/run/mafp.sock" status > "$tmp/status"
grep -q "^role=maf enrolees=$MAFP dtls=$MAFPD requests=3 km-lookups=7 fetched=2 fetch-failed=4 kms=2 dtls-sessions=0 dtls-dropped=0 km-pulls=6 dtls-held-back=0\$" "$tmp/status"
result $((! $?)) "status: 7 lookups, 6 MEF calls (km-pulls), 2 kept, 4 failed, 3 requests" "$(cat "$tmp/status")"

. "$here/onem2m_km_pull_dtls.sh"

# 4. The Enrolee's connection ends while the MEF call is out: the call is
# cancelled, nothing kept. An MEF that accepts and never answers, and a
# deadline of 1 s (the MAF restarted with them).
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True); c = s.accept(); time.sleep(60)' > "$tmp/mute.port" &
mute=$!
for i in $(seq 50); do [ -s "$tmp/mute.port" ] && break; sleep 0.1; done
sed -i -e "s|mef-url: \"https://$KMSRV\"|mef-url: \"https://127.0.0.1:$(cat "$tmp/mute.port")\"|" \
	-e '1a listeners: { request-deadline: 1 }' "$tmp/mafp.yaml"
stop mafp
result $((stop_status == 0)) "the MAF with km-pull stops cleanly"
start mafp || { echo "Bail out! the MAF with km-pull did not restart"; exit 1; }
MAFP=$(ready_value mafp maf.enrolees)
MAFL=$MAFP assoc "BBBBBBBBBBBBBBBBBBBBBA==@maf.test" "$KMN" -tls1_2
[ -z "$code" ] &&
	wait_log mafp "level=warning role=maf event=connections-limited listener=gba refused=0 evicted=0 cut=1 " 1 &&
	! grep -q "km-id=\"BBBBBBBBBBBBBBBBBBBBBA==@maf.test\"" "$tmp/mafp.log" &&
	"$E2MCTL" --socket "$tmp/run/mafp.sock" status | grep -q " fetch-failed=0 kms=4 .* km-pulls=1 dtls-held-back=0\$"
result $((! $?)) "the connection cut (deadline 1 s) while the MEF is asked: the call cancelled, nothing logged as kept or failed" \
	"$code" "$tls" "$(tail -2 "$tmp/mafp.log")"
MAFPD=$(ready_value mafp maf.dtls)
km_pull_dtls_paused
stop mafp
result $((stop_status == 0)) "the MAF stops cleanly after the cut, a DTLS session paused for its Km"
kill "$mute" "$paused_client" 2> /dev/null
wait "$mute" "$paused_client" 2> /dev/null
