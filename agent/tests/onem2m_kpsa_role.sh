# SPDX-License-Identifier: GPL-2.0
#
# Enrolee B as an e2md role in the pre-provisioned framework (TS-0003
# 8.3.2.1, Centralized Key Distribution; tests/onem2m_kpsa.sh sources
# this with the MEF mefk running, the Enrolee's Ke $KEIDN configured for
# Enrolee B node-b, its Kpsa $KPSA and Kpsa-Id $KPSAID from onem2m-ids,
# and the expiry $KPSAEXP kpsa-fetch printed): the maf role with "as:
# enrolee-b" and mef-url, node-b's certificate, fetches Kpsa on km-fetch
# (POST /onem2m/v1/kpsa), keeps it sealed with the MEF's expiry and
# takes the Enrolee's association over TLS 1.2 and DTLS 1.2 (e2mctl
# onem2m associate, openssl s_client); every MEF refusal is logged with
# its status and token and stores nothing; a restart keeps the Kpsa and
# purges an expired one; Kpsa is not in the store files in the clear.

store_keys nodebk
cat > "$tmp/nodebk.yaml" <<-EOF2
log: { level: info }
$(config_base nodebk node-b)
roles:
  maf: { as: enrolee-b, name: node-b.test, listen: "127.0.0.1:0",
         dtls-listen: "127.0.0.1:0", mef-url: "https://$KMSRV" }
EOF2
start nodebk || { echo "Bail out! Enrolee B (mef-url) did not start"; sed 's/^/# /' "$tmp/nodebk.log"; exit 1; }
NBL=$(ready_value nodebk maf.enrolees)
NBD=$(ready_value nodebk maf.dtls)
nbctl() { ctl --socket "$tmp/run/nodebk.sock" onem2m "$@"; }
nb_status() { "$E2MCTL" --socket "$tmp/run/nodebk.sock" status | grep '^role=maf'; }
# mefk_reload KEY-LIFETIME MAF-CLIENTS [ENROLEE-B-CLIENTS]: by SIGHUP
mefk_reload() {
	local n
	n=$(grep -c "event=reloaded" "$tmp/mefk.log")
	write_mefk "$@"
	kill -HUP "${pid[mefk]}"
	wait_log mefk "event=reloaded" $((n + 1))
}

nbctl km-fetch --ke-id "$KEIDN" --enrolee-id CAE-3
[ $status = 0 ] && [ -z "$err" ] &&
	[ "${out% expires=*}" = "kpsa_id=$KPSAID ke_id=$KEIDN enrolee_id=CAE-3" ] &&
	wait_log nodebk "level=info role=maf event=km-fetched kpsa-id=\"$KPSAID\" ke-id=\"$KEIDN\" enrolee-id=CAE-3$" 1 &&
	wait_log mefk "level=info role=mef event=kpsa-issued ke-id=\"$KEIDN\" enrolee-id=CAE-3 enrolee-b=node-b peer=node-b$" 2 &&
	! grep -qi "$KPSA" "$tmp/nodebk.log"
result $((! $?)) "Enrolee B as e2md (as: enrolee-b, mef-url) fetches Kpsa of (KeId, CAE-3): Kpsa-Id $KPSAID, onem2m-ids', no key logged" \
	"$out $err" "$(tail -2 "$tmp/nodebk.log")"
nbctl km-list
KPSAROW="km_id=$KPSAID ke_id=$KEIDN enrolee_id=CAE-3 expires=$KPSAEXP"
[ $status = 0 ] && [ "$out" = "$KPSAROW" ]
result $((! $?)) "km-list: Kpsa-Id, KeId, Enrolee-ID and the MEF's expiry $KPSAEXP; no Kpsa" "$out" "want: $KPSAROW"

# A Kpsa of a Ke of 2 s, for the restart below (the wait overlaps the
# checks between).
mefk_reload 2 ""
eectl enrol --mef-uri "https://$MEFK" --mef mef.test --kpm-id kpm-nb
KEIDS=$(field ke_id)
nbctl km-fetch --ke-id "$KEIDS" --enrolee-id CAE-3
fetched_at=$(date +%s.%N)
[ $status = 0 ] && wait_log nodebk "event=km-fetched kpsa-id=.* ke-id=\"$KEIDS\" enrolee-id=CAE-3$" 1 &&
	nb_status | grep -q " fetched=2 fetch-failed=0 kms=2 "
result $((! $?)) "a Kpsa of a Ke of 2 s fetched: 2 Kpsas held" "$(tail -1 "$tmp/nodebk.log")" "$(nb_status)"
mefk_reload 600 "" node-c

# expect_nb WHAT STATUS TOKEN KEID ENROLEE-ID: the MEF refuses Enrolee B's
# fetch with STATUS TOKEN; km-fetch-failed logged with them; nothing stored
# (km-list: the first Kpsa, and the one of 2 s until it expires)
expect_nb() {
	local what=$1 code=$2 token=$3 n m
	n=$(grep -c "event=km-fetch-failed" "$tmp/nodebk.log")
	m=$(grep -c "event=kpsa-refused status=$code error=$token .*peer=node-b$" "$tmp/mefk.log")
	nbctl km-fetch --ke-id "$4" --enrolee-id "$5"
	[ $status = 1 ] && [ -z "$out" ] &&
		[[ "$err" == "e2mctl: onem2m km-fetch: the MEF answered $code $token: "?* ]] &&
		wait_log nodebk "event=km-fetch-failed" $((n + 1)) &&
		[ "$(grep "event=km-fetch-failed" "$tmp/nodebk.log" | tail -1 |
		     sed 's/^e2md\[[0-9]*\]: //; s/ detail=.*//')" = \
		  "level=warning role=maf event=km-fetch-failed ke-id=\"$4\" enrolee-id=$5 status=$code error=$token" ] &&
		wait_log mefk "event=kpsa-refused status=$code error=$token .*peer=node-b$" $((m + 1)) &&
		nbctl km-list && [ "$(grep -v " ke_id=$KEIDS " <<< "$out")" = "$KPSAROW" ]
	result $((! $?)) "Enrolee B's km-fetch, $what: exit 1 with the MEF's $code $token, logged, nothing stored" \
		"$out $err" "$(tail -1 "$tmp/nodebk.log")" "$(grep kpsa-refused "$tmp/mefk.log" | tail -1)"
}
expect_nb "node-b no longer in enrolee-b-clients (SIGHUP)" 403 forbidden "$KEIDN" CAE-3
grep "event=km-fetch-failed" "$tmp/nodebk.log" | tail -1 | grep -q ' detail="client not in mef.enrolee-b-clients"$'
result $((! $?)) "and the MEF's detail logged: client not in mef.enrolee-b-clients" "$(tail -1 "$tmp/nodebk.log")"
mefk_reload 600 ""
expect_nb "another Enrolee-ID" 403 not-configured "$KEIDN" CAE-1
expect_nb "a Ke configured for a MAF" 403 not-configured "$KEIDK" CAE-1
expect_nb "an unknown KeId" 404 unknown-ke "AAAAAAAAAAAAAAAAAAAAAA==@mef.test" CAE-3

# The Enrolee's association with it: e2mctl (TLS and DTLS), s_client.
for via in "$NBL" "$NBD --dtls"; do
	eectl associate --ke-id "$KEIDN" --connect $via --target node-b.test
	want=$(lines target=enrolee-b target_id=node-b key_id="$KPSAID" ke_id="$KEIDN" enrolee_id=CAE-3 \
		tls=$([ "${via#* }" = --dtls ] && echo DTLSv1.2 || echo TLSv1.2) cipher=PSK-AES128-CCM8 status=200)
	[ $status = 0 ] && [ "$out" = "$want" ]
	result $((! $?)) "e2mctl onem2m associate with the e2md Enrolee B ($via): Kpsa-Id, 200, its exact lines" \
		"$out" "$err" "want: $want"
done
# (s_client's own list has no CCM8 suite: -cipher offers both.)
MAFL=$NBL assoc "$KPSAID" "$KPSA" -tls1_2 -cipher PSK-AES128-GCM-SHA256:PSK-AES128-CCM8
[ "$code" = 200 ] && [ "${body%closed}" = "{\"kpsa-id\":\"$KPSAID\",\"enrolee-id\":\"CAE-3\",\"ke-id\":\"$KEIDN\"}" ] &&
	grep -q "Cipher is PSK-AES128-CCM8$" "$tmp/response"
result $((! $?)) "s_client -tls1_2 -psk_identity Kpsa-Id -psk Kpsa with the e2md Enrolee B: 200, its Kpsa-Id, CAE-3, KeId; PSK-AES128-CCM8 (the server's order)" \
	"$code $body" "$tls"
MAFD=$NBD dtls_assoc "$KPSAID" "$KPSA" -cipher PSK-AES128-GCM-SHA256:PSK-AES128-CCM8
[ "$code" = 200 ] && [ "${body%closed}" = "{\"kpsa-id\":\"$KPSAID\",\"enrolee-id\":\"CAE-3\",\"ke-id\":\"$KEIDN\"}" ] &&
	grep -q "Protocol *: DTLSv1.2" "$tmp/response" && grep -q "Cipher is PSK-AES128-CCM8$" "$tmp/response"
result $((! $?)) "s_client -dtls1_2 -psk_identity Kpsa-Id -psk Kpsa: 200, the same, PSK-AES128-CCM8" "$code $body" "$tls"
MAFL=$NBL assoc "$KPSAID" "$(hex32)" -tls1_2
[ -z "$code" ] && wait_log nodebk "event=tls-refused .*psk-identity=\"$KPSAID\"" 1
result $((! $?)) "s_client with another Kpsa under the Kpsa-Id: the handshake fails, logged" "$code" "$tls"
# Once the Ke of 2 s has expired (the checks above took that long, or
# nearly): its Kpsa no longer counted.
sleep "$(echo "$fetched_at + 2.2 - $(date +%s.%N)" | bc | sed 's/^-.*/0/')"
nb_status > "$tmp/status"
grep -q "^role=maf enrolees=$NBL dtls=$NBD requests=4 km-lookups=5 fetched=2 fetch-failed=4 kms=1 dtls-sessions=[0-2] dtls-dropped=0\$" "$tmp/status"
result $((! $?)) "status: requests=4 (2 over TLS, 2 over DTLS) km-lookups=5 fetched=2 fetch-failed=4 kms=1 (the Kpsa of 2 s expired)" "$(cat "$tmp/status")"

# Restarted: the expired Kpsa purged at start, the other still in use
# with no new fetch; the MEF's 404 expired-ke.
stop nodebk
result $((stop_status == 0)) "Enrolee B (mef-url) stops cleanly"
start nodebk || { echo "Bail out! Enrolee B (mef-url) did not start again"; sed 's/^/# /' "$tmp/nodebk.log"; exit 1; }
NBL=$(ready_value nodebk maf.enrolees)
NBD=$(ready_value nodebk maf.dtls)
nbctl km-list
[ $status = 0 ] && [ "$out" = "$KPSAROW" ] &&
	wait_log nodebk "level=info role=maf event=kms-purged .*1 expired Kms removed" 1
result $((! $?)) "restarted after the short Kpsa expired: purged at start, km-list the other alone" \
	"$out" "$(grep kms-purged "$tmp/nodebk.log")"
expect_nb "an expired Ke" 404 expired-ke "$KEIDS" CAE-3
MAFL=$NBL assoc "$KPSAID" "$KPSA" -tls1_2
[ "$code" = 200 ] && [ "$(json_member kpsa-id)" = "$KPSAID" ] &&
	[ "$(grep -c "event=kpsa-issued ke-id=\"$KEIDN\"" "$tmp/mefk.log")" = 2 ]
result $((! $?)) "restarted, no new fetch: s_client's association with Kpsa-Id $KPSAID is up (200), Kpsa from the store" \
	"$code $body" "$tls"
# as: is kept across SIGHUP: the keys held are Kpsas.
sed -i 's/as: enrolee-b, name: node-b.test/as: maf, name: node-b.test/' "$tmp/nodebk.yaml"
kill -HUP "${pid[nodebk]}"
wait_log nodebk "roles.maf.as changed: restart e2md to apply it; keeping the old configuration" 1 &&
	MAFL=$NBL assoc "$KPSAID" "$KPSA" -tls1_2 && [ "$code" = 200 ] &&
	[ "$(json_member kpsa-id)" = "$KPSAID" ]
result $((! $?)) "as: changed by SIGHUP: needs a restart, Kpsa-Id $KPSAID still served" \
	"$(grep -i "restart\|reload" "$tmp/nodebk.log" | tail -2)" "$code $body"
stop nodebk
cat "$tmp/nodebk.db"* | xxd -p | tr -d '\n' > "$tmp/nodebk-store.hex"
[ $stop_status = 0 ] && ! grep -q "Sanitizer\|runtime error" "$tmp/nodebk.log" &&
	! grep -qi "$KPSA" "$tmp/nodebk-store.hex" && ! grep -qi "${KPSA:0:32}" "$tmp/nodebk-store.hex"
result $((! $?)) "Enrolee B stops cleanly; Kpsa is not in its store files in the clear" "$(tail -3 "$tmp/nodebk.log")"
