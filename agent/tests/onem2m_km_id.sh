# SPDX-License-Identifier: GPL-2.0
#
# The MEF's Km by Km-Id (tests/onem2m_km.sh, sourced after its expired
# Ke; daemon/mef/mef_km_id.h): POST /onem2m/v1/km {"km-id"} finds the Ke
# among those configured for a MAF-ID of the client, answers as by KeId
# with the ke-id and enrolee-id, and refuses the rest with its token.

ctl onem2m-ids --ke "$KEK" --mef mef.test --maf-id maf-1 --enrolee-id CAE-1 --target maf.test
KMID_K=$(field km_id)
askid() { echo "{\"km-id\":\"$1\"}"; }
km_post maf-1 "$(askid "$KMID_K")"
[ "$code" = 200 ] && [ "$(json_member km)" = "$KM" ] &&
	[ "$(json_member ke-id)" = "$KEIDK" ] && [ "$(json_member enrolee-id)" = CAE-1 ] &&
	grep -q '"expires":"[0-9]\{4\}-[0-9-]*T[0-9:]*Z"' <<< "$body" &&
	wait_log mefk "level=info role=mef event=km-issued ke-id=\"$KEIDK\" enrolee-id=CAE-1 maf=maf-1 km-id=\"$KMID_K\" peer=maf-1$" 1
result $((! $?)) "maf-1 asks by Km-Id $KMID_K: Km, its KeId and Enrolee-ID (200), logged" \
	"$code $body" "$(tail -1 "$tmp/mefk.log")"
expect_km "the same Km-Id from maf-2 (listed, the Ke not configured for it)" 404 unknown-km-id \
	"no Ke configured for a MAF-ID of this client gives this Km-Id" \
	-- maf-2 "$(askid "$KMID_K")"
expect_km "an unknown Km-Id" 404 unknown-km-id "" \
	-- maf-1 "$(askid "AAAAAAAAAAAAAAAAAAAAAA==@maf.test")"
ctl onem2m-ids --ke "$KEX" --mef mef.test --maf-id maf-1 --enrolee-id CAE-1 --target maf.test
KMID_X=$(field km_id)
expect_km "the Km-Id of the expired Ke" 404 expired-ke "" -- maf-1 "$(askid "$KMID_X")"
expect_km "km-id beside ke-id" 400 bad-request \
	"\\\"km-id\\\" comes without \\\"ke-id\\\" and \\\"enrolee-id\\\"" \
	-- maf-1 "{\"km-id\":\"$KMID_K\",\"ke-id\":\"$KEIDK\"}"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' --max-time 10 --cacert "$tmp/ca.crt" \
	--cert "$tmp/node-b.crt" --key "$tmp/node-b.key" -H "Content-Type: application/json" \
	--data-binary "$(askid "$KMID_K")" "https://$KMSRV/onem2m/v1/kpsa")
body=$(cat "$tmp/body")
[ "$code" = 400 ] && grep -qF '"detail":"\"km-id\" is for /onem2m/v1/km only"' <<< "$body" &&
	wait_log mefk "event=kpsa-refused status=400 error=bad-request km-id=\"$KMID_K\" .*peer=node-b$" 1
result $((! $?)) "km-id on the Kpsa path: 400, logged kpsa-refused" "$code $body" "$(tail -1 "$tmp/mefk.log")"
