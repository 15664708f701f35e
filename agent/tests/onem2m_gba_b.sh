# SPDX-License-Identifier: GPL-2.0
#
# Enrolee B as NAF in the GBA-based framework (TS-0003 8.3.3.1;
# sourced by onem2m_gba.sh, whose HSS, BSF, UEs and assoc it uses): an
# e2md maf role with "as: enrolee-b" named node-b.test pulls Kpsa =
# Ks_(ext)_NAF for NAF_Id = node-b.test || FF 00 00 00 02 over Zn, the
# GUSS deciding (UE 1's names node-b.test, UE 3's not), keeps it sealed
# with the bootstrap's expiry, and takes the Enrolee's (D)TLS 1.2 PSK
# association with psk_identity = Kpsa-Id ("KpsaId", from Python):
# openssl s_client with the UE's key gets 200, another UE's key fails,
# e2mctl onem2m associate --iccid --enrolee-b gets 200 over TLS and
# DTLS (and without --enrolee-b, a Km-Id, fails). UE 9 (GBA_U) with its
# client in the UICC: km-fetch --uicc keeps Kpsa = Ks_int_NAF (the
# Kpsa-Id of gba_peer.py's), associate --enrolee-b --uicc gets 200.

pki node-b.test || { echo "Bail out! openssl: no certificate for node-b.test"; exit 1; }
store_keys nodeb
cat > "$tmp/nodeb.yaml" <<-EOF2
log: { level: info }
$(config_base nodeb node-b.test)
roles:
  maf: { as: enrolee-b, name: node-b.test, listen: "127.0.0.1:0",
         dtls-listen: "127.0.0.1:0", zn-url: "https://$(ready_value bsfg bsf.zn)" }
EOF2
start nodeb || { echo "Bail out! Enrolee B did not start"; sed 's/^/# /' "$tmp/nodeb.log"; exit 1; }
NODEB=$(ready_value nodeb maf.enrolees)
nodebctl() { ctl --socket "$tmp/run/nodeb.sock" onem2m "$@"; }

# kpsa_of N: UE N's Ks_(ext)_NAF for node-b.test: $kpsa, $kexp
kpsa_of() {
	uectl naf-key --iccid $ICCID$1 --naf node-b.test --ua-proto ff00000002 --show-key
	kpsa=$(field ks_naf)$(field ks_ext_naf) kexp=$(field expires)
}
kpsa_of 1
KPSA1=$kpsa
KPSAID=$(python3 "$here/onem2m_vectors.py" --kpsa-id "$kpsa" node-b.test | sed 's/^kpsa_id=//')
nodebctl km-fetch --btid "$BT1" --enrolee-id CAE-g1
[ $status = 0 ] && [ -z "$err" ] && [ "${out%% *}" = "kpsa_id=$KPSAID" ] &&
	wait_log nodeb "level=info role=maf event=km-fetched kpsa-id=\"$KPSAID\" btid=\"$BT1\" enrolee-id=CAE-g1$" 1 &&
	! grep -q "$KPSA1" "$tmp/nodeb.log" &&
	grep -q "event=naf-key btid=\"$BT1\" naf=node-b.test .*gba-u=0 peer=node-b.test" "$tmp/bsfg.log" &&
	nodebctl km-list &&
	[ "$out" = "km_id=$KPSAID ke_id=$BT1 enrolee_id=CAE-g1 expires=$kexp" ]
result $((! $?)) "Enrolee B node-b.test pulls Kpsa = Ks_NAF over Zn: Kpsa-Id $KPSAID, expiring with the bootstrap" \
	"$out $err" "$(tail -2 "$tmp/nodeb.log")"

MAFL_KM=$MAFL MAFL=$NODEB
assoc "$KPSAID" "$KPSA1" -tls1_2
[ "$code" = 200 ] && [ "$(json_member kpsa-id)" = "$KPSAID" ] &&
	[ "$(json_member enrolee-id)" = CAE-g1 ] && [ "$(json_member ke-id)" = "$BT1" ]
result $((! $?)) "s_client -psk_identity Kpsa-Id -psk Ks_NAF against Enrolee B: 200, KeId = B-TID" \
	"$code $body" "$tls"
kpsa_of 3
assoc "$KPSAID" "$kpsa" -tls1_2
[ -z "$code" ] && [ ${#kpsa} = 64 ] && [ "$kpsa" != "$KPSA1" ]
result $((! $?)) "the same Kpsa-Id with another UE's key (UE 3's Ks_ext_NAF): the handshake fails" "$code" "$tls"
MAFL=$MAFL_KM

nodebctl km-fetch --btid "$BT3" --enrolee-id CAE-g3
[ $status = 1 ] && [[ "$err" == "e2mctl: onem2m km-fetch: the BSF answered 403 naf-not-authorised: "?* ]] &&
	wait_log nodeb "level=warning role=maf event=km-fetch-failed btid=\"$BT3\" enrolee-id=CAE-g3 status=403 error=naf-not-authorised detail=" 1 &&
	nodebctl km-list && [ "$(grep -c '^km_id=' <<< "$out")" = 1 ]
result $((! $?)) "GUSS without node-b.test: 403 naf-not-authorised, nothing stored" \
	"$(tail -1 "$tmp/nodeb.log")" "$out"

assoc_b() {	# ARGS...: e2mctl onem2m associate of UE 1 with Enrolee B
	uectl onem2m associate --iccid ${ICCID}1 --target node-b.test "$@"
}
assoc_b --connect "$NODEB" --enrolee-b
[ $status = 0 ] && [ -z "$err" ] && [ "$out" = "$(printf '%s\n' target=enrolee-b \
	target_id=node-b.test key_id=$KPSAID ke_id=$BT1 tls=TLSv1.2 \
	cipher=PSK-AES128-CCM8 status=200)" ]
result $((! $?)) "onem2m associate --iccid --enrolee-b: Kpsa-Id and Ks_NAF from the bootstrap, 200" "$out" "$err"
assoc_b --connect "$(ready_value nodeb maf.dtls)" --enrolee-b --dtls
[ $status = 0 ] && grep -q "^tls=DTLSv1.2$" <<< "$out" && grep -q "^status=200$" <<< "$out" &&
	grep -q "^key_id=$KPSAID$" <<< "$out"
result $((! $?)) "and over DTLS 1.2: 200" "$out" "$err"
assoc_b --connect "$NODEB"
[ $status = 1 ] && [ -z "$out" ] && grep -q "TLS handshake failed" <<< "$err"
result $((! $?)) "without --enrolee-b (a Km-Id for the same key): the handshake fails" "$out" "$err"
uectl onem2m associate --ke-id "$BT1" --enrolee-b --connect "$NODEB" --target node-b.test
result $((status == 2 && ${#out} == 0)) "--enrolee-b with --ke-id: bad usage: $err"

# The client in the UICC towards Enrolee B: UE 9 (GBA_U, its GUSS naming
# node-b.test); Kpsa = Ks_int_NAF, pulled with --uicc, its Kpsa-Id that
# of gba_peer.py's Ks_int_NAF of the same bootstrap.
subscriber 9 '[{"naf":"node-b.test","flags":[1]}]' --gba-u
BT9=$(field btid)
python3 "$here/gba_peer.py" naf-keys --k $K1 --opc $OPC1 --impi ue9@home1.net \
	--btid "$BT9" --naf-id "$(printf node-b.test | xxd -p)ff00000002" > "$tmp/peer.out"
out=$(cat "$tmp/peer.out")
KPSAIDU=$(python3 "$here/onem2m_vectors.py" --kpsa-id "$(field ks_int_naf)" node-b.test | sed 's/^kpsa_id=//')
nodebctl km-fetch --btid "$BT9" --enrolee-id CAE-g8 --uicc
[ $status = 0 ] && [ "${out%% *}" = "kpsa_id=$KPSAIDU" ] &&
	wait_log nodeb "level=info role=maf event=km-fetched kpsa-id=\"$KPSAIDU\" btid=\"$BT9\" enrolee-id=CAE-g8 naf-key=ks-int-naf$" 1
result $((! $?)) "Enrolee B, km-fetch --uicc of UE 9 (GBA_U): Kpsa = Ks_int_NAF, Kpsa-Id $KPSAIDU (Python's)" "$out $err"
uectl onem2m associate --iccid ${ICCID}9 --enrolee-b --uicc --connect "$NODEB" --target node-b.test
[ $status = 0 ] && [ -z "$err" ] && [ "$out" = "$(printf '%s\n' target=enrolee-b \
	target_id=node-b.test key_id=$KPSAIDU ke_id=$BT9 tls=TLSv1.2 \
	cipher=PSK-AES128-CCM8 status=200)" ]
result $((! $?)) "onem2m associate --iccid --enrolee-b --uicc: Kpsa = Ks_int_NAF from the USIM, 200" "$out" "$err"

stop nodeb
cat "$tmp/nodeb.db"* | xxd -p | tr -d '\n' > "$tmp/nodeb-store.hex"
[ $stop_status = 0 ] && ! grep -q "Sanitizer\|runtime error" "$tmp/nodeb.log" &&
	! grep -qi "$KPSA1" "$tmp/nodeb-store.hex"
result $((! $?)) "Enrolee B stops cleanly; Kpsa is not in its store in the clear" "$(tail -3 "$tmp/nodeb.log")"
sed 's/zn-url:/mef-url: "https:\/\/127.0.0.1:1", zn-url:/' "$tmp/nodeb.yaml" > "$tmp/nodeb-mef.yaml"
"$E2MD" --check-config -c "$tmp/nodeb-mef.yaml" > "$tmp/check.out" 2>&1
result $((! $?)) "as: enrolee-b with mef-url and zn-url: accepted by the config check (both frameworks)" "$(cat "$tmp/check.out")"
