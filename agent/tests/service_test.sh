#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# e2md under a service manager: the systemd units in agent/dist/systemd/
# pass `systemd-analyze verify` and hold their exposure (`systemd-analyze
# security --offline`) under 3.0; e2md speaks the Type=notify protocol to
# a listener standing in for systemd (agent/tests/notify_listener.py):
# READY=1 only once it serves, RELOADING=1 then READY=1 around a SIGHUP
# (a good and a broken configuration), STOPPING=1 on SIGTERM, and a
# notify socket that is gone costs a warning, not the service; it allows
# no core dumps and is not dumpable (its own user cannot read its memory);
# admin.group lets a group's members use the admin socket, and nobody
# else but root. Prints TAP.
#
#   tests/service_test.sh [E2MCTL [E2MD]]    (or the E2MCTL and E2MD variables)
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=$(realpath "${2:-$E2MD}")	# the units under test name it absolutely
units=$here/../dist/systemd

need_root "the admin socket needs root"
need_tools openssl systemd-analyze setpriv
make_tmp
. "$here/daemon_lib.sh"

is() {	# GOT WANT NAME: exact string comparison, as the agent's suites print
	if [ "$1" = "$2" ]; then
		result 1 "$3"
	else
		result 0 "$3" "got:  '$1'" "want: '$2'"
	fi
}

# --- the units ------------------------------------------------------------

# Installed units name /usr/sbin/e2md; verify checks that ExecStart exists,
# so the copies under test name this build's, and that the man pages of
# Documentation= exist: this build's (MANPATH).
mandir=$(dirname "$E2MD")/man
[ -d "$mandir" ] || mandir=$here/../build/man
for unit in e2md@.service e2md-kernel@.service; do
	instance=${unit/@/@test}
	sed "s|/usr/sbin/e2md|$E2MD|g" "$units/$unit" > "$tmp/$instance"
	out=$(MANPATH=$mandir systemd-analyze verify "$tmp/$instance" 2>&1)
	result $((! $? && ${#out} == 0)) "$unit: systemd-analyze verify, silent" \
		"$out"
	exposure=$(systemd-analyze security --offline=true "$tmp/$instance" \
		2> /dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p')
	result "$(awk -v e="$exposure" 'BEGIN { print (e != "" && e < 3.0) }')" \
		"$unit: exposure $exposure, under 3.0"
done
grep -q '^CapabilityBoundingSet=$' "$units/e2md@.service"
result $((! $?)) "e2md@.service: no capability at all"
grep -q '^CapabilityBoundingSet=CAP_NET_ADMIN$' "$units/e2md-kernel@.service" &&
	[ "$(grep -c '^CapabilityBoundingSet=' "$units/e2md-kernel@.service")" = 1 ]
result $((! $?)) "e2md-kernel@.service: CAP_NET_ADMIN and nothing else"

# --- a daemon and its notifications ----------------------------------------

if ! { ca ca && pki hss.test ca; }; then
	echo "Bail out! openssl could not make the test certificates"
	exit 1
fi
store_keys store
export E2M_SOCKET=$tmp/run/e2md.sock
write_config() {	# NAME [ADMIN-GROUP]
	cat > "$tmp/$1.yaml" <<-EOF
	log:
	  level: info
	store:
	  path: $tmp/$1.db
	  key-file: $tmp/store.key
	admin:
	  socket: $E2M_SOCKET
	  ${2:+group: $2}
	tls:
	  certificate: $tmp/hss.test.crt
	  private-key: $tmp/hss.test.key
	  ca: $tmp/ca.crt
	roles:
	  hss:
	    listen: "127.0.0.1:0"
	    clients: [bsf.test]
	    sn-clients: [sgw.test]
	EOF
}

notify_log=$tmp/notify.log
: > "$notify_log"
python3 "$here/notify_listener.py" "$tmp/notify.sock" "$notify_log" &
pid[listener]=$!
for _ in $(seq 200); do
	[ -S "$tmp/notify.sock" ] && break
	sleep 0.025
done

# wait_notify COUNT: until the listener has COUNT messages
wait_notify() {
	local i
	for i in $(seq 200); do
		[ "$(wc -l < "$notify_log")" -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

notifications() {	# the messages, without the pids
	cut -f1 "$notify_log" | tr '\n' '/'
}

write_config hss
NOTIFY_SOCKET=$tmp/notify.sock start hss
result $((! $?)) "e2md starts with NOTIFY_SOCKET set"
wait_notify 1
is "$(notifications)" "READY=1|STATUS=serving: hss/" \
	"READY=1 once it serves, with its roles in STATUS"
hss_pid=${pid[hss]}
is "$(cut -f2 "$notify_log")" "$hss_pid" \
	"the notification comes from the main pid (NotifyAccess=main)"
port=$(ready_value hss hss.zh | sed 's/.*://')
(exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null
result $((! $?)) "the Zh listener accepts by the time READY=1 is sent"

kill -HUP "$hss_pid"
wait_notify 3
is "$(notifications)" \
	"READY=1|STATUS=serving: hss/RELOADING=1|STATUS=reloading the configuration/READY=1|STATUS=serving: hss/" \
	"SIGHUP: RELOADING=1, then READY=1 once reloaded"

echo "roles: [" >> "$tmp/hss.yaml"
kill -HUP "$hss_pid"
wait_notify 5
is "$(notifications | cut -d/ -f4-)" \
	"RELOADING=1|STATUS=reloading the configuration/READY=1|STATUS=serving, the reload failed: hss/" \
	"a broken configuration: READY=1 again, STATUS says the reload failed"

is "$(sed -n 's/^Max core file size *\([0-9a-z]*\) *\([0-9a-z]*\).*/\1 \2/p' \
	"/proc/$hss_pid/limits")" "0 0" "no core dumps: RLIMIT_CORE 0, hard and soft"

stop hss
is "$(notifications | cut -d/ -f6-)" \
	"STOPPING=1|STATUS=draining requests in flight/" \
	"SIGTERM: STOPPING=1 when the drain begins"
is "$stop_status" 0 "and it exits 0"

# A notify socket nobody listens on: a warning, and it serves.
write_config gone
NOTIFY_SOCKET=$tmp/nobody.sock start gone
result $((! $?)) "a notify socket that is gone does not stop the start"
wait_log gone 'event=notify-failed' 1
result $((! $?)) "it is logged as notify-failed" "$(tail -3 "$tmp/gone.log")"
stop gone

# Not dumpable: run as a user of its own (nobody), that user cannot read
# its memory map, while a dumpable process of the same user's can be read.
# An array, not a function: "as_nobody CMD &" must leave $! the command's
# own pid, not a subshell's.
as_nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups
	   --inh-caps=-all --bounding-set=-all)
own=$tmp/own
mkdir -p "$own"
chmod 755 "$tmp"
write_config own
cp "$tmp/store.key" "$tmp/hss.test.key" "$tmp/hss.test.crt" "$tmp/ca.crt" \
	"$own/"
sed -i -e "s|$tmp/own.db|$own/own.db|" -e "s|$tmp/store.key|$own/store.key|" \
	-e "s|$tmp/hss.test|$own/hss.test|" -e "s|$tmp/ca.crt|$own/ca.crt|" \
	-e "s|$E2M_SOCKET|$own/e2md.sock|" "$tmp/own.yaml"
chown -R nobody "$own"
"${as_nobody[@]}" "$E2MD" -c "$tmp/own.yaml" --ready-file "$own/ready" \
	2>> "$tmp/own.log" &
pid[own]=$!
for _ in $(seq 400); do
	[ -s "$own/ready" ] && break
	sleep 0.025
done
result "$([ -s "$own/ready" ] && echo 1 || echo 0)" "e2md runs as nobody" \
	"$(tail -3 "$tmp/own.log")"
"${as_nobody[@]}" sleep 30 &
pid[control]=$!
for _ in $(seq 200); do	# until setpriv has become sleep, as nobody
	[ "$(cat "/proc/${pid[control]}/comm" 2> /dev/null)" = sleep ] && break
	sleep 0.025
done
err=$("${as_nobody[@]}" cat "/proc/${pid[control]}/maps" 2>&1 > /dev/null)
result $((! $?)) "control: a dumpable process's map is readable by its user" \
	"$err"
err=$("${as_nobody[@]}" cat "/proc/${pid[own]}/maps" 2>&1 > /dev/null)
result $(($? != 0)) "e2md's map is not readable by its own user (not dumpable)" \
	"$err"

# --- admin.group --------------------------------------------------------------

write_config group no-such-group
"$E2MD" --check-config -c "$tmp/group.yaml" > /dev/null 2> "$tmp/err"
is "$(cat "$tmp/err")" \
	"$tmp/group.yaml:8: admin.group: no-such-group: no such group" \
	"--check-config: admin.group names a group this host lacks"

# A directory e2md makes: 0750 and the group's.
E2M_SOCKET=$tmp/group-run/e2md.sock
chmod 755 "$tmp"
write_config group nogroup
start group
result $((! $?)) "e2md starts with admin.group: nogroup"
is "$(stat -c '%a %U %G' "$E2M_SOCKET")" "660 root nogroup" \
	"the socket is 0660 and the group's"
is "$(stat -c '%a %U %G' "${E2M_SOCKET%/*}")" "750 root nogroup" \
	"the directory it made is 0750 and the group's"
as_member=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
as_supplementary=(setpriv --reuid=daemon --regid=daemon --groups=nogroup)
as_outsider=(setpriv --reuid=daemon --regid=daemon --groups=daemon)	# a group of its own
out=$("${as_member[@]}" "$E2MCTL" status 2>&1)
result $((! $? )) "a member by primary group (nobody:nogroup) gets e2mctl status" "$out"
grep -q '^version=' <<< "$out"
result $((! $?)) "and its answer" "$out"
out=$("${as_supplementary[@]}" "$E2MCTL" status 2>&1)
result $((! $?)) "a member by supplementary group (SO_PEERGROUPS) too" "$out"
out=$("${as_outsider[@]}" "$E2MCTL" status 2>&1)
result $(($? != 0)) "an outsider cannot connect (the socket's mode)" "$out"
# Loosen the file as a careless operator would: e2md still says no.
chmod 755 "${E2M_SOCKET%/*}"
chmod 666 "$E2M_SOCKET"
out=$("${as_outsider[@]}" "$E2MCTL" status 2>&1)
status=$?
grep -q 'only root and the admin group may use the admin socket' <<< "$out"
result $((status != 0 && ! $?)) "an outsider through a loosened socket: refused by e2md" \
	"$out"
wait_log group "event=admin-refused uid=$(id -u daemon)" 1
result $((! $?)) "and logged as admin-refused with its uid" \
	"$(grep admin-refused "$tmp/group.log")"
"$E2MCTL" status > /dev/null 2>&1
result $((! $?)) "root is always served"
write_config group
kill -HUP "${pid[group]}"
wait_log group "admin.group changed: restart e2md" 1
result $((! $?)) "admin.group changed by SIGHUP: needs a restart, the old one stays" \
	"$(grep reload "$tmp/group.log")"
stop group

tap_done
