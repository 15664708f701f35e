# SPDX-License-Identifier: GPL-2.0
#
# The Km pull over DTLS 1.2 (tests/onem2m_km_pull.sh sources this once
# the MAF $MAFP with km-pull: true also listens on UDP $MAFPD, and
# defines km_pull_dtls_paused for its mute-MEF part): the handshake's
# job pauses in its PSK callback while the MAF asks the MEF
# (net/dtls_server.h), openssl s_client -dtls1_2 and e2mctl onem2m
# associate --dtls as the Enrolee. Counters exact: each handshake one
# km-lookup, each Km-Id not held one MEF call (km-pulls).

status_line() { "$E2MCTL" --socket "$tmp/run/mafp.sock" status | grep '^role=maf'; }
fetched_line() {	# KM-ID KE-ID: the km-fetched line of a handshake's pull
	echo "level=info role=maf event=km-fetched km-id=\"$1\" ke-id=\"$2\" enrolee-id=CAE-1 via=handshake$"
}
# A fresh Ke of kpm-k for maf-1 the MAF never saw: $KEIDF, $KMF, $KMIDF.
fresh_ke() {
	eectl enrol --mef-uri "https://$MEFK" --mef mef.test --kpm-id kpm-k --show-key
	KEIDF=$(field ke_id)
	ctl onem2m-ids --ke "$(field ke)" --mef mef.test --maf-id maf-1 --enrolee-id CAE-1 --target maf.test
	KMF=$(field km) KMIDF=$(field km_id)
}

# 5. s_client -dtls1_2 with the Km-Id and Km of a Ke the MAF never saw.
fresh_ke
KEIDD=$KEIDF KMD=$KMF KMIDD=$KMIDF
MAFD=$MAFPD dtls_assoc "$KMIDD" "$KMD"
[ "$code" = 200 ] && [ "$(json_member km-id)" = "$KMIDD" ] && [ "$(json_member ke-id)" = "$KEIDD" ] &&
	[ "$(json_member enrolee-id)" = CAE-1 ] &&
	grep -q "Protocol *: DTLSv1.2" "$tmp/response" && grep -q "Cipher is PSK-AES128-GCM-SHA256" "$tmp/response" &&
	[ "$(issued "$KMIDD")" = 1 ] && wait_log mafp "$(fetched_line "$KMIDD" "$KEIDD")" 1
result $((! $?)) "DTLS: s_client -dtls1_2 -psk_identity Km-Id -psk Km of a Ke the MAF never saw: the paused handshake pulls it, 200" \
	"$code $body" "$tls" "$(tail -2 "$tmp/mafp.log")"
mafpctl km-list
[ $status = 0 ] && [ "$(grep -c "^km_id=$KMIDD ke_id=$KEIDD enrolee_id=CAE-1 expires=[0-9TZ:-]*\$" <<< "$out")" = 1 ] &&
	[ "$(cut -d' ' -f1 <<< "$out" | sort)" = "$(printf 'km_id=%s\n' "$KMID" "$KMIDN" "$KMIDD" | sort)" ]
result $((! $?)) "DTLS: km-list holds the pulled Km under Km-Id $KMIDD once (and the two of TLS)" "$out"
status_line > "$tmp/status"
grep -q " km-lookups=8 fetched=3 fetch-failed=4 kms=3 dtls-sessions=0 dtls-dropped=0 km-pulls=7 dtls-held-back=[0-9]*\$" "$tmp/status"
result $((! $?)) "DTLS: status: one more lookup, MEF call (km-pulls=7) and kept Km (fetched=3, kms=3); no session left" \
	"$(cat "$tmp/status")"
MAFD=$MAFPD dtls_assoc "$KMIDD" "$KMD"
status_line > "$tmp/status"
[ "$code" = 200 ] && [ "$(json_member km-id)" = "$KMIDD" ] && [ "$(issued "$KMIDD")" = 1 ] &&
	[ "$(grep -c "event=km-fetched km-id=\"$KMIDD\"" "$tmp/mafp.log")" = 1 ] &&
	grep -q " km-lookups=9 fetched=3 fetch-failed=4 kms=3 .* km-pulls=7 " "$tmp/status"
result $((! $?)) "DTLS: a second s_client: 200 from the store, the MEF not asked (km-issued 1, km-pulls 7)" \
	"$code $body" "$(cat "$tmp/status")"

# e2mctl as the Enrolee over DTLS, a Ke the MAF never saw.
fresh_ke
eectl associate --ke-id "$KEIDF" --connect "$MAFPD" --dtls --target maf.test
[ $status = 0 ] && [ "$(field key_id)" = "$KMIDF" ] && [ "$(field status)" = 200 ] &&
	[ "$(field tls)" = DTLSv1.2 ] && [ "$(issued "$KMIDF")" = 1 ] &&
	wait_log mafp "$(fetched_line "$KMIDF" "$KEIDF")" 1
result $((! $?)) "DTLS: e2mctl onem2m associate --dtls with a MAF that holds no Km: pulled during the handshake, 200" \
	"$out" "$err" "$(tail -2 "$tmp/mafp.log")"

# Refusals over DTLS: unknown_psk_identity, both ends log, nothing kept.
pull_refused "DTLS, an unknown Km-Id" "CCCCCCCCCCCCCCCCCCCCCA==@maf.test" "$KMD" unknown-km-id \
	"the MEF knows no Ke of this Km-Id for this MAF (unknown-km-id)" dtls
ctl onem2m-ids --ke "$KE2" --mef mef.test --maf-id maf-2 --enrolee-id CAE-4 --target maf.test
pull_refused "DTLS, the Km-Id of a Ke configured for maf-2" "$(field km_id)" "$(field km)" unknown-km-id \
	"the MEF knows no Ke of this Km-Id for this MAF (unknown-km-id)" dtls
ctl onem2m-ids --ke "$KEX" --mef mef.test --maf-id maf-1 --enrolee-id CAE-1 --target maf.test
pull_refused "DTLS, the Km-Id of an expired Ke" "$(field km_id)" "$(field km)" expired-ke \
	"the Ke of this Km-Id has expired (expired-ke)" dtls
eectl associate --ke-id "$KEID2" --connect "$MAFPD" --dtls --target maf.test
[ $status = 1 ] && grep -q "TLS handshake failed" <<< "$err" &&
	wait_log mafp "event=tls-refused peer=127.0.0.1:[0-9]* alert=\"unknown PSK identity\" psk-identity=\"[^\"]*\" reason=\"the MEF knows no Ke" 5
result $((! $?)) "DTLS: e2mctl associate --dtls with that Ke (maf-2's) at maf-1: exit 1, the handshake failed, logged" \
	"$out" "$err" "$(tail -1 "$tmp/mafp.log")"
mafpctl km-list
[ "$(cut -d' ' -f1 <<< "$out" | sort)" = "$(printf 'km_id=%s\n' "$KMID" "$KMIDN" "$KMIDD" "$KMIDF" | sort)" ]
result $((! $?)) "DTLS: after the refusals km-list holds the four pulled Kms only" "$out"
status_line > "$tmp/status"
grep -q "^role=maf enrolees=$MAFP dtls=$MAFPD requests=6 km-lookups=14 fetched=4 fetch-failed=8 kms=4 dtls-sessions=0 dtls-dropped=0 km-pulls=12 dtls-held-back=[0-9]*\$" "$tmp/status"
result $((! $?)) "DTLS: status: 6 requests (3 over TLS, 3 in DTLS sessions), 14 lookups, 12 MEF calls, 4 kept, 8 failed, no session left" "$(cat "$tmp/status")"

# km_pull_dtls_paused: the MAF's MEF never answers. A DTLS session
# paused for its Km at its deadline (MAF_DTLS_DEADLINE, 8 s) ends, its
# MEF call cancelled: logged dtls-timeout, nothing kept or failed; the
# peer's retransmissions meanwhile held back (dropped, counted), no
# second MEF call. Then one paused when the MAF stops: it stops cleanly.
km_pull_dtls_paused() {
	local id="DDDDDDDDDDDDDDDDDDDDDA==@maf.test" held i
	MAFD=$MAFPD dtls_assoc "$id" "$KMD"
	status_line > "$tmp/status"
	held=$(sed -n 's/.* dtls-held-back=\([0-9]*\)$/\1/p' "$tmp/status")
	[ -z "$code" ] &&
		wait_log mafp "level=warning role=maf event=dtls-timeout peer=127.0.0.1:[0-9]* psk-identity=\"$id\" reason=\"its key did not come in time\"" 1 &&
		! grep -q "event=km-fetch.* km-id=\"$id\"" "$tmp/mafp.log" &&
		status_line | grep -q " fetch-failed=0 kms=4 dtls-sessions=0 dtls-dropped=0 km-pulls=2 dtls-held-back=[1-9][0-9]*\$"
	result $((! $?)) "DTLS: a session paused for its Km at its deadline ends, the MEF call cancelled; the peer's retransmissions meanwhile held back ($held), no second MEF call (km-pulls=2)" \
		"$code" "$tls" "$(cat "$tmp/status")" "$(tail -2 "$tmp/mafp.log")"
	printf 'GET /onem2m/v1/association HTTP/1.1\r\n\r\n' |
		timeout 15 openssl s_client -dtls1_2 -connect "$MAFPD" -ign_eof -nocommands \
		-psk_identity "EEEEEEEEEEEEEEEEEEEEEA==@maf.test" -psk "$KMD" > /dev/null 2>&1 &
	paused_client=$!
	for i in $(seq 100); do status_line | grep -q " km-pulls=3 " && break; sleep 0.05; done
	status_line | grep -q " dtls-sessions=1 .* km-pulls=3 "
	result $((! $?)) "DTLS: a second session paused for its Km (one session held, km-pulls=3)" "$(status_line)"
}
