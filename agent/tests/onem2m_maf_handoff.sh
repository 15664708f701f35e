# SPDX-License-Identifier: GPL-2.0
#
# The network side's keys handed to an application (tests/onem2m_km.sh,
# sourced after onem2m_km_pull.sh, the MEF mefk with 600 s Kes and
# maf-clients back; daemon/maf/maf_handoff.h): a MAF with roles.maf.handoff
# gives each Km it keeps to the application's uid as a "user" key
# "onem2m:" Km-Id in that uid's persistent keyring: the bytes are the Km
# the Enrolee derives (and its own e2mctl onem2m handoff gives), owned by
# that uid, read by it alone, expiring with the Ke; a Km-Id the row no
# longer holds is invalidated, and so is the key of a row km-remove
# takes away; a restart gives the live rows again; a restart with
# another uid takes the keys back from the old one (the store's record)
# and gives them to the new; a hand-off that fails (the uid's key quota
# full) is logged and counted and the Km still served from the store;
# the uid's persistent keyring renewed by the purge timer (under a
# persistent_keyring_expiry of 100 s, put back after); the counters in
# status and in the metrics, exactly; no key in the log or the store
# files. Also the option's bad values, refused by --check-config.

# write_mafh HANDOFF [NAME]: the MAF of this part with handoff: HANDOFF
write_mafh() {
	cat > "$tmp/mafh.yaml" <<-EOF2
	log: { level: info }
	$(config_base mafh maf-1)
	roles:
	  maf: { name: ${2-maf.test}, listen: "127.0.0.1:0", mef-url: "https://$KMSRV",
	         handoff: $1 }
	metrics: { listen: "127.0.0.1:0" }
	EOF2
}
mafhctl() { ctl --socket "$tmp/run/mafh.sock" onem2m "$@"; }
mafh_status() { "$E2MCTL" --socket "$tmp/run/mafh.sock" status | grep '^role=maf'; }
# mafh_metrics: the maf role's series of the metrics listener, one line
mafh_metrics() {
	curl -sS --max-time 10 "http://$(ready_value mafh metrics)/metrics" |
		awk '$1 ~ /^e2m_maf_/ { printf "%s%s=%s", sep, $1, $2; sep = " " }'
}
# handed_serial KEY-ID: the serial of the last km-handed of KEY-ID
handed_serial() {
	grep "event=km-handed km-id=\"$1\" " "$tmp/mafh.log" | sed -n '$s/.* serial=//p'
}
# timeout_of UID SERIAL: /proc/keys' timeout column of SERIAL, as UID sees it
timeout_of() {
	as_uid "$1" awk -v s="$(printf %08x "$2")" '$1 == s { print $4 }' /proc/keys
}

# --- the option's bad values --------------------------------------------------

store_keys mafh
line=$(($(config_base mafh maf-1 | wc -l) + 4))
for bad in "{ uid: 0 }|roles.maf.handoff.uid: must be an integer from 1 to 4294967294, not '0'" \
	   "{ uid: nobody }|roles.maf.handoff.uid: must be an integer from 1 to 4294967294, not 'nobody'" \
	   "{ uid: 4294967295 }|roles.maf.handoff.uid: must be an integer from 1 to 4294967294, not '4294967295'" \
	   "{ uid: 65534, gid: -1 }|roles.maf.handoff.gid: must be an integer from 0 to 4294967294, not '-1'" \
	   "{ gid: 5 }|roles.maf.handoff: missing key 'uid'" \
	   "{ uid: 65534, group: 5 }|roles.maf.handoff: unknown key 'group' (expected one of: uid, gid)" \
	   "65534|roles.maf.handoff: must be a mapping (key: value lines), not a scalar"; do
	write_mafh "${bad%%|*}"
	"$E2MD" --check-config -c "$tmp/mafh.yaml" > "$tmp/out" 2> "$tmp/err"
	status=$?
	want="$tmp/mafh.yaml:$line: ${bad#*|}"
	[ $status = 1 ] && [ ! -s "$tmp/out" ] && [ "$(cat "$tmp/err")" = "$want" ]
	result $((! $?)) "--check-config refuses handoff: ${bad%%|*}, with its line" \
		"got:  $(cat "$tmp/err")" "want: $want"
done
write_mafh "{ uid: 65534, gid: 65534 }"
"$E2MD" --check-config -c "$tmp/mafh.yaml" > "$tmp/out" 2> "$tmp/err" &&
	[ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ]
result $((! $?)) "--check-config takes handoff: { uid: 65534, gid: 65534 }" "$(cat "$tmp/out" "$tmp/err")"

# --- km-fetch: the Km to uid 65534 ------------------------------------------------

write_mafh "{ uid: 65534 }"
start mafh || { echo "Bail out! the MAF with handoff did not start"; sed 's/^/# /' "$tmp/mafh.log"; exit 1; }
MAFH=$(ready_value mafh maf.enrolees)
mafhctl km-fetch --ke-id "$KEIDK" --enrolee-id CAE-1
wait_log mafh "level=info role=maf event=km-handed km-id=\"$KMID\" uid=65534 serial=[0-9]*\$" 1
serial=$(handed_serial "$KMID")
[ $status = 0 ] && [ "${out% expires=*}" = "km_id=$KMID ke_id=$KEIDK enrolee_id=CAE-1" ] &&
	[ "$serial" -gt 0 ] && [ "$(handed 65534 "$KMID")" = "$KM" ]
result $((! $?)) "km-fetch with handoff: uid 65534 finds onem2m:$KMID in its persistent keyring, and it is the Km" \
	"$out $err" "$(grep handoff "$tmp/mafh.log")" "$(handed 65534 "$KMID")"
got=$(as_uid 65534 keyctl rdescribe "$serial" 2>&1)
want="user;65534;$(id -g nobody 2>/dev/null || echo 65534);0b0b0000;onem2m:$KMID"
[ "$got" = "$want" ]
result $((! $?)) "it is uid 65534's own (its passwd group), possessor and owner view, read, search only (0b0b0000)" \
	"got:  $got" "want: $want"
other=$(as_uid 65533 keyctl pipe "$serial" 2>&1 > /dev/null)
[ "$other" = "keyctl_read_alloc: Permission denied" ]
result $((! $?)) "another uid (65533) cannot read it: EACCES" "$other"
other=$(as_uid 65534 keyctl setperm "$serial" 0x3f3f0000 2>&1)
[ "$other" = "keyctl_setperm: Permission denied" ]
result $((! $?)) "nor can uid 65534 widen it (no setattr)" "$other"
# Its timeout is the Ke's end: km-list's expires, in /proc/keys' minutes.
mafhctl km-list
left=$(( $(date -d "${out##* expires=}" +%s) - $(date +%s) ))
got=$(timeout_of 65534 "$serial")
[ "$got" = "$((left / 60))m" ] || [ "$got" = "$(((left - 1) / 60))m" ]
result $((! $?)) "its timeout is the Km's expiry: $got ($left s left in km-list)" "$got"
eectl handoff --ke-id "$KEIDK" --target maf.test --uid 65531
[ $status = 0 ] && [ "$(field key_id)" = "$KMID" ] &&
	[ "$(handed 65531 "$KMID")" = "$(handed 65534 "$KMID")" ] &&
	as_uid 65531 keyctl unlink "$(field serial)" > /dev/null
result $((! $?)) "the Enrolee's own onem2m handoff (uid 65531) gives the same bytes under the same description" \
	"$out" "$err"
mafh_status | grep -q " fetched=1 fetch-failed=0 kms=1 dtls-sessions=0 dtls-dropped=0 handed=1 handoff-failed=0 keyring-renewals=1\$" &&
	! grep -qi "$KM" "$tmp/mafh.log" &&
	wait_log mafh "level=info role=maf event=keyring-renewed uid=65534 serial=[0-9]*\$" 1
result $((! $?)) "status: handed=1 handoff-failed=0 keyring-renewals=1 (the start's); the Km not in the log" "$(mafh_status)"
got=$(mafh_metrics)
want="e2m_maf_handed_total=1 e2m_maf_handoff_failed_total=0 e2m_maf_keyring_renewals_total=1"
[ "$got" = "$want" ]
result $((! $?)) "metrics: the same counters" "got:  $got" "want: $want"

# --- a Km of a Ke of 2 s: unreadable when it expires ------------------------------

write_mefk 2
kill -HUP "${pid[mefk]}"
wait_log mefk "event=reloaded" 5
eectl enrol --mef-uri "https://$MEFK" --mef mef.test --kpm-id kpm-k
KEIDH=$(field ke_id)
mafhctl km-fetch --ke-id "$KEIDH" --enrolee-id CAE-1
fetched_at=$(date +%s.%N)
KMIDH=$(sed 's/^km_id=\([^ ]*\) .*/\1/' <<< "$out")
write_mefk 600
kill -HUP "${pid[mefk]}"
wait_log mefk "event=reloaded" 6
wait_log mafh "event=km-handed km-id=\"$KMIDH\" uid=65534 " 1
serialh=$(handed_serial "$KMIDH")
# Read once: the column counts down (2s, 1s, 0s) between two reads.
timeouth=$(timeout_of 65534 "$serialh")
[ "$serialh" -gt 0 ] && case $timeouth in 0s|1s|2s) true ;; *) false ;; esac
result $((! $?)) "a Km of a Ke of 2 s handed: timeout $timeouth" "$(tail -2 "$tmp/mafh.log")"
sleep "$(echo "$fetched_at + 2.2 - $(date +%s.%N)" | bc | sed 's/^-.*/0/')"
other=$(as_uid 65534 keyctl pipe "$serialh" 2>&1 > /dev/null)
[ "$other" = "keyctl_read_alloc: Key has expired" ] &&
	[ "$(as_uid 65534 keyctl pipe "$serial" | od -An -tx1 | tr -d ' \n')" = "$KM" ]
result $((! $?)) "once its Ke has expired the key is unreadable (EKEYEXPIRED); the other still read" "$other"

# --- another Km-Id for the row: the old key invalidated ---------------------------

# A new name (SIGHUP) gives the same (KeId, Enrolee-ID) another Km-Id.
write_mafh "{ uid: 65534 }" maf2.test
kill -HUP "${pid[mafh]}"
wait_log mafh "event=reloaded" 1
KMID2="${KMID%@*}@maf2.test"
mafhctl km-fetch --ke-id "$KEIDK" --enrolee-id CAE-1
wait_log mafh "level=info role=maf event=km-withdrawn km-id=\"$KMID\" uid=65534 serial=$serial\$" 1 &&
	wait_log mafh "event=km-handed km-id=\"$KMID2\" uid=65534 " 1
other=$(as_uid 65534 keyctl pipe "$serial" 2>&1 > /dev/null)
[ $status = 0 ] && [ "${out%% *}" = "km_id=$KMID2" ] &&
	[ "$other" = "keyctl_read_alloc: Required key not available" ] &&
	[ "$(handed 65534 "$KMID2")" = "$KM" ] &&
	[[ "$(handed 65534 "$KMID")" == *"Required key not available"* ]]
result $((! $?)) "the row's Km-Id replaced ($KMID2): the old key invalidated (ENOKEY), the new one handed" \
	"$out $err" "$other" "$(grep "km-withdrawn\|km-handed" "$tmp/mafh.log" | tail -2)"

# --- a restart: the live rows handed again -------------------------------------

serial2=$(handed_serial "$KMID2")
as_uid 65534 keyctl invalidate "$serial2"
stop mafh
result $((stop_status == 0)) "the MAF with handoff stops cleanly"
start mafh || { echo "Bail out! the MAF with handoff did not start again"; sed 's/^/# /' "$tmp/mafh.log"; exit 1; }
MAFH=$(ready_value mafh maf.enrolees)
wait_log mafh "event=km-handed km-id=\"$KMID2\" uid=65534 " 2
[ "$(handed_serial "$KMID2")" != "$serial2" ] && [ "$(handed 65534 "$KMID2")" = "$KM" ] &&
	mafh_status | grep -q " kms=1 .* handed=1 handoff-failed=0 keyring-renewals=1\$"
result $((! $?)) "restarted: the key the application lost is handed again from the store (new serial)" \
	"$(grep km-handed "$tmp/mafh.log" | tail -1)" "$(mafh_status)"

# --- km-remove: the row goes, and the application's key with it -----------------

serial2=$(handed_serial "$KMID2")
mafhctl km-remove --km-id "$KMID2"
[ $status = 0 ] && [ -z "$out$err" ] &&
	wait_log mafh "level=info role=maf event=km-withdrawn km-id=\"$KMID2\" uid=65534 serial=$serial2\$" 1 &&
	wait_log mafh "level=info role=maf event=km-removed km-id=\"$KMID2\"\$" 1 &&
	[ "$(as_uid 65534 keyctl pipe "$serial2" 2>&1 > /dev/null)" = "keyctl_read_alloc: Required key not available" ] &&
	mafhctl km-list && [ -z "$out" ]
result $((! $?)) "km-remove: the row gone (km-list empty), its key invalidated (ENOKEY), both logged" \
	"$out $err" "$(tail -2 "$tmp/mafh.log")"
MAFL=$MAFH assoc "$KMID2" "$KM" -tls1_2
[ -z "$code" ]
result $((! $?)) "and the association with the removed Km-Id fails at the handshake" "$code" "$tls"
mafhctl km-remove --km-id "$KMID2"
[ $status = 1 ] && [ -z "$out" ] && [ "$err" = "e2mctl: onem2m km-remove: no Km of that Km-Id" ]
result $((! $?)) "km-remove again: exit 1, no Km of that Km-Id" "$err"
mafhctl km-remove --km-id kpm-1
[ $status = 1 ] && [ "$err" = 'e2mctl: onem2m km-remove: "km-id" is not base64 of 16 octets "@" an FQDN' ]
result $((! $?)) "km-remove of an id that is no Km-Id: refused" "$err"
mafhctl km-fetch --ke-id "$KEIDK" --enrolee-id CAE-1
[ $status = 0 ] && wait_log mafh "event=km-handed km-id=\"$KMID2\" uid=65534 " 3 &&
	[ "$(handed 65534 "$KMID2")" = "$KM" ]
result $((! $?)) "fetched again: handed again" "$out $err"

# --- another uid at restart: the old uid's keys taken back -----------------------

serial3=$(handed_serial "$KMID2")
stop mafh
sed -i 's/handoff: { uid: 65534 }/handoff: { uid: 65530 }/' "$tmp/mafh.yaml"
start mafh || { echo "Bail out! the MAF with handoff to 65530 did not start"; sed 's/^/# /' "$tmp/mafh.log"; exit 1; }
MAFH=$(ready_value mafh maf.enrolees)
wait_log mafh "level=info role=maf event=km-withdrawn km-id=\"$KMID2\" uid=65534 serial=$serial3\$" 1 &&
	wait_log mafh "level=info role=maf event=km-handed km-id=\"$KMID2\" uid=65530 serial=[0-9]*\$" 1
old=$(as_uid 65534 keyctl pipe "$serial3" 2>&1 > /dev/null)
[ "$old" = "keyctl_read_alloc: Required key not available" ] &&
	[[ "$(handed 65534 "$KMID2")" == *"Required key not available"* ]] &&
	[ "$(handed 65530 "$KMID2")" = "$KM" ] &&
	mafh_status | grep -q " kms=1 .* handed=1 handoff-failed=0 keyring-renewals=1\$"
result $((! $?)) "restarted with uid 65530: uid 65534's key invalidated (it finds and reads nothing), uid 65530's is the Km" \
	"$old" "$(grep "km-withdrawn\|km-handed" "$tmp/mafh.log" | tail -2)" "$(mafh_status)"

# --- a hand-off that fails: logged, counted, the Km still served ------------------

# uid 65532's key quota (kernel.keys.maxkeys) filled in its persistent keyring.
# shellcheck disable=SC2016
filled=$(as_uid 65532 sh -c 'r=$(keyctl get_persistent @s) && i=0 &&
	while keyctl add user "fill$i" x "$r" > /dev/null 2>&1; do i=$((i + 1)); done; echo $i')
serial4=$(handed_serial "$KMID2")
sed -i 's/handoff: { uid: 65530 }/handoff: { uid: 65532 }/' "$tmp/mafh.yaml"
kill -HUP "${pid[mafh]}"
wait_log mafh "roles.maf.handoff changed: restart e2md to apply it; keeping the old configuration" 1
result $((! $?)) "handoff changed by SIGHUP: needs a restart" "$(tail -1 "$tmp/mafh.log")"
stop mafh
start mafh || { echo "Bail out! the MAF with handoff to 65532 did not start"; sed 's/^/# /' "$tmp/mafh.log"; exit 1; }
MAFH=$(ready_value mafh maf.enrolees)
wait_log mafh "level=warning role=maf event=handoff-failed km-id=\"$KMID2\" uid=65532 step=add_key error=\"Disk quota exceeded\"\$" 1 &&
	mafh_status | grep -q " kms=1 .* handed=0 handoff-failed=1 keyring-renewals=1\$" &&
	[ "$(mafh_metrics)" = "e2m_maf_handed_total=0 e2m_maf_handoff_failed_total=1 e2m_maf_keyring_renewals_total=1" ] &&
	wait_log mafh "level=info role=maf event=km-withdrawn km-id=\"$KMID2\" uid=65530 serial=$serial4\$" 1 &&
	[[ "$(handed 65530 "$KMID2")" == *"Required key not available"* ]] &&
	mafhctl km-list && [ "${out% expires=*}" = "km_id=$KMID2 ke_id=$KEIDK enrolee_id=CAE-1" ]
result $((! $?)) "uid 65532's quota full ($filled keys): handoff-failed logged with the step and errno, counted (metrics too); uid 65530's key taken back; the row kept" \
	"$(grep handoff-failed "$tmp/mafh.log")" "$(mafh_status)" "$(mafh_metrics)" "$out"
MAFL=$MAFH assoc "$KMID2" "$KM" -tls1_2
[ "$code" = 200 ] && [ "$(json_member km-id)" = "$KMID2" ]
result $((! $?)) "and the association with Km-Id $KMID2 is up (200), the Km from the store" "$code $body" "$tls"
# shellcheck disable=SC2016
as_uid 65532 sh -c 'keyctl clear "$(keyctl get_persistent @s)"'

# --- the persistent keyring renewed by the purge timer ---------------------------

# Under an expiry of 100 s the renewal is due every 50 s: the start's,
# then the timer's tick 60 s later. Nothing else of uid 65530's asks for
# its keyring meanwhile; /proc/keys shows its timeout (1m just renewed,
# under 60 s had it not been). The sysctl is the host's: make check runs
# this suite plain and under ASan at once, so the section from reading
# it to putting it back holds a lock, or one run would see the other's
# 100 s and put that back.
expiry_file=/proc/sys/kernel/keys/persistent_keyring_expiry
expiry_lock=/run/lock
[ -d "$expiry_lock" ] || expiry_lock=/tmp
exec {expiry_fd}> "$expiry_lock/e2m-persistent-keyring-expiry.lock"
flock "$expiry_fd"
expiry_was=$(cat "$expiry_file")
stop mafh
sed -i 's/handoff: { uid: 65532 }/handoff: { uid: 65530 }/' "$tmp/mafh.yaml"
if echo 100 > "$expiry_file" 2> /dev/null; then
	renewals=$(grep -c "event=keyring-renewed uid=65530 " "$tmp/mafh.log")
	start mafh || { echo "$expiry_was" > "$expiry_file"
		echo "Bail out! the MAF did not start again"; sed 's/^/# /' "$tmp/mafh.log"; exit 1; }
	wait_log mafh "event=km-handed km-id=\"$KMID2\" uid=65530 " 2
	ring=$(as_uid 65530 awk '$9 == "_persistent.65530:" { print $1 }' /proc/keys)
	# The start's renewal, then the tick's (a minute on; 2 at most).
	for i in $(seq 1200); do
		[ "$(grep -c "event=keyring-renewed uid=65530 " "$tmp/mafh.log")" -ge $((renewals + 2)) ] && break
		sleep 0.1
	done
	[ "$(grep -c "level=info role=maf event=keyring-renewed uid=65530 serial=$((16#$ring))\$" "$tmp/mafh.log")" \
		= $((renewals + 2)) ]
	renewed=$?
	timeout=$(as_uid 65530 awk -v r="$ring" '$1 == r { print $4 }' /proc/keys)
	echo "$expiry_was" > "$expiry_file"
	[ $renewed = 0 ] && [ -n "$ring" ] && [ "$timeout" = 1m ] &&
		mafh_status | grep -q " handed=1 handoff-failed=0 keyring-renewals=2\$" &&
		[ "$(mafh_metrics)" = "e2m_maf_handed_total=1 e2m_maf_handoff_failed_total=0 e2m_maf_keyring_renewals_total=2" ] &&
		[ "$(handed 65530 "$KMID2")" = "$KM" ]
	result $((! $?)) "the timer renewed uid 65530's persistent keyring (timeout $timeout of 100 s after 60 s): keyring-renewals=2, the key still there" \
		"$(grep keyring-renewed "$tmp/mafh.log" | tail -2)" "$(mafh_status)" "$(mafh_metrics)"
	[ "$(cat "$expiry_file")" = "$expiry_was" ]
	result $((! $?)) "persistent_keyring_expiry put back ($expiry_was)"
else
	tap_skip "the keyring renewal under a short expiry" "cannot write $expiry_file"
	tap_skip "persistent_keyring_expiry put back" "not changed"
	start mafh || { echo "Bail out! the MAF did not start again"; sed 's/^/# /' "$tmp/mafh.log"; exit 1; }
fi
flock -u "$expiry_fd"
exec {expiry_fd}>&-
stop mafh
cat "$tmp/mafh.db"* | xxd -p | tr -d '\n' > "$tmp/mafh-store.hex"
[ $stop_status = 0 ] && ! grep -q "Sanitizer\|runtime error" "$tmp/mafh.log" &&
	! grep -qi "$KM" "$tmp/mafh.log" && ! grep -qi "${KM:0:32}" "$tmp/mafh-store.hex"
result $((! $?)) "the MAF stops cleanly; the Km is in neither its log nor its store files in the clear" \
	"$(tail -3 "$tmp/mafh.log")"
