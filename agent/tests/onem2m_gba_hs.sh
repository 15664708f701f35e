# SPDX-License-Identifier: GPL-2.0
#
# The association whose handshake pulls Km (TS-0003 8.3.3.1 with
# TS 33.222; sourced by onem2m_gba.sh, whose MAF, BSF, UEs and assoc it
# uses): the MAF's gba-listen takes psk_identity "3GPP-bootstrapping" ||
# B-TID (or "-uicc"), pulls the NAF key of that B-TID for maf.test ||
# FF 00 00 00 02 over Zn while the handshake waits, and keeps Km once
# the handshake proved it. The Enrolee is openssl s_client with the
# UE's key from e2mctl naf-key (a peer nobody here wrote): 200 with the
# Km stored for that B-TID (Km-Id from Python, Enrolee-ID the IMPI), the
# Km-Id listener then serving the same Km with no second pull; another
# UE's key, a GUSS without maf.test (403 naf-not-authorised), a USS
# entry without flag 1, an unknown and an expired B-TID, -uicc on a
# GBA_ME bootstrap, TLS 1.3: each fails the handshake with its reason
# logged and nothing stored. -uicc on a GBA_U one: Km = Ks_int_NAF.
# The expired bootstrap (UE 5, 2 s) in km-fetch and associate too.

MAFH=$(ready_value mafg maf.gba)
# on ADDR ARGS...: assoc (onem2m_km.sh's) against ADDR
on() {
	local addr=$1 keep=$MAFL
	shift
	MAFL=$addr
	assoc "$@"
	MAFL=$keep
}
# hs BTID PSK [HINT [ARGS...]]: s_client on gba-listen, TLS 1.2
hs() {
	local btid=$1 psk=$2 hint=${3:-3GPP-bootstrapping}
	shift 3 2> /dev/null || shift $#
	on "$MAFH" "$hint$btid" "$psk" -tls1_2 "$@"
}
# refused BTID REASON [N]: the handshake failed with that reason logged,
# and the MAF holds N Kms (0 unless said) for BTID, as before
refused() {
	[ -z "$code" ] &&
		wait_log mafg "event=tls-refused .*psk-identity=\"3GPP-bootstrapping[-uic]*$1\" reason=\"$2\"" 1 &&
		mafgctl km-list && [ "$(grep -c "ke_id=$1 " <<< "$out")" = "${3:-0}" ]
}
pulls() {	# BTID: the BSF's Zn answers for BTID and maf.test so far
	grep -c "event=naf-key btid=\"$1\" naf=maf.test " "$tmp/bsfg.log"
}

gba_km 6
KM6=$km KMID6=$kmid KEXP6=$kexp
hs "$BT6" "$km1"
refused "$BT6" "wrong key"
result $((! $?)) "gba-listen: UE 6's B-TID with another UE's key: the handshake fails, nothing stored" \
	"$code" "$tls $(grep tls-refused "$tmp/mafg.log" | tail -1)"
hs "$BT6" "$KM6" "" -cipher PSK-AES128-GCM-SHA256:PSK-AES128-CCM8
[ "$code" = 200 ] && [ "$(json_member km-id)" = "$KMID6" ] &&
	[ "$(json_member enrolee-id)" = ue6@home1.net ] && [ "$(json_member ke-id)" = "$BT6" ] &&
	grep -q "Cipher is PSK-AES128-CCM8$" "$tmp/response" &&
	wait_log mafg "level=info role=maf event=km-fetched km-id=\"$KMID6\" btid=\"$BT6\" enrolee-id=ue6@home1.net via=handshake$" 1 &&
	mafgctl km-list &&
	grep -q "^km_id=$KMID6 ke_id=$BT6 enrolee_id=ue6@home1.net expires=$KEXP6\$" <<< "$out" &&
	! grep -q "$KM6" "$tmp/mafg.log"
result $((! $?)) "s_client -psk_identity 3GPP-bootstrapping<B-TID> -psk Ks_NAF: Km pulled in the handshake, 200, kept (Km-Id $KMID6, the bootstrap's expiry)" \
	"$code $body $out" "$tls $(tail -2 "$tmp/mafg.log")"
n=$(pulls "$BT6")
on "$MAFG" "$KMID6" "$KM6" -tls1_2
[ "$code" = 200 ] && [ "$(json_member ke-id)" = "$BT6" ] && [ "$n" = 2 ] && [ "$(pulls "$BT6")" = 2 ]
result $((! $?)) "the kept Km then serves psk_identity = Km-Id, with no new pull ($n Zn answers: both handshakes)" \
	"$code $body" "$tls"
gba_km 2
hs "$BT2" "$km"
refused "$BT2" "the BSF refused the NAF (naf-not-authorised)" &&
	grep -q "event=zn-refused status=403 error=naf-not-authorised btid=\"$BT2\" naf=maf.test" "$tmp/bsfg.log"
result $((! $?)) "a GUSS without maf.test: the BSF's 403 naf-not-authorised, the handshake fails, nothing stored" \
	"$code" "$(grep "zn-refused.*$BT2" "$tmp/bsfg.log")"
gba_km 4
hs "$BT4" "$km"
refused "$BT4" "the USS entry lacks flag 1 (association)"
result $((! $?)) "a USS entry without flag 1: the handshake fails, nothing stored" "$code"
hs "$UNKNOWN" "$KM6"
refused "$UNKNOWN" "unknown B-TID"
result $((! $?)) "an unknown B-TID: the handshake fails, nothing stored" "$code"
hs "$BT1" "$km1" 3GPP-bootstrapping-uicc
refused "$BT1" "a -uicc identity on a GBA_ME bootstrap" 1 &&
	grep -q "ke_id=$BT1 enrolee_id=CAE-g1 " <<< "$out"
result $((! $?)) "-uicc on a GBA_ME bootstrap: the handshake fails, nothing stored (km-fetch's Km as it was)" "$code"
on "$MAFH" "3GPP-bootstrapping$BT6" "$KM6" -tls1_3
[ -z "$code" ]
result $((! $?)) "TLS 1.3 on gba-listen: no handshake (the association is TLS 1.2)" "$code" "$tls"
hs "$BTU" "$KINT" 3GPP-bootstrapping-uicc
[ "$code" = 200 ] && [ "$(json_member km-id)" = "$KMIDU" ] && [ "$(json_member ke-id)" = "$BTU" ] &&
	[ "$(json_member enrolee-id)" = ue3@home1.net ] &&
	wait_log mafg "event=km-fetched km-id=\"$KMIDU\" btid=\"$BTU\" enrolee-id=ue3@home1.net naf-key=ks-int-naf via=handshake$" 1
result $((! $?)) "3GPP-bootstrapping-uicc<B-TID> of a GBA_U bootstrap: Km = Ks_int_NAF (the seed's client in the UICC), 200" \
	"$code $body" "$tls"

# UE 5's bootstrap lived 2 s (onem2m_gba.sh): expired by now.
while [ "$(date +%s)" -le "$(date -d "$EXP5" +%s)" ]; do sleep 0.2; done
hs "$BT5" "$KM5"
refused "$BT5" "expired B-TID" && [ ${#KM5} = 64 ]
result $((! $?)) "an expired bootstrap on gba-listen: the handshake fails, nothing stored" "$code"
mafgctl km-fetch --btid "$BT5" --enrolee-id CAE-g5
[ $status = 0 ] &&
	wait_log mafg "level=warning role=maf event=km-fetch-failed btid=\"$BT5\" enrolee-id=CAE-g5 status=404 error=expired-btid detail=" 1 &&
	mafgctl km-list && ! grep -q "ke_id=$BT5 " <<< "$out"
result $((! $?)) "km-fetch --btid of an expired bootstrap: 404 expired-btid, nothing stored" \
	"$(grep "$BT5" "$tmp/mafg.log" | tail -1)"
uectl onem2m associate --iccid ${ICCID}5 --connect "$MAFG" --target maf.test
[ $status = 1 ] && [ -z "$out" ] &&
	[ "$err" = "e2mctl: onem2m associate: no bootstrap in its lifetime (e2mctl bootstrap)" ]
result $((! $?)) "associate --iccid with only an expired bootstrap: refused, exit 1" "$out" "$err"
