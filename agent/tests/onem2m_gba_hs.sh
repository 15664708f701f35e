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
# logged and nothing stored (the refusals before the key is used take
# UE 6's key). -uicc on a GBA_U one: Km = Ks_int_NAF. status counts.
# e2mctl onem2m associate --btid-identity (UE 7) gets the same 200.
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
# refused BTID REASON: the handshake failed with that reason logged
refused() {
	[ -z "$code" ] &&
		wait_log mafg "event=tls-refused .*psk-identity=\"3GPP-bootstrapping[-uic]*$1\" reason=\"$2\"" 1
}
kms_for() {	# BTID: how many Kms km-list holds for BTID
	mafgctl km-list && grep -c "ke_id=$1 " <<< "$out"
}
pulls() {	# BTID: the BSF's Zn answers for BTID and maf.test so far
	grep -c "event=naf-key btid=\"$1\" naf=maf.test " "$tmp/bsfg.log"
}

gba_km 6
KM6=$km KMID6=$kmid KEXP6=$kexp
hs "$BT6" "$km1"
refused "$BT6" "wrong key" && [ "$(kms_for "$BT6")" = 0 ]
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
# The refusals below come before the key is used: UE 6's key stands in.
hs "$BT2" "$KM6"
refused "$BT2" "the BSF refused the NAF (naf-not-authorised)" &&
	grep -q "event=zn-refused status=403 error=naf-not-authorised btid=\"$BT2\" naf=maf.test" "$tmp/bsfg.log"
result $((! $?)) "a GUSS without maf.test: the BSF's 403 naf-not-authorised, the handshake fails" \
	"$code" "$(grep "zn-refused.*$BT2" "$tmp/bsfg.log")"
hs "$BT4" "$KM6"
refused "$BT4" "the USS entry lacks flag 1 (association)" &&
	grep -q "event=naf-key btid=\"$BT4\" naf=maf.test " "$tmp/bsfg.log"
result $((! $?)) "a USS entry without flag 1 (the BSF answered): the handshake fails" "$code"
hs "$UNKNOWN" "$KM6"
refused "$UNKNOWN" "unknown B-TID"
result $((! $?)) "an unknown B-TID: the handshake fails" "$code"
hs "$BT1" "$km1" 3GPP-bootstrapping-uicc
refused "$BT1" "a -uicc identity on a GBA_ME bootstrap"
result $((! $?)) "-uicc on a GBA_ME bootstrap: the handshake fails" "$code"
mafgctl km-list
! grep -q "ke_id=\($BT2\|$BT4\|$UNKNOWN\) " <<< "$out" &&
	[ "$(grep -c "ke_id=$BT1 enrolee_id=CAE-g1 " <<< "$out")" = 1 ] &&
	[ "$(grep -c "ke_id=$BT1 " <<< "$out")" = 1 ]
result $((! $?)) "nothing stored by those four refusals (km-fetch's Km of UE 1 as it was)" "$out"
on "$MAFH" "3GPP-bootstrapping$BT6" "$KM6" -tls1_3
[ -z "$code" ]
result $((! $?)) "TLS 1.3 on gba-listen: no handshake (the association is TLS 1.2)" "$code" "$tls"
hs "$BTU" "$KINT" 3GPP-bootstrapping-uicc
[ "$code" = 200 ] && [ "$(json_member km-id)" = "$KMIDU" ] && [ "$(json_member ke-id)" = "$BTU" ] &&
	[ "$(json_member enrolee-id)" = ue3@home1.net ] &&
	wait_log mafg "event=km-fetched km-id=\"$KMIDU\" btid=\"$BTU\" enrolee-id=ue3@home1.net naf-key=ks-int-naf via=handshake$" 1
result $((! $?)) "3GPP-bootstrapping-uicc<B-TID> of a GBA_U bootstrap: Km = Ks_int_NAF (the seed's client in the UICC), 200" \
	"$code $body" "$tls"

# e2m's own Enrolee names its bootstrap the same way (--btid-identity).
gba_km 7
uectl onem2m associate --iccid ${ICCID}7 --connect "$MAFH" --target maf.test --btid-identity
[ $status = 0 ] && [ -z "$err" ] && [ "$out" = "$(printf '%s\n' target=maf \
	target_id=maf.test key_id=$kmid ke_id=$BT7 tls=TLSv1.2 \
	cipher=PSK-AES128-CCM8 status=200)" ] &&
	wait_log mafg "event=km-fetched km-id=\"$kmid\" btid=\"$BT7\" enrolee-id=ue7@home1.net via=handshake$" 1
result $((! $?)) "onem2m associate --iccid --btid-identity: the MAF pulls Km in the handshake, 200" "$out" "$err"
uectl onem2m associate --ke-id "$BT7" --connect "$MAFH" --target maf.test --btid-identity
result $((status == 2 && ${#out} == 0)) "--btid-identity with --ke-id: bad usage: $err"

# UE 5's bootstrap lived 2 s (onem2m_gba.sh): expired by now.
while [ "$(date +%s)" -le "$(date -d "$EXP5" +%s)" ]; do sleep 0.2; done
hs "$BT5" "$KM5"
refused "$BT5" "expired B-TID" && [ ${#KM5} = 64 ] && [ "$(kms_for "$BT5")" = 0 ]
result $((! $?)) "an expired bootstrap on gba-listen (with its own key): the handshake fails, nothing stored" "$code"
mafgctl km-fetch --btid "$BT5" --enrolee-id CAE-g5
[ $status = 1 ] && [[ "$err" == "e2mctl: onem2m km-fetch: the BSF answered 404 expired-btid: "?* ]] &&
	wait_log mafg "level=warning role=maf event=km-fetch-failed btid=\"$BT5\" enrolee-id=CAE-g5 status=404 error=expired-btid detail=" 1 &&
	mafgctl km-list && ! grep -q "ke_id=$BT5 " <<< "$out"
result $((! $?)) "km-fetch --btid of an expired bootstrap: 404 expired-btid, nothing stored" \
	"$(grep "$BT5" "$tmp/mafg.log" | tail -1)"
uectl onem2m associate --iccid ${ICCID}5 --connect "$MAFG" --target maf.test
[ $status = 1 ] && [ -z "$out" ] &&
	[ "$err" = "e2mctl: onem2m associate: no bootstrap in its lifetime (e2mctl bootstrap)" ]
result $((! $?)) "associate --iccid with only an expired bootstrap: refused, exit 1" "$out" "$err"
"$E2MCTL" --socket "$tmp/run/mafg.sock" status > "$tmp/status"
grep -q "^role=maf .* gba=$MAFH .*" "$tmp/status" &&
	grep -q "^role=maf .* gba-handshakes=3 gba-pulls=9\( \|\$\)" "$tmp/status"
result $((! $?)) "MAF status: gba-listen, 3 handshakes done, 9 Zn pulls (one per handshake that named a B-TID)" \
	"$(cat "$tmp/status")"
