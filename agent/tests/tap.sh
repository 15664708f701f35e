# SPDX-License-Identifier: GPL-2.0
#
# TAP for the agent's shell tests (cli_test.sh, daemon_test.sh,
# bsf_test.sh, best_hss_test.sh, best_sgw_test.sh), sourced after they
# set $tmp and $E2MCTL. Each test is one result; the script prints the plan ("1..$n")
# at its end and exits with [ $failed = 0 ].

n=0
failed=0

# A pyenv python3 is a shell script costing up to a second a start on a
# busy machine, and these tests start python hundreds of times: put the
# interpreter it stands for first in PATH.
if e2m_python=$(python3 -c 'import sys; print(sys.executable)' 2> /dev/null) &&
   [ -x "$e2m_python" ]; then
	PATH=${e2m_python%/*}:$PATH
fi
unset e2m_python

result() {	# OK NAME [DIAGNOSTIC...]
	local good=$1 name=$2
	shift 2
	n=$((n + 1))
	if [ "$good" = 1 ]; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		failed=$((failed + 1))
		local line
		for line in "$@"; do
			printf '#   %s\n' "$line"
		done
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
