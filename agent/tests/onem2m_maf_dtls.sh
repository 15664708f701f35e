# SPDX-License-Identifier: GPL-2.0
#
# The MAF's association over DTLS 1.2 (tests/onem2m_km.sh sources this
# once the MAF holds Km $KM of Km-Id $KMID and listens on UDP $MAFD with
# dtls-sessions: 2): openssl s_client -dtls1_2 as the Enrolee, both
# suites; a wrong Km, an unknown Km-Id refused; the cookie exchange
# (tests/dtls_cookie.py: a forged cookie and one replayed from another
# port get a HelloVerifyRequest, never a ServerHello); the bound of 2
# sessions with its refusal.

# dtls_assoc IDENTITY PSK [S_CLIENT-ARGS...]: GET the association over
# DTLS; $code ("" when the handshake failed), $body, $tls
dtls_assoc() {
	local identity=$1 psk=$2
	shift 2
	printf 'GET /onem2m/v1/association HTTP/1.1\r\nHost: maf.test\r\nConnection: close\r\n\r\n' |
		timeout 10 openssl s_client -dtls1_2 -connect "$MAFD" -ign_eof -nocommands \
		-psk_identity "$identity" -psk "$psk" "$@" \
		> "$tmp/response" 2> "$tmp/tls"
	code=$(sed -n 's/^HTTP\/1.1 \([0-9]*\) .*/\1/p' "$tmp/response" | tr -d '\r')
	body=$(sed -n '/^\r$/,$p' "$tmp/response" | tail -n +2)
	tls=$(cat "$tmp/tls" "$tmp/response" | grep -i 'cipher\|protocol\|alert\|error' | head -5)
}
maf_status() { "$E2MCTL" --socket "$tmp/run/maf.sock" status | grep '^role=maf'; }

for suite in PSK-AES128-CCM8 PSK-AES128-GCM-SHA256; do
	dtls_assoc "$KMID" "$KM" -cipher $suite
	[ "$code" = 200 ] && [ "$(json_member km-id)" = "$KMID" ] &&
		[ "$(json_member enrolee-id)" = CAE-1 ] &&
		[ "$(json_member ke-id)" = "$KEIDK" ] &&
		grep -q "Protocol *: DTLSv1.2" "$tmp/response" &&
		grep -q "Cipher is $suite\|Cipher *: $suite" "$tmp/response"
	result $((! $?)) "s_client -dtls1_2 -cipher $suite -psk_identity Km-Id -psk Km: the association is up (200)" \
		"$code $body" "$tls"
done
# The server's order (PROFILE.md 6), shared by the MEF (net/dtls_server.c).
dtls_assoc "$KMID" "$KM" -cipher PSK-AES128-GCM-SHA256:PSK-AES128-CCM8
[ "$code" = 200 ] && grep -q "Cipher is PSK-AES128-CCM8$" "$tmp/response"
result $((! $?)) "s_client -dtls1_2 offering GCM before CCM8: the MAF's order, PSK-AES128-CCM8" \
	"$code" "$tls"
refused="level=warning role=maf event=dtls-timeout peer=127.0.0.1:[0-9]* psk-identity=\"$KMID\" reason="
n=$(grep -c "$refused" "$tmp/maf.log")
dtls_assoc "$KMID" "$(hex32)"
[ -z "$code" ] && wait_log maf "$refused" $((n + 1))
result $((! $?)) "DTLS, a wrong Km: the handshake fails (records dropped), logged at its deadline" "$code" "$tls" "$(tail -2 "$tmp/maf.log")"
refused="level=warning event=psk-unknown psk-identity=\"AAAAAAAAAAAAAAAAAAAAAA==@maf.test\" reason=\"unknown PSK identity\""
n=$(grep -c "$refused" "$tmp/maf.log")
dtls_assoc "AAAAAAAAAAAAAAAAAAAAAA==@maf.test" "$KM"
[ -z "$code" ] && wait_log maf "$refused" $((n + 1))
result $((! $?)) "DTLS, an unknown Km-Id: the handshake fails as a wrong Km's" "$code" "$tls"

# e2mctl as the Enrolee: Km and Km-Id from the Ke in its store.
for via in "$MAFL" "$MAFD --dtls"; do
	eectl associate --ke-id "$KEIDK" --connect $via --target maf.test
	[ $status = 0 ] && [ "$(field target)" = maf ] && [ "$(field target_id)" = maf-1 ] &&
		[ "$(field key_id)" = "$KMID" ] && [ "$(field status)" = 200 ] &&
		[ "$(field tls)" = "$([ "${via#* }" = --dtls ] && echo DTLSv1.2 || echo TLSv1.2)" ]
	result $((! $?)) "e2mctl onem2m associate with the MAF ($via): Km-Id $KMID, 200" "$out" "$err"
done

# The cookie exchange, from our own sockets.
python3 "$here/dtls_cookie.py" "${MAFD%:*}" "${MAFD##*:}" > "$tmp/cookie" 2>&1
cookie_a=$(sed -n 's/^no-cookie A: hvr \([0-9a-f]*\)$/\1/p' "$tmp/cookie")
cookie_b=$(sed -n 's/^replayed-from-B: hvr \([0-9a-f]*\)$/\1/p' "$tmp/cookie")
[ ${#cookie_a} = 32 ]
result $((! $?)) "DTLS: a ClientHello without a cookie gets a HelloVerifyRequest, 16-octet cookie" "$(cat "$tmp/cookie")"
grep -qx "forged A: hvr" "$tmp/cookie"
result $((! $?)) "DTLS: a forged cookie is refused (a new HelloVerifyRequest, no ServerHello)" "$(cat "$tmp/cookie")"
[ ${#cookie_b} = 32 ] && [ "$cookie_b" != "$cookie_a" ]
result $((! $?)) "DTLS: A's cookie replayed from another port is refused (B's own cookie asked for)" "$(cat "$tmp/cookie")"
grep -qx "own-cookie A: server-hello" "$tmp/cookie"
result $((! $?)) "DTLS: A's cookie from A: the ServerHello (the check is the address's)" "$(cat "$tmp/cookie")"

# The bound: dtls-sessions 2. Wait for the cookie test's session to go.
for i in $(seq 60); do maf_status | grep -q " dtls-sessions=0 " && break; sleep 0.25; done
dropped=$(maf_status | sed -n 's/.* dtls-dropped=\([0-9]*\).*/\1/p')
holders=()
for i in 1 2; do
	sleep 6 | timeout 15 openssl s_client -dtls1_2 -connect "$MAFD" -nocommands \
		-psk_identity "$KMID" -psk "$KM" > "$tmp/holder$i" 2>&1 &
	holders+=($!)
done
for i in $(seq 60); do maf_status | grep -q " dtls-sessions=2 " && break; sleep 0.1; done
timeout 3 openssl s_client -dtls1_2 -connect "$MAFD" -nocommands \
	-psk_identity "$KMID" -psk "$KM" < /dev/null > "$tmp/third" 2>&1
after=$(maf_status | sed -n 's/.* dtls-dropped=\([0-9]*\).*/\1/p')
! grep -q "^Verification\|Cipher is" "$tmp/third" && [ "$after" -gt "$dropped" ] &&
	wait_log maf "level=warning role=maf event=dtls-full .*DTLS handshakes refused: 2 sessions held, the most" 1
result $((! $?)) "DTLS: 2 sessions held (dtls-sessions: 2), a third refused: dtls-full logged, dtls-dropped $dropped -> $after" \
	"$(maf_status)" "$(grep dtls-full "$tmp/maf.log")" "$(tail -3 "$tmp/third")"
for pid in "${holders[@]}"; do wait "$pid"; done
for i in $(seq 60); do maf_status | grep -q " dtls-sessions=0 " && break; sleep 0.25; done
grep -q "Cipher is PSK-AES128-" "$tmp/holder1" && maf_status | grep -q " dtls-sessions=0 "
result $((! $?)) "DTLS: the two holders closed (close_notify), no session left" "$(maf_status)" "$(cat "$tmp/holder1")"
dtls_assoc "$KMID" "$KM"
[ "$code" = 200 ]
result $((! $?)) "DTLS: once they are gone, the association is up again" "$code $body" "$(maf_status)"
