#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# e2md's Prometheus endpoint, run for real on loopback: an HSS and a BSF,
# each with metrics.listen, a UE bootstrapping three times and once as a
# subscriber the HSS does not know, a client without a certificate on Zh,
# a stray path on Ub. Each scrape passes `promtool check metrics`; the
# counters are exactly what those requests make (per role, interface and
# reason), the listener answers GET /metrics only, and nothing a peer sent
# (an IMPI, a path) shows in the answer. Prints TAP.
#
#   tests/metrics_test.sh [E2MCTL [E2MD]]    (or the E2MCTL and E2MD variables)
#
# Needs root (the admin sockets take uid 0 only), openssl, curl, promtool
# (Debian package prometheus).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}

need_root "the admin socket needs root"
need_tools openssl curl promtool

make_tmp shm
. "$here/daemon_lib.sh"

is() {	# GOT WANT NAME: exact string comparison
	if [ "$1" = "$2" ]; then
		result 1 "$3"
	else
		result 0 "$3" "got:  '$1'" "want: '$2'"
	fi
}

uectl() {	# ARGS...: e2mctl on the UE's store
	ctl "$@" --store "$tmp/ue.db" --store-key-file "$tmp/ue.key"
}

scrape() {	# NAME: GET /metrics of daemon NAME into $tmp/NAME.prom
	curl -sS --max-time 10 -o "$tmp/$1.prom" -D "$tmp/$1.headers" \
		-w '%{http_code}' "http://$(ready_value "$1" metrics)/metrics"
}

# value NAME SERIES: the value of the sample SERIES (name{labels}) exactly,
# or "absent".
value() {
	awk -v s="$2" '$1 == s { print $2; found = 1 } END { if (!found) print "absent" }' \
		"$tmp/$1.prom"
}

# --- the daemons -----------------------------------------------------------

pki_ca hss.test bsf.test
store_keys hss bsf ue

cat > "$tmp/hss.yaml" <<-EOF
$(config_base hss hss.test)
metrics:
  listen: "127.0.0.1:0"
roles:
  hss:
    listen: "127.0.0.1:0"
    clients: [bsf.test]
    sn-clients: [sgw.test]
EOF
if ! start hss; then
	echo "Bail out! the HSS did not start"
	sed 's/^/# /' "$tmp/hss.log"
	exit 1
fi
HSS=$(ready_value hss hss.zh)

cat > "$tmp/bsf.yaml" <<-EOF
$(config_base bsf bsf.test)
metrics:
  listen: "127.0.0.1:0"
roles:
  bsf:
    name: bsf.test
    ub-listen: "127.0.0.1:0"
    zn-listen: "127.0.0.1:0"
    hss-url: "https://$HSS"
    nafs:
      - name: naf1.test
EOF
if ! start bsf; then
	echo "Bail out! the BSF did not start"
	sed 's/^/# /' "$tmp/bsf.log"
	exit 1
fi
UB=$(ready_value bsf bsf.ub)
METRICS=$(ready_value bsf metrics)
grep -q "level=info event=ready version=[^ ]* admin=$tmp/run/bsf.sock metrics=$METRICS bsf.ub=$UB " \
	"$tmp/bsf.log"
result $((! $?)) "the ready file and line name the metrics listener ($METRICS)"

# --- the first scrape: nothing counted yet ------------------------------------

is "$(scrape bsf)" 200 "GET /metrics: 200"
is "$(sed -n 's/^Content-Type: \(.*\)\r$/\1/Ip' "$tmp/bsf.headers")" \
	"text/plain; version=0.0.4; charset=utf-8" "the text format 0.0.4"
out=$(promtool check metrics < "$tmp/bsf.prom" 2>&1)
result $((! $?)) "promtool check metrics: the first scrape" "$out"
is "$(value bsf "e2m_build_info{version=\"$("$E2MD" --version | awk '{ print $NF }')\"}")" \
	1 "e2m_build_info names this e2md's version"
start_time=$(value bsf e2m_process_start_time_seconds)
result "$(awk -v t="$start_time" -v now="$(date +%s)" \
	'BEGIN { print (t + 0 > now - 60 && t + 0 <= now + 1) }')" \
	"e2m_process_start_time_seconds is now ($start_time)"
result "$(awk -v n="$(value bsf e2m_process_open_sockets)" \
	'BEGIN { print (n + 0 >= 3) }')" \
	"e2m_process_open_sockets counts the listeners at least"
is "$(value bsf 'e2m_http_requests_total{role="bsf",interface="ub"}')" absent \
	"no request yet: no Ub series"
is "$(value bsf e2m_store_errors_total)" 0 "no store error"
is "$(value bsf e2m_kernel_module_loaded)" absent \
	"a BSF holds no kernel device: no kernel series"

# --- known requests -------------------------------------------------------------

hssctl() { ctl --socket "$tmp/run/hss.sock" "$@"; }
for i in 1 2 3; do
	hssctl subscriber add --imsi 00101000000000$i --impi user$i@home1.net \
		--keys <(printf '%s\n' k=$K1 opc=$OPC1)
	[ $status = 0 ] || echo "Bail out! subscriber $i: $err"
done
for i in 1 2 3 9; do
	uectl usim add --iccid 898821100000000000$i --imsi 00101000000000$i \
		--impi user$i@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1)
	[ $status = 0 ] || echo "Bail out! USIM $i: $err"
done
good=0
for i in 1 2 3; do
	uectl bootstrap --iccid 898821100000000000$i --bsf "http://$UB"
	[ $status = 0 ] && good=$((good + 1))
done
is $good 3 "three bootstraps"
uectl bootstrap --iccid 8988211000000000009 --bsf "http://$UB"
result $((status != 0)) "a fourth, of a subscriber the HSS does not know, is refused" "$err"
code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' \
	"http://$UB/user9@home1.net/nowhere")
is "$code" 404 "a stray path on Ub: 404"
curl -sS --max-time 10 -o /dev/null --cacert "$tmp/ca.crt" \
	"https://$HSS/zh/v1/av" 2> /dev/null
result $((! ! $?)) "Zh without a client certificate: the handshake fails"
wait_log hss "event=tls-refused" 1
result $((! $?)) "the HSS logged the refused handshake"

# --- the counters, exactly ----------------------------------------------------

is "$(scrape bsf)" 200 "the BSF again: 200"
out=$(promtool check metrics < "$tmp/bsf.prom" 2>&1)
result $((! $?)) "promtool check metrics: the BSF after the requests" "$out"
# Each bootstrap is two requests on Ub (the challenge, the answer); the
# refused one too (its subscriber unknown, the first gets a decoy
# challenge, counted as the unknown-user refusal it is, and the USIM
# refuses its AUTN); then the stray path.
is "$(value bsf 'e2m_http_requests_total{role="bsf",interface="ub"}')" 9 \
	"Ub: 3 x 2 + 2 + 1 requests"
is "$(value bsf 'e2m_http_refusals_total{role="bsf",interface="ub",reason="unknown-user"}')" 1 \
	"Ub: 1 refused, unknown-user"
is "$(value bsf 'e2m_http_refusals_total{role="bsf",interface="ub",reason="network-authentication-failed"}')" 1 \
	"Ub: 1 refused, network-authentication-failed (the answer to the decoy)"
is "$(value bsf 'e2m_http_refusals_total{role="bsf",interface="ub",reason="not-found"}')" 1 \
	"Ub: 1 refused, not-found"
is "$(grep -c '^e2m_http_refusals_total{role="bsf"' "$tmp/bsf.prom")" 3 \
	"Ub: no other refusal"
is "$(value bsf 'e2m_http_request_duration_seconds_count{role="bsf",interface="ub"}')" 9 \
	"Ub latency: 9 observations"
is "$(value bsf 'e2m_http_request_duration_seconds_bucket{role="bsf",interface="ub",le="+Inf"}')" 9 \
	"Ub latency: the +Inf bucket is the count"
is "$(value bsf 'e2m_http_requests_total{role="e2md",interface="metrics"}')" 1 \
	"the first scrape counted, not this one yet"
is "$(value bsf 'e2m_log_events_total{level="warning",role="bsf",event="ub-refused"}')" 2 \
	"two ub-refused warnings, the decoy and its answer (the server's own 404 logs none)"
grep -q 'user[0-9]@home1.net\|nowhere' "$tmp/bsf.prom"
result $? "no IMPI and no path a peer sent in the answer"

is "$(scrape hss)" 200 "the HSS: 200"
out=$(promtool check metrics < "$tmp/hss.prom" 2>&1)
result $((! $?)) "promtool check metrics: the HSS" "$out"
is "$(value hss 'e2m_http_requests_total{role="hss",interface="zh"}')" 4 \
	"Zh: 4 vector requests"
is "$(value hss 'e2m_http_refusals_total{role="hss",interface="zh",reason="unknown-subscriber"}')" 1 \
	"Zh: 1 refused, unknown-subscriber"
is "$(value hss e2m_tls_handshake_failures_total)" 1 \
	"one TLS handshake failure"
is "$(value hss e2m_store_errors_total)" 0 "still no store error"
is "$(value hss 'e2m_log_events_total{level="warning",role="hss",event="no-hse-clients"}')" 1 \
	"the HSS's warning at start counted: metrics start before the roles"

# --- only GET /metrics --------------------------------------------------------

code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "http://$METRICS/")
is "$code" 404 "GET /: 404"
code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' \
	"http://$METRICS/metrics/x")
is "$code" 404 "GET /metrics/x: 404"
code=$(curl -sS --max-time 10 -o /dev/null -D "$tmp/h" -w '%{http_code}' \
	-X POST --data x "http://$METRICS/metrics")
is "$code" 405 "POST /metrics: 405"
is "$(sed -n 's/^Allow: \(.*\)\r$/\1/Ip' "$tmp/h")" GET "Allow: GET"
is "$(scrape bsf)" 200 "a third scrape"
is "$(value bsf 'e2m_http_requests_total{role="e2md",interface="metrics"}')" 5 \
	"the metrics listener's own: 2 scrapes, 2 x 404, 1 x 405"
is "$(value bsf 'e2m_http_refusals_total{role="e2md",interface="metrics",reason="method-not-allowed"}')" 1 \
	"its 405 counted as method-not-allowed"

# --- stopping ---------------------------------------------------------------------

stop bsf
is $stop_status 0 "the BSF stops cleanly"
curl -sS --max-time 5 -o /dev/null "http://$METRICS/metrics" 2> /dev/null
result $((! ! $?)) "and its metrics listener is gone"
stop hss
is $stop_status 0 "the HSS stops cleanly"

! grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' -e 'LeakSanitizer' \
	"$tmp/bsf.log" "$tmp/hss.log"
result $((! $?)) "logs: no sanitizer report"

echo "1..$tap_n"
if [ $tap_failed != 0 ]; then
	echo "# failed $tap_failed of $tap_n"
fi
[ $tap_failed = 0 ]
