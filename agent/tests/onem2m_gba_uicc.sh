# SPDX-License-Identifier: GPL-2.0
#
# The Enrolee's client in the UICC, e2m's own (GBA_U, seed 002: Km =
# Ks_int_NAF; sourced by onem2m_gba.sh after onem2m_gba_hs.sh, whose
# MAF, BSF, UEs, assoc, hs and refused it uses): e2mctl bootstraps USIM
# 3 (GBA_U) again; gba_peer.py derives that bootstrap's Ks_ext_NAF and
# Ks_int_NAF from K, OPc and the B-TID alone (its own Milenage and KDF),
# and its Ks_ext_NAF is e2mctl naf-key's. The MAF pulls with km-fetch
# --uicc: its Km-Id is Python's of the peer's Ks_int_NAF. Then e2mctl
# onem2m associate --uicc (the key taken from the USIM's own interface)
# gets 200 on the Km-Id listener (TLS and DTLS) and with --btid-identity
# ("3GPP-bootstrapping-uicc" || B-TID) on gba-listen and gba-dtls-listen,
# whose pull logs the same Km-Id; s_client with Ks_ext_NAF under the -uicc identity
# fails. --uicc with a GBA_ME USIM: exit 1, nothing sent; with --ke-id:
# bad usage.

uectl bootstrap --iccid ${ICCID}3 --bsf "http://$UBG"
BTC=$(field btid)
gba_km 3
KEXTC=$km
python3 "$here/gba_peer.py" naf-keys --k $K1 --opc $OPC1 --impi ue3@home1.net \
	--btid "$BTC" --naf-id "$(printf maf.test | xxd -p)ff00000002" > "$tmp/peer.out"
out=$(cat "$tmp/peer.out")
KINTC=$(field ks_int_naf)
KMIDC=$(python3 "$here/onem2m_vectors.py" --km-id "$KINTC" maf.test | sed 's/^km_id=//')
[ ${#BTC} -gt 0 ] && [ "$BTC" != "$BT3" ] && [ "$kgba" = u ] && [ ${#KINTC} = 64 ] &&
	[ "$(field ks_naf)" = "$KEXTC" ] && [ "$KINTC" != "$KEXTC" ]
result $((! $?)) "USIM 3 (GBA_U) bootstrapped again by e2mctl; gba_peer.py's Ks_ext_NAF of that B-TID is e2mctl's" \
	"$BTC $kgba $(cat "$tmp/peer.out")"

mafgctl km-fetch --btid "$BTC" --enrolee-id CAE-g3c --uicc
[ $status = 0 ] && [ "${out%% *}" = "km_id=$KMIDC" ] &&
	wait_log mafg "level=info role=maf event=km-fetched km-id=\"$KMIDC\" btid=\"$BTC\" enrolee-id=CAE-g3c naf-key=ks-int-naf$" 1
result $((! $?)) "km-fetch --uicc: the MAF keeps Km = Ks_int_NAF, Km-Id $KMIDC (Python's of the peer's key)" \
	"$out $err"

# assoc_uicc ADDR EXPECTED-TLS ARGS...: exact lines of associate --uicc
assoc_uicc() {
	local addr=$1 tls=$2
	shift 2
	uectl onem2m associate --iccid ${ICCID}3 --connect "$addr" --target maf.test --uicc "$@"
	[ $status = 0 ] && [ -z "$err" ] && [ "$out" = "$(printf '%s\n' target=maf \
		target_id=maf.test key_id=$KMIDC ke_id=$BTC tls=$tls \
		cipher=PSK-AES128-CCM8 status=200)" ]
}
assoc_uicc "$MAFG" TLSv1.2
result $((! $?)) "onem2m associate --iccid --uicc: Km = Ks_int_NAF from the USIM, the MAF's Km-Id, 200" "$out" "$err"
assoc_uicc "$(ready_value mafg maf.dtls)" DTLSv1.2 --dtls
result $((! $?)) "and over DTLS 1.2: 200" "$out" "$err"
assoc_uicc "$MAFH" TLSv1.2 --btid-identity &&
	wait_log mafg "event=km-fetched km-id=\"$KMIDC\" btid=\"$BTC\" enrolee-id=ue3@home1.net naf-key=ks-int-naf via=handshake$" 1
result $((! $?)) "associate --uicc --btid-identity: 3GPP-bootstrapping-uicc<B-TID> on gba-listen, the MAF's pull gives the same Km-Id, 200" \
	"$out" "$err"
assoc_uicc "$(ready_value mafg maf.gba-dtls)" DTLSv1.2 --btid-identity --dtls
result $((! $?)) "and over DTLS 1.2 on gba-dtls-listen: 3GPP-bootstrapping-uicc<B-TID>, 200" "$out" "$err"
hs "$BTC" "$KEXTC" 3GPP-bootstrapping-uicc
refused "$BTC" "wrong key"
result $((! $?)) "the -uicc identity with Ks_ext_NAF (the ME's key): the handshake fails" "$code" "$tls"

lines=$(wc -l < "$tmp/mafg.log")
uectl onem2m associate --iccid ${ICCID}1 --connect "$MAFH" --target maf.test --btid-identity --uicc
[ $status = 1 ] && [ -z "$out" ] &&
	[ "$err" = "e2mctl: onem2m associate: --uicc: USIM ${ICCID}1 is GBA_ME: no client in its UICC, no Ks_int_NAF" ] &&
	sleep 0.3 && [ "$(wc -l < "$tmp/mafg.log")" = "$lines" ]
result $((! $?)) "associate --uicc with a GBA_ME USIM: refused, exit 1, nothing sent" "$out" "$err"
uectl onem2m associate --ke-id "$BT1" --connect "$MAFG" --target maf.test --uicc
[ $status = 2 ] && [ -z "$out" ] &&
	[ "$err" = "e2mctl: onem2m associate: --uicc is for --iccid (a GBA_U bootstrap)" ]
result $((! $?)) "associate --uicc with --ke-id: bad usage" "$out" "$err"
