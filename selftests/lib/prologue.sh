# SPDX-License-Identifier: GPL-2.0
#
# What every shell suite starts with, sourced (bash) by the agent's suites
# (agent/tests/*.sh, run from agent/ by make check) and by the VM suites,
# the benchmarks and the demo (selftests/, run from the top of the tree):
#
#   tools     python3 first in PATH; need_root, need_tools
#   E2MCTL, E2MD   the agent's binaries unless the caller named others
#   make_tmp  the suite's temporary directory, $tmp
#   pid       the suite's background processes by name, killed at exit;
#             at_exit FUNCTION runs more clean-up, then $tmp goes
#   TAP       tap_ok, tap_is, tap_skip, tap_done (VM suites: "ok N name")
#             and result, check, ctl (agent suites: "ok N - name")
#   in_ns     a command in a network namespace; word_after, a value of
#             e2mctl's text output without a process
#   the test data of selftests/lib/test-vectors.sh (TS 35.208 sets, ...)
#
# Safe under set -euo pipefail (selftests/demo.sh).

e2m_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# A pyenv python3 is a shell script costing up to a second a start on a
# busy machine, and the suites start python hundreds of times: put the
# interpreter it stands for first in PATH.
# (Only when python3 is a script: asking python costs a second in the VM.)
e2m_python=$(command -v python3 || true)
if [ -n "$e2m_python" ] && read -r -n 2 e2m_magic < "$e2m_python" 2> /dev/null &&
   [ "$e2m_magic" = "#!" ] &&
   e2m_python=$(python3 -c 'import sys; print(sys.executable)' 2> /dev/null) &&
   [ -x "$e2m_python" ]; then
	PATH=${e2m_python%/*}:$PATH
fi
unset e2m_python e2m_magic

E2MCTL=${E2MCTL:-$e2m_top/agent/e2mctl}
E2MD=${E2MD:-$e2m_top/agent/e2md}

. "$e2m_top/selftests/lib/test-vectors.sh"

# --- tools ----------------------------------------------------------------

need_root() {	# WHY: the whole suite is skipped unless run as root
	if [ "$(id -u)" != 0 ]; then
		echo "1..0 # SKIP $1"
		exit 0
	fi
}

need_tools() {	# TOOL...: bails out unless each is installed
	local tool
	for tool in "$@"; do
		if ! command -v "$tool" > /dev/null; then
			echo "Bail out! $tool is needed (selftests/deps.sh installs it)"
			exit 1
		fi
	done
}

# need_module: the e2m module loaded unless it is (the VM suites): E2M_KO,
# or the debug module of the VM's kernel; bails out when it does not load.
# Run from the top of the tree.
need_module() {
	local ko=${E2M_KO:-build/kmod/${E2M_KVER:?not in the test VM}-debug/e2m.ko}

	grep -q "^e2m " /proc/modules && return 0
	"$e2m_top/selftests/lib/load-module.sh" "$ko" && return 0
	echo "Bail out! the e2m module $ko did not load"
	exit 1
}

# --- the temporary directory and clean-up at exit -------------------------

# make_tmp [shm]: $tmp, a new directory; with shm in memory where there is
# /dev/shm (daemons fsync each SQN and session, which a disk makes slow; a
# killed process loses nothing the kernel already has, so SIGKILL tests
# the same there: fsync is for power loss).
make_tmp() {
	if [ "${1:-}" = shm ]; then
		tmp=$(mktemp -d -p "${TMPDIR:-$( [ -w /dev/shm ] && echo /dev/shm || echo /tmp)}")
	else
		tmp=$(mktemp -d)
	fi
}

declare -A pid=()		# name -> a background process to end at exit
pid_signal=KILL			# how: a suite that must let them finish says TERM
e2m_at_exit=()

at_exit() {	# FUNCTION: run at exit, after the processes in pid end
	e2m_at_exit+=("$1")
}

# A suite with a failed check shows the end of each log in $tmp (its
# daemons' logs) before $tmp goes: CI keeps a failure's output, not $tmp.
e2m_show_logs() {
	local f
	[ "${tap_failed:-0}" -gt 0 ] && [ -n "${tmp:-}" ] || return 0
	for f in "$tmp"/*.log; do
		[ -f "$f" ] || continue
		echo "# the last $e2m_log_lines lines of ${f##*/}, the suite having failed:"
		tail -n "$e2m_log_lines" "$f" | sed 's/^/#   /'
	done
}
e2m_log_lines=60

e2m_cleanup() {
	local p f
	for p in "${pid[@]}"; do
		if [ -n "$p" ]; then
			kill -s "$pid_signal" "$p" 2> /dev/null || true
			wait "$p" 2> /dev/null || true
		fi
	done
	for f in "${e2m_at_exit[@]}"; do
		"$f" || true
	done
	e2m_show_logs || true
	if [ -n "${tmp:-}" ]; then
		rm -rf "$tmp"
	fi
}
trap e2m_cleanup EXIT

# --- TAP ------------------------------------------------------------------

tap_n=0
tap_failed=0

tap_result() {	# STATUS NAME [DIAGNOSTIC...]: STATUS 0 passes
	local status=$1 name=$2 line
	shift 2
	tap_n=$((tap_n + 1))
	if [ "$status" = 0 ]; then
		echo "ok $tap_n $name"
	else
		echo "not ok $tap_n $name"
		tap_failed=$((tap_failed + 1))
		for line in "$@"; do
			printf '#   %s\n' "$line"
		done
	fi
}

tap_ok() {	# EXIT-STATUS NAME, e.g. tap_ok $? "module loads"
	tap_result "$1" "$2"
}

tap_is() {	# GOT WANT NAME: exact string comparison
	if [ "$1" = "$2" ]; then
		tap_result 0 "$3"
	else
		tap_result 1 "$3" "got:  '$1'" "want: '$2'"
	fi
}

tap_skip() {	# NAME WHY
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $1 # SKIP $2"
}

tap_done() {	# the plan; fails if anything failed
	echo "1..$tap_n"
	[ "$tap_failed" = 0 ]
}

# The agent's suites: one result each, "ok N - NAME".
result() {	# GOOD NAME [DIAGNOSTIC...]: GOOD 1 passes
	local good=$1 name=$2
	shift 2
	if [ "$good" = 1 ]; then
		tap_result 0 "- $name"
	else
		tap_result 1 "- $name" "$@"
	fi
}

check() {	# NAME COMMAND...: passes if the command succeeds
	local name=$1
	shift
	if "$@"; then
		result 1 "$name"
	else
		result 0 "$name"
	fi
}

ctl() {		# ARGS...: e2mctl, leaving $status, $out and $err
	"$E2MCTL" "$@" > "$tmp/out" 2> "$tmp/err"
	status=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# --- network namespaces and e2mctl's text ------------------------------------

# in_ns NS COMMAND...: COMMAND in network namespace NS. e2mctl enters it
# itself (its -n, as ip -n); anything else through ip netns exec, which
# also makes a mount namespace and mounts /sys anew: half a second a call
# in the TCG VM, and the VM suites read counters hundreds of times.
in_ns() {
	local ns=$1
	shift
	if [ "$1" = "$E2MCTL" ]; then
		"$E2MCTL" -n "$ns" "${@:2}"
	else
		ip netns exec "$ns" "$@"
	fi
}

# word_after NAME TEXT: the word after the first NAME in TEXT (e2mctl's
# "name value" output), nothing if none; the first line that has NAME
# before its last word decides, as awk's field loop did, without a process.
word_after() {
	local i
	local -a w
	while read -r -a w; do
		for ((i = 0; i + 1 < ${#w[@]}; i++)); do
			if [ "${w[i]}" = "$1" ]; then
				printf '%s\n' "${w[i + 1]}"
				return 0
			fi
		done
	done <<< "$2"
}

# e2m_stat NS DEV [TEID] NAME: a counter or field of the e2m device DEV in
# namespace NS, or of its flow TEID, as e2mctl's text shows it.
e2m_stat() {
	if [ $# = 4 ]; then
		word_after "$4" "$(in_ns "$1" "$E2MCTL" flow show "$2" teid "$3")"
	else
		word_after "$3" "$(in_ns "$1" "$E2MCTL" show "$2")"
	fi
}

# slot_word KID NAME TEXT: the word after NAME on key slot KID's line of
# `e2mctl flow show` TEXT, "none" without that slot.
slot_word() {
	local line
	while read -r line; do
		case "$line" in "slot key-id $1 "*)
			word_after "$2" "$line"
			return 0
		esac
	done <<< "$3"
	echo none
}

