# SPDX-License-Identifier: GPL-2.0
#
# The GBA-based framework (TS-0003 8.3.3.1; tests/onem2m_test.sh, sourced
# after onem2m_km.sh, whose assoc it uses): the MEF plays the BSF (an
# HSS and a BSF role, as bsf_test.sh runs them), the Enrolee is a UE
# that bootstraps (e2mctl bootstrap: Ke = Ks, KeId = B-TID), the MAF a
# NAF whose NAF_Id is its FQDN || FF 00 00 00 02. The MAF pulls Km =
# Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U) over Zn (km-fetch --btid); the
# Enrolee's side is e2mctl naf-key for that NAF_Id, its Km-Id from
# Python (onem2m_vectors.py --km-id); openssl s_client then opens the
# association with them, and so does e2mctl onem2m associate --iccid.
# The client in the UICC: km-fetch --uicc keeps Km = Ks_int_NAF, the
# Enrolee played by gba_peer.py's UE and s_client. Refusals: GUSS without
# this MAF (403 naf-not-authorised), a USS entry without flag 1 (the
# MAF's own), --uicc of a GBA_ME bootstrap, an unknown B-TID (404), a
# MAF without mef-url asked for a KeId, bad usage; nothing stored. (A MAF
# without zn-url: onem2m_km.sh.) The handshake that pulls Km (gba-listen)
# and an expired bootstrap: onem2m_gba_hs.sh; the same over DTLS 1.2
# (gba-dtls-listen), the BSF stopped: onem2m_gba_dtls.sh. Enrolee B as NAF:
# onem2m_gba_b.sh. e2m's own client in the UICC (associate --uicc):
# onem2m_gba_uicc.sh.

if [ "$(id -u)" != 0 ]; then
	tap_skip "the GBA-based framework" "the admin socket needs root"
	return 0
fi

# Certificates from onem2m_km.sh's CA (pki_ca would make a new one).
for name in hss.test bsf.test maf.test; do
	pki "$name" || { echo "Bail out! openssl: no certificate for $name"; exit 1; }
done
store_keys hssg bsfg mafg ue

cat > "$tmp/hssg.yaml" <<-EOF2
$(config_base hssg hss.test)
roles:
  hss: { listen: "127.0.0.1:0", clients: [bsf.test], sn-clients: [sgw.test] }
EOF2
start hssg || { echo "Bail out! the HSS did not start"; sed 's/^/# /' "$tmp/hssg.log"; exit 1; }
cat > "$tmp/bsfg.yaml" <<-EOF2
$(config_base bsfg bsf.test)
roles:
  bsf: { name: bsf.test, ub-listen: "127.0.0.1:0", zn-listen: "127.0.0.1:0",
         hss-url: "https://$(ready_value hssg hss.zh)", key-lifetime: 3600,
         nafs: [{ name: maf.test }, { name: node-b.test }] }
EOF2
start bsfg || { echo "Bail out! the BSF did not start"; sed 's/^/# /' "$tmp/bsfg.log"; exit 1; }
UBG=$(ready_value bsfg bsf.ub)
cat > "$tmp/mafg.yaml" <<-EOF2
log: { level: info }
$(config_base mafg maf.test)
roles:
  maf: { name: maf.test, listen: "127.0.0.1:0", dtls-listen: "127.0.0.1:0",
         gba-listen: "127.0.0.1:0", gba-dtls-listen: "127.0.0.1:0",
         zn-url: "https://$(ready_value bsfg bsf.zn)" }
EOF2
start mafg || { echo "Bail out! the GBA MAF did not start"; sed 's/^/# /' "$tmp/mafg.log"; exit 1; }
MAFG=$(ready_value mafg maf.enrolees)
result $((${#MAFG} > 0)) "the MEF as BSF (Ub $UBG), the MAF maf.test with zn-url only on $MAFG"

hssgctl() { ctl --socket "$tmp/run/hssg.sock" "$@"; }
mafgctl() { ctl --socket "$tmp/run/mafg.sock" onem2m "$@"; }
uectl() { ctl "$@" --store "$tmp/ue.db" --store-key-file "$tmp/ue.key"; }
ICCID=89882110000000090
subscriber() {	# N USS [--gba-u]: subscriber and USIM N, bootstrapped
	hssgctl subscriber add --imsi 00101000000000$1 --impi ue$1@home1.net \
		--keys <(printf '%s\n' k=$K1 opc=$OPC1) --uss "$2" ${3:-}
	[ $status = 0 ] || echo "Bail out! subscriber $1: $err"
	uectl usim add --iccid $ICCID$1 --imsi 00101000000000$1 \
		--impi ue$1@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1) ${3:-}
	[ $status = 0 ] || echo "Bail out! USIM $1: $err"
	uectl bootstrap --iccid $ICCID$1 --bsf "http://$UBG"
	[ $status = 0 ] || echo "Bail out! bootstrap $1: $err"
}
# The GUSS: UE 1 and 3 (GBA_U) may have a key for maf.test, UE 2 not;
# UE 1 for Enrolee B node-b.test too (onem2m_gba_b.sh).
subscriber 1 '[{"naf":"maf.test","flags":[1]},{"naf":"node-b.test","flags":[1]}]'
BT1=$(field btid)
subscriber 2 '[{"naf":"other.test","flags":[1]}]'
BT2=$(field btid)
subscriber 3 '[{"naf":"maf.test","flags":[1]}]' --gba-u
BT3=$(field btid)
# UE 4's USS names maf.test (the BSF answers) without flag 1: the MAF refuses.
subscriber 4 '[{"naf":"maf.test","flags":[2]}]'
BT4=$(field btid)
# UE 5 bootstraps for 2 s (key-lifetime 2 by SIGHUP, then 3600 again):
# expired when onem2m_gba_hs.sh asks for it; its key taken while live.
bsf_lifetime() {	# SECONDS N: key-lifetime SECONDS, the Nth reload
	sed -i "s/key-lifetime: [0-9]*/key-lifetime: $1/" "$tmp/bsfg.yaml"
	kill -HUP "${pid[bsfg]}"
	wait_log bsfg "event=reloaded" $2 || echo "Bail out! the BSF did not reload"
}
bsf_lifetime 2 1
subscriber 5 '[{"naf":"maf.test","flags":[1]}]'
BT5=$(field btid)
uectl naf-key --iccid ${ICCID}5 --naf maf.test --ua-proto ff00000002 --show-key
KM5=$(field ks_naf) EXP5=$(field expires)
bsf_lifetime 3600 2
subscriber 6 '[{"naf":"maf.test","flags":[1]}]'
BT6=$(field btid)
subscriber 7 '[{"naf":"maf.test","flags":[1]}]'
BT7=$(field btid)
result $((${#BT1} > 0 && ${#BT2} > 0 && ${#BT3} > 0 && ${#BT4} > 0 && ${#BT5} > 0 &&
	 ${#BT6} > 0 && ${#BT7} > 0 && ${#KM5} == 64)) \
	"seven Enrolees bootstrapped (UE 5 for 2 s): Ke = Ks, KeId = B-TID"

# gba_km N: the Enrolee's Km (Ks_(ext)_NAF for maf.test || FF 00 00 00 02),
# its Km-Id from Python, its expiry, me or u: $km, $kmid, $kexp, $kgba
gba_km() {
	uectl naf-key --iccid $ICCID$1 --naf maf.test --ua-proto ff00000002 --show-key
	km=$(field ks_naf)$(field ks_ext_naf) kexp=$(field expires) kgba=$(field gba)
	kmid=$(python3 "$here/onem2m_vectors.py" --km-id "$km" maf.test | sed 's/^km_id=//')
}
# fetched N BTID ENROLEE-ID: km-fetch over Zn, logged with the Km-Id the
# Enrolee derives; km-list has it with the bootstrap's expiry; no key logged
fetched() {
	mafgctl km-fetch --btid "$2" --enrolee-id "$3"
	[ $status = 0 ] && [ -z "$err" ] &&
		[ "$out" = "km_id=$kmid ke_id=$2 enrolee_id=$3 expires=$kexp" ] &&
		wait_log mafg "level=info role=maf event=km-fetched km-id=\"$kmid\" btid=\"$2\" enrolee-id=$3$" 1 &&
		! grep -q "$km" "$tmp/mafg.log" &&
		mafgctl km-list &&
		grep -q "^km_id=$kmid ke_id=$2 enrolee_id=$3 expires=$kexp\$" <<< "$out"
}

gba_km 1
fetched 1 "$BT1" CAE-g1 && [ "$kgba" = me ] && [ ${#km} = 64 ]
result $((! $?)) "GBA_ME: the MAF pulls Km = Ks_NAF over Zn: Km-Id $kmid, the Enrolee's, expiring with the bootstrap ($kexp)" \
	"$out $err" "$(tail -2 "$tmp/mafg.log")"
grep -q "event=naf-key btid=\"$BT1\" naf=maf.test .*gba-u=0 peer=maf.test" "$tmp/bsfg.log"
result $((! $?)) "the BSF logged the Zn answer for NAF maf.test" "$(grep naf-key "$tmp/bsfg.log")"

MAFL_KM=$MAFL MAFL=$MAFG
assoc "$kmid" "$km" -tls1_2 -cipher PSK-AES128-GCM-SHA256:PSK-AES128-CCM8
[ "$code" = 200 ] && [ "$(json_member km-id)" = "$kmid" ] &&
	[ "$(json_member enrolee-id)" = CAE-g1 ] && [ "$(json_member ke-id)" = "$BT1" ] &&
	grep -q "Cipher is PSK-AES128-CCM8$" "$tmp/response"
result $((! $?)) "s_client -psk_identity Km-Id -psk Ks_NAF (the UE's): the association is up, KeId = B-TID" \
	"$code $body" "$tls"
km1=$km
gba_km 3
fetched 3 "$BT3" CAE-g3 && [ "$kgba" = u ] && [ ${#km} = 64 ]
result $((! $?)) "GBA_U: Km = Ks_ext_NAF, Km-Id $kmid" "$out $err"
assoc "$kmid" "$km" -tls1_2
[ "$code" = 200 ] && [ "$(json_member ke-id)" = "$BT3" ]
result $((! $?)) "GBA_U: s_client with Ks_ext_NAF: 200" "$code $body" "$tls"
assoc "$kmid" "$km1" -tls1_2
[ -z "$code" ]
result $((! $?)) "GBA_U's Km-Id with GBA_ME's key: the handshake fails" "$code" "$tls"
MAFL=$MAFL_KM

# The Enrolee's own side: e2mctl onem2m associate from its bootstrap.
# assoc_gba N BTID: exact lines for UE N, with $kmid
assoc_gba() {
	uectl onem2m associate --iccid $ICCID$1 --connect "$MAFG" --target maf.test
	[ $status = 0 ] && [ -z "$err" ] && [ "$out" = "$(printf '%s\n' target=maf \
		target_id=maf.test key_id=$kmid ke_id=$2 tls=TLSv1.2 \
		cipher=PSK-AES128-CCM8 status=200)" ]
}
assoc_gba 3 "$BT3"
result $((! $?)) "onem2m associate --iccid (GBA_U): Km-Id and Ks_ext_NAF from the bootstrap, 200" "$out" "$err"
gba_km 1
assoc_gba 1 "$BT1"
result $((! $?)) "onem2m associate --iccid (GBA_ME): Km-Id and Ks_NAF from the bootstrap, 200" "$out" "$err"
uectl onem2m associate --iccid ${ICCID}1 --connect "$(ready_value mafg maf.dtls)" \
	--target maf.test --dtls
[ $status = 0 ] && grep -q "^tls=DTLSv1.2$" <<< "$out" && grep -q "^status=200$" <<< "$out" &&
	grep -q "^key_id=$kmid$" <<< "$out"
result $((! $?)) "and over DTLS 1.2 (--dtls): 200" "$out" "$err"

# The same Km handed to an application of uid 65534 through the kernel
# keyring (onem2m handoff): a user key in that uid's persistent keyring,
# its own, readable by it alone, expiring with the bootstrap.
uectl onem2m handoff --iccid ${ICCID}1 --target maf.test --uid 65534
serial=$(field serial)
[ $status = 0 ] && [ -z "$err" ] && [ "$out" = "$(printf '%s\n' key_id=$kmid \
	serial=$serial uid=65534 ke_id=$BT1 expires=$kexp)" ] && [ "$serial" -gt 0 ]
result $((! $?)) "onem2m handoff --iccid --uid 65534: the Km-Id, its serial, the bootstrap's expiry" "$out" "$err"
got=$(handed 65534 "$kmid")
[ ${#km} = 64 ] && [ "$got" = "$km" ]
result $((! $?)) "handoff: uid 65534 finds it in its persistent keyring, and it is the Km" "$got"
got=$(as_uid 65534 keyctl rdescribe "$serial" 2>&1)
[ "$got" = "user;65534;$(id -g nobody 2>/dev/null || echo 65534);0b0b0000;onem2m:$kmid" ]
result $((! $?)) "handoff: owned by uid 65534, possessor and owner view, read, search only (0b0b0000)" "$got"
as_uid 65534 keyctl setperm "$serial" 0x3f3f0000 > "$tmp/setperm" 2>&1
result $(( $? != 0 )) "handoff: the application cannot widen them: $(cat "$tmp/setperm")"
other=$(as_uid 65533 keyctl pipe "$serial" 2>&1 > /dev/null)
result $(( $? != 0 )) "handoff: another uid cannot read it: $other"
as_uid 65534 awk -v s="$(printf %08x "$serial")" '$1 == s { print $4 }' /proc/keys > "$tmp/timeout"
grep -Eq '^[0-9]+[smhdw]$' "$tmp/timeout"
result $((! $?)) "handoff: it expires (keyctl timeout): $(cat "$tmp/timeout")"
uectl onem2m handoff --iccid ${ICCID}1 --target maf.test --uid 65534
serial2=$(field serial)
[ $status = 0 ] && [ "$serial2" -gt 0 ] && [ "$serial2" != "$serial" ] &&
	[ "$(handed 65534 "$kmid")" = "$km" ]
result $((! $?)) "handoff again: a new key of that description, the Km" "$out" "$err"
old=$(as_uid 65534 keyctl pipe "$serial" 2>&1 > /dev/null)
result $(( $? != 0 )) "handoff again: the key it displaced is invalidated: $old"
as_uid 65534 keyctl unlink "$serial2" >/dev/null 2>&1
# UE 5's bootstrap (2 s) has expired: on a fast run it may not have yet.
while [ "$(date +%s)" -le "$(date -d "$EXP5" +%s)" ]; do sleep 0.2; done
uectl onem2m handoff --iccid ${ICCID}5 --target maf.test --uid 65534
result $((status == 1 && ${#out} == 0)) "handoff of an expired bootstrap: refused: $err"
uectl onem2m handoff --iccid ${ICCID}1 --ke-id "$BT1" --target maf.test --uid 65534
result $((status == 2)) "handoff with both --iccid and --ke-id: bad usage: $err"

# kms_unchanged: km-list still has the two Kms above, nothing else
kms_unchanged() {
	mafgctl km-list
	[ "$(grep -c '^km_id=' <<< "$out")" = 2 ]
}
gba_km 2
mafgctl km-fetch --btid "$BT2" --enrolee-id CAE-g2
[ $status = 1 ] && [[ "$err" == "e2mctl: onem2m km-fetch: the BSF answered 403 naf-not-authorised: "?* ]] &&
	wait_log mafg "level=warning role=maf event=km-fetch-failed btid=\"$BT2\" enrolee-id=CAE-g2 status=403 error=naf-not-authorised detail=" 1 &&
	kms_unchanged
result $((! $?)) "GUSS without maf.test: 403 naf-not-authorised, nothing stored" \
	"$(tail -1 "$tmp/mafg.log")" "$out"
mafgctl km-fetch --btid "$BT4" --enrolee-id CAE-g4
[ $status = 1 ] && [ ${#BT4} -gt 0 ] &&
	[ "$err" = "e2mctl: onem2m km-fetch: the BSF's key refused: the USS entry lacks flag 1 (association)" ] &&
	wait_log mafg "level=warning role=maf event=km-fetch-failed btid=\"$BT4\" enrolee-id=CAE-g4 status=200 detail=\"the USS entry lacks flag 1 (association)\"$" 1 &&
	grep -q "event=naf-key btid=\"$BT4\" naf=maf.test " "$tmp/bsfg.log" &&
	kms_unchanged
result $((! $?)) "the BSF answers for UE 4, whose USS entry lacks flag 1: the MAF refuses, nothing stored" \
	"$(tail -1 "$tmp/mafg.log")" "$out"
UNKNOWN="AAAAAAAAAAAAAAAAAAAAAA==@bsf.test"
mafgctl km-fetch --btid "$UNKNOWN" --enrolee-id CAE-g1
[ $status = 1 ] && [[ "$err" == "e2mctl: onem2m km-fetch: the BSF answered 404 unknown-btid: "?* ]] &&
	wait_log mafg "event=km-fetch-failed btid=\"$UNKNOWN\" enrolee-id=CAE-g1 status=404 error=unknown-btid" 1 &&
	kms_unchanged
result $((! $?)) "an unknown B-TID: 404 unknown-btid, nothing stored" "$(tail -1 "$tmp/mafg.log")"

uectl onem2m associate --iccid ${ICCID}2 --connect "$MAFG" --target maf.test
[ $status = 1 ] && [ -z "$out" ] && grep -q "TLS handshake failed" <<< "$err"
result $((! $?)) "associate --iccid of the Enrolee the GUSS refused: the MAF has no Km, the handshake fails" "$out" "$err"
uectl onem2m associate --iccid ${ICCID}1 --ke-id "$BT1" --connect "$MAFG" --target maf.test
result $((status == 2 && ${#out} == 0)) "associate with both --iccid and --ke-id: bad usage: $err"
uectl onem2m associate --iccid ${ICCID}9 --connect "$MAFG" --target maf.test
result $((status != 0 && ${#out} == 0)) "associate --iccid of a USIM not in the store: refused: $err"
mafgctl km-fetch --btid "not a btid" --enrolee-id CAE-g1
result $((status == 1)) "km-fetch refuses a --btid that is no B-TID: $err"
mafgctl km-fetch --btid "$BT1" --ke-id "$BT1" --enrolee-id CAE-g1
result $((status == 2)) "km-fetch with both --btid and --ke-id: bad usage: $err"
mafgctl km-fetch --ke-id "$BT1" --enrolee-id CAE-g1
result $((status == 1)) "a MAF without mef-url refuses --ke-id: $err"
kms_unchanged
result $((! $?)) "and nothing was stored by any of them" "$out"

# The Enrolee's client in the UICC (GBA_U): Km = Ks_int_NAF (km-fetch
# --uicc). The Enrolee is gba_peer.py's UE (its own Milenage and KDF:
# Ks_int_NAF as the UICC derives it) with openssl s_client.
python3 "$here/gba_peer.py" ue --addr "$UBG" --impi ue3@home1.net --k $K1 --opc $OPC1 \
	--naf-id "$(printf maf.test | xxd -p)ff00000002" > "$tmp/peer.out"
out=$(cat "$tmp/peer.out")
BTU=$(field btid) KINT=$(field ks_int_naf) KEXT=$(field ks_naf)
KMIDU=$(python3 "$here/onem2m_vectors.py" --km-id "$KINT" maf.test | sed 's/^km_id=//')
mafgctl km-fetch --btid "$BTU" --enrolee-id CAE-g3u --uicc
[ $status = 0 ] && [ -z "$err" ] && [ "${out%% *}" = "km_id=$KMIDU" ] && [ ${#KINT} = 64 ] &&
	wait_log mafg "level=info role=maf event=km-fetched km-id=\"$KMIDU\" btid=\"$BTU\" enrolee-id=CAE-g3u naf-key=ks-int-naf$" 1 &&
	! grep -qi "$KINT" "$tmp/mafg.log"
result $((! $?)) "GBA_U, the client in the UICC: km-fetch --uicc keeps Km = Ks_int_NAF, Km-Id $KMIDU (Python's)" \
	"$out $err $(cat "$tmp/peer.out")" "$(tail -2 "$tmp/mafg.log")"
MAFL_KM=$MAFL MAFL=$MAFG
assoc "$KMIDU" "$KINT" -tls1_2
[ "$code" = 200 ] && [ "$(json_member km-id)" = "$KMIDU" ] &&
	[ "$(json_member enrolee-id)" = CAE-g3u ] && [ "$(json_member ke-id)" = "$BTU" ]
result $((! $?)) "s_client -psk Ks_int_NAF (gba_peer.py's UICC): 200, KeId = its B-TID" "$code $body" "$tls"
assoc "$KMIDU" "$KEXT" -tls1_2
[ -z "$code" ] && [ ${#KEXT} = 64 ] && [ "$KEXT" != "$KINT" ]
result $((! $?)) "the same Km-Id with Ks_ext_NAF: the handshake fails" "$code" "$tls"
MAFL=$MAFL_KM
mafgctl km-fetch --btid "$BT1" --enrolee-id CAE-g1u --uicc
[ $status = 1 ] &&
	[ "$err" = "e2mctl: onem2m km-fetch: the BSF's key refused: a GBA_ME bootstrap has no Ks_int_NAF (uicc)" ] &&
	wait_log mafg "level=warning role=maf event=km-fetch-failed btid=\"$BT1\" enrolee-id=CAE-g1u status=200 detail=\"a GBA_ME bootstrap has no Ks_int_NAF (uicc)\"$" 1 &&
	mafgctl km-list && [ "$(grep -c '^km_id=' <<< "$out")" = 3 ] &&
	! grep -q "enrolee_id=CAE-g1u" <<< "$out"
result $((! $?)) "km-fetch --uicc of a GBA_ME bootstrap: refused, nothing stored" "$(tail -1 "$tmp/mafg.log")" "$out"
mafgctl km-fetch --ke-id "$BT1" --enrolee-id CAE-g1 --uicc
result $((status == 2)) "km-fetch --uicc with --ke-id: bad usage: $err"
. "$here/onem2m_gba_hs.sh"
. "$here/onem2m_gba_uicc.sh"
# Last of this MAF: it restarts the BSF (new ports).
. "$here/onem2m_gba_dtls.sh"
stop mafg
[ $stop_status = 0 ] && ! grep -q "Sanitizer\|runtime error" "$tmp/mafg.log"
result $((! $?)) "the GBA MAF stops cleanly (no sanitizer report)" "$(tail -3 "$tmp/mafg.log")"
. "$here/onem2m_gba_b.sh"
