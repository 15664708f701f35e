#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The netlink fuzzer's generator on the host (nlfuzz --dry-run: messages
# made, none sent, no module): a seed makes the same messages every time,
# in the plain build and in the ASan/UBSan build alike, and the ASan build
# finds nothing. A generator that reads memory it does not own makes
# messages that depend on the build, and "same seed, same messages" (how a
# VM failure is replayed) would not hold. Prints TAP.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh

make_tmp
plain=build/selftests/nlfuzz
asan=build/selftests/nlfuzz-asan
iterations=200000

make -s "$plain" "$asan" > "$tmp/build.log" 2>&1
tap_ok $? "nlfuzz builds plain and with ASan/UBSan" || cat "$tmp/build.log"

digest() {	# BINARY SEED: the digest line of a dry run, or its failure
	local out
	out=$("$1" --dry-run --seed "$2" --iterations "$iterations" 2> "$tmp/stderr") ||
		{ echo "exit $?: $(head -c 2000 "$tmp/stderr")"; return; }
	grep '^digest ' <<< "$out"
}

for s in 1 20261205 18446744073709551615; do
	first=$(digest "$plain" "$s")
	tap_result "$([[ $first =~ ^digest\ [0-9a-f]{16}$ ]]; echo $?)" \
		"seed $s: a dry run of $iterations messages gives a digest" "got: $first"
	tap_is "$(digest "$plain" "$s")" "$first" "seed $s: the same messages again"
	tap_is "$(digest "$asan" "$s")" "$first" \
		"seed $s: the same messages under ASan/UBSan, which reports nothing"
done
tap_result "$([ "$(digest "$plain" 1)" != "$(digest "$plain" 2)" ]; echo $?)" \
	"another seed, other messages"

"$plain" --dry-run --seed 1 > /dev/null 2>&1
tap_is $? 2 "a dry run without --iterations is refused (usage, exit 2)"
"$plain" --dry-run --seconds 5 --iterations 10 > /dev/null 2>&1
tap_is $? 2 "a dry run with --seconds is refused (usage, exit 2)"
tap_done
