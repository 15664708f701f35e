# SPDX-License-Identifier: GPL-2.0
#
# The MAF's GBA listener over DTLS 1.2 (roles.maf.gba-dtls-listen;
# sourced by onem2m_gba.sh after onem2m_gba_hs.sh, whose MAF, BSF, UEs
# and helpers it uses): the handshake of gba-listen on UDP, its key the
# NAF key of the B-TID pulled over Zn (daemon/gba_zn_key.h) while the
# DTLS session's job waits. The Enrolee is openssl s_client -dtls1_2
# with the UE's key from e2mctl naf-key (a peer nobody here wrote), and
# e2mctl onem2m associate --dtls --btid-identity: 200 with the exact
# answer, Km kept (via=handshake), -uicc with Ks_int_NAF; an unknown
# B-TID, a USS entry without flag 1, -uicc on GBA_ME, a non-GBA
# identity and the BSF stopped each fail the handshake with the
# unknown_psk_identity alert and tls-refused with the reason, a wrong
# key with dtls-timeout (DTLS drops its records), nothing stored. The
# status counters move by exactly what was done (requests now count
# the DTLS listeners' requests). Last, the BSF is restarted for
# onem2m_gba_b.sh.

MAFGD=$(ready_value mafg maf.gba-dtls)
# gdtls BTID PSK [HINT [ARGS...]]: s_client -dtls1_2 on gba-dtls-listen
gdtls() {
	local btid=$1 psk=$2 hint=${3:-3GPP-bootstrapping}
	shift 3 2> /dev/null || shift $#
	MAFD=$MAFGD dtls_assoc "$hint$btid" "$psk" "$@"
}
# grefused BTID REASON [HINT]: the alert at s_client, tls-refused at the MAF
grefused() {
	[ -z "$code" ] && grep -qi "alert unknown psk identity" "$tmp/tls" &&
		wait_log mafg "event=tls-refused peer=127.0.0.1:[0-9]* alert=\"unknown PSK identity\" psk-identity=\"${3:-3GPP-bootstrapping}$1\" reason=\"$2\"$" 1
}
gstatus() { "$E2MCTL" --socket "$tmp/run/mafg.sock" status | grep '^role=maf'; }
counter() {	# NAME: its value in the MAF's status line
	gstatus | sed -n "s/.* $1=\([0-9]*\).*/\1/p"
}
# Before it: onem2m_gba_hs.sh's 3 GBA handshakes and 9 pulls, and
# onem2m_gba_uicc.sh's 2 and 3.
R0=$(counter requests) H0=$(counter gba-handshakes) P0=$(counter gba-pulls)
result $((${#MAFGD} > 0 && ${#R0} > 0 && H0 == 5 && P0 == 12)) \
	"gba-dtls-listen on UDP $MAFGD beside gba-listen (requests=$R0 so far)" "$(gstatus)"

subscriber 8 '[{"naf":"maf.test","flags":[1]}]'
BT8=$(field btid)
gba_km 8
KM8=$km KMID8=$kmid KEXP8=$kexp
fetched8() { grep -c "event=km-fetched km-id=\"$KMID8\" btid=\"$BT8\" enrolee-id=ue8@home1.net via=handshake$" "$tmp/mafg.log"; }

timeouts=$(grep -c "event=dtls-timeout peer=127.0.0.1:[0-9]* psk-identity=\"3GPP-bootstrapping$BT8\" reason=\"handshake not finished (a wrong key?)\"" "$tmp/mafg.log")
gdtls "$BT8" "$KM6"
[ -z "$code" ] &&
	wait_log mafg "event=dtls-timeout peer=127.0.0.1:[0-9]* psk-identity=\"3GPP-bootstrapping$BT8\" reason=\"handshake not finished (a wrong key?)\"" $((timeouts + 1)) &&
	[ "$(kms_for "$BT8")" = 0 ]
result $((! $?)) "DTLS GBA: UE 8's B-TID with another UE's key: no handshake (records dropped), dtls-timeout, nothing stored" \
	"$code" "$tls" "$(tail -2 "$tmp/mafg.log")"

# The body as the MAF writes it (s_client then prints "closed").
want_body="{\"km-id\":\"$KMID8\",\"enrolee-id\":\"ue8@home1.net\",\"ke-id\":\"$BT8\"}"
gdtls "$BT8" "$KM8"
[ "$code" = 200 ] && [ "${body%closed}" = "$want_body" ] &&
	grep -q "Protocol *: DTLSv1.2" "$tmp/response" &&
	grep -q "Cipher is PSK-AES128-GCM-SHA256$" "$tmp/response" &&
	wait_log mafg "level=info role=maf event=km-fetched km-id=\"$KMID8\" btid=\"$BT8\" enrolee-id=ue8@home1.net via=handshake$" 1 &&
	mafgctl km-list &&
	grep -q "^km_id=$KMID8 ke_id=$BT8 enrolee_id=ue8@home1.net expires=$KEXP8\$" <<< "$out" &&
	! grep -q "$KM8" "$tmp/mafg.log"
result $((! $?)) "s_client -dtls1_2 -psk_identity 3GPP-bootstrapping<B-TID> -psk Ks_NAF: Km pulled in the paused handshake, the exact 200, kept" \
	"$code $body" "want $want_body" "$tls" "$(tail -2 "$tmp/mafg.log")"
gdtls "$BT8" "$KM8" "" -cipher PSK-AES128-GCM-SHA256:PSK-AES128-CCM8
[ "$code" = 200 ] && [ "${body%closed}" = "$want_body" ] && grep -q "Cipher is PSK-AES128-CCM8$" "$tmp/response" &&
	wait_log mafg "event=km-fetched km-id=\"$KMID8\" btid=\"$BT8\" " 2
result $((! $?)) "DTLS GBA: a client offering GCM before CCM8 gets CCM8 (the MAF's order), 200" "$code $body" "$tls"

uectl onem2m associate --iccid ${ICCID}8 --connect "$MAFGD" --target maf.test --btid-identity --dtls
[ $status = 0 ] && [ -z "$err" ] && [ "$out" = "$(printf '%s\n' target=maf \
	target_id=maf.test key_id=$KMID8 ke_id=$BT8 tls=DTLSv1.2 \
	cipher=PSK-AES128-CCM8 status=200)" ] &&
	wait_log mafg "event=km-fetched km-id=\"$KMID8\" btid=\"$BT8\" " 3
result $((! $?)) "e2mctl onem2m associate --iccid --btid-identity --dtls: the MAF pulls Km in the DTLS handshake, 200" "$out" "$err"

gdtls "$BTU" "$KINT" 3GPP-bootstrapping-uicc
[ "$code" = 200 ] && [ "${body%closed}" = "{\"km-id\":\"$KMIDU\",\"enrolee-id\":\"ue3@home1.net\",\"ke-id\":\"$BTU\"}" ] &&
	wait_log mafg "event=km-fetched km-id=\"$KMIDU\" btid=\"$BTU\" enrolee-id=ue3@home1.net naf-key=ks-int-naf via=handshake$" 2
result $((! $?)) "DTLS GBA: 3GPP-bootstrapping-uicc<B-TID> of a GBA_U bootstrap: Km = Ks_int_NAF, 200" "$code $body" "$tls"

# Refusals before the key is used: UE 8's key stands in.
mafgctl km-list
kms_before=$out
gdtls "$UNKNOWN" "$KM8"
grefused "$UNKNOWN" "unknown B-TID"
result $((! $?)) "DTLS GBA: an unknown B-TID: unknown_psk_identity, tls-refused" "$code" "$tls"
gdtls "$BT4" "$KM8"
grefused "$BT4" "the USS entry lacks flag 1 (association)"
result $((! $?)) "DTLS GBA: a USS entry without flag 1 (the BSF answered): unknown_psk_identity, tls-refused" "$code" "$tls"
gdtls "$BT8" "$KM8" 3GPP-bootstrapping-uicc
grefused "$BT8" "a -uicc identity on a GBA_ME bootstrap" 3GPP-bootstrapping-uicc
result $((! $?)) "DTLS GBA: -uicc on a GBA_ME bootstrap: unknown_psk_identity, tls-refused" "$code" "$tls"
MAFD=$MAFGD dtls_assoc "$KMID8" "$KM8"
[ -z "$code" ] && grep -qi "alert unknown psk identity" "$tmp/tls" &&
	wait_log mafg "event=tls-refused peer=127.0.0.1:[0-9]* alert=\"unknown PSK identity\" psk-identity=\"$KMID8\" reason=\"not a GBA identity\"$" 1
result $((! $?)) "DTLS GBA: psk_identity = a Km-Id (not a GBA identity): refused, no Zn call" "$code" "$tls"
mafgctl km-list
[ "$out" = "$kms_before" ] && ! grep -q "ke_id=$BT4 \|ke_id=$UNKNOWN " <<< "$out" &&
	[ "$(kms_for "$BT8")" = 1 ] && [ "$(fetched8)" = 3 ]
result $((! $?)) "DTLS GBA: nothing stored by those four refusals" "$out"

gstatus > "$tmp/status"
grep -q " requests=$((R0 + 4)) .* dtls-held-back=[0-9]* gba-handshakes=$((H0 + 4)) gba-pulls=$((P0 + 8))\( \|\$\)" "$tmp/status" &&
	grep -q "^role=maf .* gba-dtls=$MAFGD .* dtls-sessions=0 " "$tmp/status"
result $((! $?)) "MAF status: requests +4 (the DTLS associations), gba-handshakes +4, gba-pulls +8 (one per handshake that named a GBA identity); dtls-held-back shown" \
	"$(cat "$tmp/status")" "want requests=$((R0 + 4)) gba-handshakes=$((H0 + 4)) gba-pulls=$((P0 + 8))"

# Another gba-dtls-listen by SIGHUP: a restart key, the old one kept.
cp "$tmp/mafg.yaml" "$tmp/mafg.yaml.keep"
sed -i 's/gba-dtls-listen: "127.0.0.1:0"/gba-dtls-listen: "127.0.0.1:1"/' "$tmp/mafg.yaml"
kill -HUP "${pid[mafg]}"
wait_log mafg "roles.maf.gba-dtls-listen changed: restart e2md to apply it; keeping the old configuration" 1 &&
	gstatus | grep -q " gba-dtls=$MAFGD "
result $((! $?)) "gba-dtls-listen changed by SIGHUP: needs a restart, the listener kept" "$(tail -1 "$tmp/mafg.log")"
mv "$tmp/mafg.yaml.keep" "$tmp/mafg.yaml"

# Zn down: the BSF stopped, its Zn refuses connections.
stop bsfg
gdtls "$BT8" "$KM8"
grefused "$BT8" "BSF unavailable" && [ "$(fetched8)" = 3 ] && [ "$(kms_for "$BT8")" = 1 ] &&
	[ "$(counter gba-pulls)" = $((P0 + 9)) ] && [ "$(counter gba-handshakes)" = $((H0 + 4)) ] &&
	[ "$(counter requests)" = $((R0 + 4)) ]
result $((! $?)) "DTLS GBA, the BSF stopped: BSF unavailable, unknown_psk_identity, nothing stored, one more pull, no request" \
	"$code" "$tls" "$(tail -2 "$tmp/mafg.log")" "$(gstatus)"
start bsfg || { echo "Bail out! the BSF did not start again"; sed 's/^/# /' "$tmp/bsfg.log"; exit 1; }
UBG=$(ready_value bsfg bsf.ub)
