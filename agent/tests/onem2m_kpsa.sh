# SPDX-License-Identifier: GPL-2.0
#
# Enrolee B (tests/onem2m_km.sh sources this with the MEF mefk running,
# km-listen on $KMSRV, enrolee-b-clients [node-b, node-c]): Enrolee B
# fetches Kpsa of an Enrolee's Ke configured for it (e2mctl onem2m
# kpsa-fetch, mutual TLS with its certificate), refused with its status
# and token for a client not in enrolee-b-clients and another Enrolee B; then openssl s_server plays Enrolee B with the Kpsa-Id
# and Kpsa it got, and the Enrolee (e2mctl onem2m associate, from its
# own store's Ke) opens the TLS 1.2 PSK association with it; then the
# same over DTLS 1.2 with s_server -dtls1_2. Then Enrolee B as an e2md
# role (tests/onem2m_kpsa_role.sh).

mefkctl kpm-add --kpm-id kpm-nb --keys <(echo kpm=$KPMK) --enrolee-id CAE-3 --enrolee-b-id node-b
eectl kpm-add --kpm-id kpm-nb --keys <(echo kpm=$KPMK) --enrolee-id CAE-3 --enrolee-b-id node-b
eectl enrol --mef-uri "https://$MEFK" --mef mef.test --kpm-id kpm-nb --show-key
KEN=$(field ke) KEIDN=$(field ke_id)
result $((status == 0 && ${#KEN} == 64)) "the Enrolee CAE-3 enrols with kpm-nb, configured for Enrolee B node-b: KeId $KEIDN" "$err"
ctl onem2m-ids --ke "$KEN" --mef mef.test --maf-id maf-1 --enrolee-id CAE-3 --enrolee-b-id node-b --target node-b.test
KPSA=$(field kpsa) KPSAID=$(field kpsa_id)

# kpsa CLIENT KEID ENROLEE-ID: e2mctl onem2m kpsa-fetch as CLIENT
kpsa() {
	ctl onem2m kpsa-fetch --mef-url "https://$KMSRV" --ke-id "$2" --enrolee-id "$3" \
		--name node-b.test --cert "$tmp/$1.crt" --key "$tmp/$1.key" --ca "$tmp/ca.crt" --show-key
}
kpsa node-b "$KEIDN" CAE-3
KPSAEXP=$(field expires)
[ $status = 0 ] && [ "$(field kpsa)" = "$KPSA" ] && [ "$(field kpsa_id)" = "$KPSAID" ] &&
	[ "$(field ke_id)" = "$KEIDN" ] && [ -n "$(field expires)" ] &&
	wait_log mefk "level=info role=mef event=kpsa-issued ke-id=\"$KEIDN\" enrolee-id=CAE-3 enrolee-b=node-b peer=node-b$" 1 &&
	! grep -q "$KPSA" "$tmp/mefk.log"
result $((! $?)) "Enrolee B node-b gets Kpsa of (KeId, CAE-3): onem2m-ids' Kpsa and Kpsa-Id $KPSAID, logged without a key" \
	"$out $err" "$(grep kpsa- "$tmp/mefk.log" | tail -2)"

# expect_kpsa WHAT STATUS TOKEN CLIENT KEID ENROLEE-ID
expect_kpsa() {
	local what=$1 code=$2 token=$3
	shift 3
	kpsa "$@"
	[ $status = 1 ] && [ -z "$out" ] &&
		grep -q "^e2mctl: onem2m kpsa-fetch: the MEF answered $code $token" <<< "$err" &&
		wait_log mefk "level=warning role=mef event=kpsa-refused status=$code error=$token .*peer=$1$" 1
	result $((! $?)) "kpsa-fetch, $what: $code $token, logged, no key" "$err" \
		"$(grep kpsa-refused "$tmp/mefk.log" | tail -1)"
}
expect_kpsa "a client not in enrolee-b-clients (maf-1)" 403 forbidden maf-1 "$KEIDN" CAE-3
expect_kpsa "another Enrolee B (node-c, listed, not configured for this Enrolee)" 403 not-configured \
	node-c "$KEIDN" CAE-3
# (Another Enrolee-ID, a Ke configured for a MAF, an unknown KeId and an
# expired Ke: onem2m_kpsa_role.sh, through the e2md Enrolee B.)

# openssl s_server as Enrolee B, with what kpsa-fetch gave it.
openssl s_server -accept 127.0.0.1:0 -nocert -tls1_2 -www \
	-cipher PSK-AES128-CCM8:PSK-AES128-GCM-SHA256 \
	-psk_identity "$KPSAID" -psk "$KPSA" > "$tmp/s_server" 2>&1 &
sserver=$!
for i in $(seq 100); do grep -qs '^ACCEPT' "$tmp/s_server" && break; sleep 0.05; done
SPORT=$(sed -n 's/^ACCEPT 127.0.0.1://p' "$tmp/s_server")
eectl associate --ke-id "$KEIDN" --connect "127.0.0.1:$SPORT" --target node-b.test --path /
[ $status = 0 ] && [ "$(field target)" = enrolee-b ] && [ "$(field target_id)" = node-b ] &&
	[ "$(field key_id)" = "$KPSAID" ] && [ "$(field tls)" = TLSv1.2 ] &&
	[ "$(field status)" = 200 ] && ! grep -q "PSK warning" "$tmp/s_server"
result $((! $?)) "the Enrolee's TLS 1.2 PSK association with s_server as Enrolee B (Kpsa-Id, Kpsa): up, 200" \
	"$out" "$err" "$(cat "$tmp/s_server")"
kill "$sserver"; wait "$sserver" 2> /dev/null
rm -f "$tmp/s_server"
# The same Kpsa from the Ke, handed to an application (uid 65534).
eectl handoff --ke-id "$KEIDN" --target node-b.test --uid 65534
[ $status = 0 ] && [ "$(field key_id)" = "$KPSAID" ] && [ "$(field uid)" = 65534 ] &&
	[ "$(handed 65534 "$KPSAID")" = "$KPSA" ] &&
	as_uid 65534 keyctl unlink "$(field serial)" > /dev/null
result $((! $?)) "onem2m handoff --ke-id: uid 65534 reads the Kpsa, from its persistent keyring" "$out" "$err"
openssl s_server -accept 127.0.0.1:0 -nocert -tls1_2 -www \
	-psk_identity "$KPSAID" -psk "$(hex32)" > "$tmp/s_server" 2>&1 &
sserver=$!
for i in $(seq 100); do grep -qs '^ACCEPT' "$tmp/s_server" && break; sleep 0.05; done
SPORT=$(sed -n 's/^ACCEPT 127.0.0.1://p' "$tmp/s_server")
eectl associate --ke-id "$KEIDN" --connect "127.0.0.1:$SPORT" --target node-b.test --path /
[ $status = 1 ] && [ -z "$out" ] && grep -q "^e2mctl: onem2m associate: TLS handshake failed" <<< "$err"
result $((! $?)) "an Enrolee B with another Kpsa: the handshake fails" "$err"
kill "$sserver"; wait "$sserver" 2> /dev/null

# openssl s_server -dtls1_2 as Enrolee B (UDP). It has no -www over DTLS:
# it prints what it reads and sends what its stdin gives, so a responder
# writes the answer into its stdin (a fifo) once the request is in.
# -debug prints the identity the Enrolee named, as s_server's PSK
# callback saw it.
dtls_sserver() {	# PSK: s_server on $SPORT, its output in $tmp/s_server
	rm -f "$tmp/s_server" "$tmp/s_in"
	mkfifo "$tmp/s_in"
	exec 7<> "$tmp/s_in"
	openssl s_server -dtls1_2 -accept 127.0.0.1:0 -nocert -debug \
		-cipher PSK-AES128-CCM8:PSK-AES128-GCM-SHA256 \
		-psk_identity "$KPSAID" -psk "$1" -psk_hint node-b.test \
		< "$tmp/s_in" > "$tmp/s_server" 2>&1 &
	sserver=$!
	for i in $(seq 100); do grep -qs '^ACCEPT' "$tmp/s_server" && break; sleep 0.05; done
	SPORT=$(sed -n 's/^ACCEPT 127.0.0.1://p' "$tmp/s_server")
	(for i in $(seq 100); do
		grep -qa '^GET / HTTP/1.1' "$tmp/s_server" && break
		sleep 0.05
	done
	printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nEnrolee B' >&7) &
	responder=$!
}
dtls_sserver_stop() {
	kill "$sserver" "$responder" 2> /dev/null
	wait "$sserver" "$responder" 2> /dev/null
	exec 7>&-
	rm -f "$tmp/s_in"
}
dtls_sserver "$KPSA"
# s_server never sends close_notify: the answer ends at its Content-Length,
# long before --timeout 20.
started=$(date +%s)
eectl associate --ke-id "$KEIDN" --connect "127.0.0.1:$SPORT" --dtls --target node-b.test --path / --timeout 20
took=$(($(date +%s) - started))
[ $status = 0 ] && [ $took -lt 10 ] && [ "$(field target)" = enrolee-b ] && [ "$(field target_id)" = node-b ] &&
	[ "$(field key_id)" = "$KPSAID" ] && [ "$(field tls)" = DTLSv1.2 ] &&
	[ "$(field cipher)" = PSK-AES128-CCM8 ] && [ "$(field status)" = 200 ] &&
	grep -qax "identity_len=${#KPSAID} identity=$KPSAID" "$tmp/s_server" &&
	grep -qax "PSK client identity found" "$tmp/s_server" &&
	grep -qax "CIPHER is PSK-AES128-CCM8" "$tmp/s_server" &&
	grep -qax $'Host: node-b.test\r' "$tmp/s_server" &&
	! grep -qa "PSK warning" "$tmp/s_server"
result $((! $?)) "the Enrolee's DTLS 1.2 PSK association with s_server -dtls1_2 as Enrolee B: s_server saw identity $KPSAID, PSK-AES128-CCM8, 200 (in $took s, no close_notify awaited)" \
	"$out" "$err" "$(grep -av '^0[0-9a-f]\{3\} - ' "$tmp/s_server")"
dtls_sserver_stop
dtls_sserver "$(hex32)"
eectl associate --ke-id "$KEIDN" --connect "127.0.0.1:$SPORT" --dtls --target node-b.test --path / --timeout 2
[ $status = 1 ] && [ -z "$out" ] && grep -q "^e2mctl: onem2m associate: TLS handshake failed" <<< "$err" &&
	grep -qax "identity_len=${#KPSAID} identity=$KPSAID" "$tmp/s_server" &&
	! grep -qa "^CIPHER is\|^GET " "$tmp/s_server"
result $((! $?)) "DTLS, an Enrolee B with another Kpsa: the handshake fails (no session at s_server)" \
	"$err" "$(grep -av '^0[0-9a-f]\{3\} - ' "$tmp/s_server")"
dtls_sserver_stop
eectl associate --ke-id "AAAAAAAAAAAAAAAAAAAAAA==@mef.test" --connect "127.0.0.1:$SPORT" --target node-b.test
[ $status = 1 ] && [ "$err" = "e2mctl: onem2m associate: no Ke of KeId AAAAAAAAAAAAAAAAAAAAAA==@mef.test in the store" ]
result $((! $?)) "associate with a KeId the Enrolee does not hold: refused" "$err"

. "$here/onem2m_kpsa_role.sh"
