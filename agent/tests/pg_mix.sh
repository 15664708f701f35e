# SPDX-License-Identifier: GPL-2.0
#
# The issue's mixed load, sourced by tests/pg_test.sh once both HSS serve
# again after its kill -9 load: two HSS and two BSF e2md on ONE database
# (the BSFs' sessions and challenges beside the HSSs' subscribers), each
# BSF asking its own HSS over Zh; MIX_REQUESTS requests for the same
# MIX_SUBSCRIBERS subscribers, half BEST AV requests (tests/pg_load.py,
# 8 clients, 4 at each HSS) and half bootstraps over Ub (tests/ub_load.c,
# a USIM per subscriber, each bootstrap at the next BSF in turn), both at
# once; the first BSF killed (-9) once MIX_KILL_AFTER bootstraps were
# answered, its UEs going on at the second. Then:
#
#   every AV request and every bootstrap answered 200, no USIM resynced;
#   no B-TID answered twice, and each one answered is a session in the
#   database (nothing answered 200 lost with the killed instance);
#   no SQN twice for a subscriber over the AV vectors and every challenge
#   the BSFs made (its SQN from the nonce's AUTN and Milenage's AK,
#   tests/gba_peer.py's sqn), answered or not;
#   every challenge answered is spent in the database, without its secret.
#
# E2M_PG_MIX="REQUESTS SUBSCRIBERS KILL_AFTER" runs a larger one by hand
# (the issue's: "2000 20 300").
read -r MIX_REQUESTS MIX_SUBSCRIBERS MIX_KILL_AFTER <<< "${E2M_PG_MIX:-200 8 30}"
MIX_AV=$((MIX_REQUESTS / 2))
MIX_BOOT=$((MIX_REQUESTS - MIX_AV))
UB_LOAD=$(dirname "$E2MCTL")/tests/ub_load
mix_imsi() { printf '0010100001%05d' $1; }
mix_iccid() { printf '89882110000001%05d' $1; }

mix_t0=$(date +%s%N)
mix_args=() mix_iccids=() mix_added=0
for i in $(seq 0 $((MIX_SUBSCRIBERS - 1))); do
	ctl --socket "$tmp/run/hss_a.sock" subscriber add \
		--imsi $(mix_imsi $i) --impi mix$i@home1.net \
		--keys <(printf '%s\n' k=$K1 opc=$OPC1)
	[ $status = 0 ] && mix_added=$((mix_added + 1))
	uectl usim add --iccid $(mix_iccid $i) --imsi $(mix_imsi $i) \
		--impi mix$i@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1)
	[ $status = 0 ] && mix_added=$((mix_added + 1))
	mix_args+=(--imsi $(mix_imsi $i))
	mix_iccids+=($(mix_iccid $i))
done
bsf_yaml mix_0 e2m_hss "${addr[0]}"
bsf_yaml mix_1 e2m_hss "${addr[1]}"
started=1
start mix_0 && start mix_1 || started=0
result $((started && mix_added == 2 * MIX_SUBSCRIBERS)) \
	"the mix: two BSF on the HSSs' database, $MIX_SUBSCRIBERS subscribers and their USIMs" \
	"$(tail -n 5 "$tmp/mix_0.log" "$tmp/mix_1.log" 2> /dev/null)"
mix_urls="http://$(ready_value mix_0 bsf.ub),http://$(ready_value mix_1 bsf.ub)"

: > "$tmp/mix.btids"
mix_start=$(date +%s%N)
python3 "$here/pg_load.py" --hss "${addr[0]}" --hss "${addr[1]}" \
	--ca "$tmp/ca.crt" --cert "$tmp/sgw.test.crt" \
	--key "$tmp/sgw.test.key" --k $K1 --opc $OPC1 "${mix_args[@]}" \
	--requests $MIX_AV --threads 8 --out "$tmp/mix.sqn" \
	> "$tmp/mix_av.out" 2>&1 &
av_pid=$!
"$UB_LOAD" "$mix_urls" "$tmp/ue.db" "$tmp/ue.key" $MIX_BOOT \
	"$tmp/mix.btids" "${mix_iccids[@]}" > "$tmp/mix_ub.out" 2>&1 &
ub_pid=$!
# Not bash's "Killed" line.
{
	for i in $(seq 1200); do
		[ "$(wc -l < "$tmp/mix.btids")" -ge $MIX_KILL_AFTER ] && break
		sleep 0.025
	done
	kill -9 "${pid[mix_0]}"
	wait "${pid[mix_0]}"
	mix_killed=$?
} 2> /dev/null
pid[mix_0]=
killed_at=$(wc -l < "$tmp/mix.btids")
wait $av_pid
wait $ub_pid
ub_status=$?
mix_ms=$((($(date +%s%N) - mix_start) / 1000000))
mix() { sed -n "s/^.*$1=\([0-9]*\).*/\1/p" "$tmp/$2"; }
echo "# the mix: $MIX_AV AV requests and $MIX_BOOT bootstraps in $mix_ms ms, BSF 0 killed after $killed_at bootstraps"
tap_is "$(mix answered mix_av.out) $(mix given_up mix_av.out) $(mix ok mix_ub.out) $ub_status $mix_killed" \
	"$MIX_AV 0 $MIX_BOOT 0 137" \
	"- the mix: $MIX_AV AV requests at two HSS and $MIX_BOOT bootstraps at two BSF at once, the first BSF killed (-9) after $MIX_KILL_AFTER: every one answered 200" \
	"$(cat "$tmp/mix_av.out" "$tmp/mix_ub.out")"
# A USIM resynchronises where the kill lost its answer to a challenge it
# had accepted: that challenge, still pending in the database, is handed
# out again by the other BSF (as one instance does when an answer is lost
# on the way). At most one a USIM; an SQN made twice is the check below.
resynced=$(mix resynced mix_ub.out)
result $((resynced <= MIX_SUBSCRIBERS)) \
	"the mix: at most one AUTS a USIM, after the kill ($resynced)"
pg_sql e2m_hss "SELECT btid FROM sessions WHERE impi LIKE 'mix%'" |
	sort > "$tmp/mix.sessions"
sort "$tmp/mix.btids" > "$tmp/mix.answered"
tap_is "$(wc -l < "$tmp/mix.answered") $(sort -u "$tmp/mix.answered" | wc -l) $(comm -23 "$tmp/mix.answered" "$tmp/mix.sessions" | wc -l)" \
	"$MIX_BOOT $MIX_BOOT 0" \
	"- the mix: $MIX_BOOT B-TIDs answered, none twice, each a session in the database (none lost with the killed BSF)"

# The SQN of every challenge made (the nonce's AUTN), with its subscriber.
pg_sql e2m_hss "SELECT impi, nonce FROM bsf_challenges
	WHERE impi LIKE 'mix%' AND flags & 2 = 0" > "$tmp/mix.nonces"
python3 -c '
import base64, sys
for line in sys.stdin:
    raw = base64.b64decode(line.rstrip("\n").split("|")[1])
    print(raw[:16].hex(), raw[16:].hex())' < "$tmp/mix.nonces" > "$tmp/mix.randautn"
python3 "$here/gba_peer.py" sqn --k $K1 --opc $OPC1 \
	< "$tmp/mix.randautn" > "$tmp/mix.boot_sqn"
{
	paste -d' ' <(cut -d'|' -f1 "$tmp/mix.nonces" |
		sed 's/^mix\([0-9]*\)@.*/\1/') "$tmp/mix.boot_sqn"
	while read -r _ imsi sqn; do
		echo "$((10#${imsi: -5})) $sqn"
	done < "$tmp/mix.sqn"
} > "$tmp/mix.all_sqn"
tap_is "$(wc -l < "$tmp/mix.nonces") $(wc -l < "$tmp/mix.sqn") $(sort "$tmp/mix.all_sqn" | uniq -d | wc -l)" \
	"$(wc -l < "$tmp/mix.boot_sqn") $MIX_AV 0" \
	"- the mix: no SQN twice for a subscriber over the $MIX_AV AV vectors and the BSFs' $(wc -l < "$tmp/mix.nonces") challenges"
spent=$(pg_sql e2m_hss "SELECT count(*) FILTER (WHERE spent = 1 AND secret IS NULL),
	count(*) FILTER (WHERE spent = 1 AND secret IS NOT NULL)
	FROM bsf_challenges WHERE impi LIKE 'mix%'")
result $(( ${spent%|*} >= MIX_BOOT && ${spent#*|} == 0 )) \
	"the mix: every challenge answered is spent in the database without its secret ($spent)"
stop mix_1
result $((stop_status == 0)) "the mix: the surviving BSF stops cleanly" \
	"$(tail -n 5 "$tmp/mix_1.log")"
echo "# the mix, set-up and checks included: $((($(date +%s%N) - mix_t0) / 1000000)) ms"
