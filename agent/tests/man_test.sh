#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The man pages, as the build made them from agent/man/*.scd (in
# BUILD/man/, beside the programs): each formats without a warning from
# man(1) and groff, has the NAME line lexgrog (mandb) reads, names what
# the programs have: every object of `e2mctl help` in e2mctl(8), every
# role e2md knows in e2md(8) and e2md.yaml(5), every option of
# `e2md --help` in e2md(8); and every page a SEE ALSO names exists, here
# or on the system. Prints TAP.
#
#   tests/man_test.sh [E2MCTL [E2MD]]    (or the E2MCTL and E2MD variables)
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}
mandir=$(dirname "$(realpath "$E2MD")")/man	# agent/e2md links to build/

need_tools man lexgrog groff
make_tmp

pages=(man8/e2md.8 man8/e2mctl.8 man5/e2md.yaml.5 man7/e2m.7)

# text PAGE: the page as man formats it, plain text, lines too long to
# wrap (nothing hyphenated)
text() {
	MANWIDTH=1000 MAN_KEEP_FORMATTING=0 man -l "$mandir/$1" 2> /dev/null |
		col -b
}

for page in "${pages[@]}"; do
	if [ ! -s "$mandir/$page" ]; then
		result 0 "$page: built" "no $mandir/$page"
		continue
	fi
	warnings=$(MANWIDTH=80 man --warnings -l "$mandir/$page" 2>&1 > /dev/null)
	result $((${#warnings} == 0)) "$page: formats without a warning" "$warnings"
	name=$(lexgrog "$mandir/$page" 2>&1)
	grep -q ': "[a-z.0-9]* - ' <<< "$name"
	result $((! $?)) "$page: lexgrog reads its NAME line" "$name"
done

# Every object e2mctl's help lists, as a word in e2mctl(8).
ctl_page=$(text man8/e2mctl.8)
objects=$("$E2MCTL" help 2>&1 | sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p')
missing=
for object in $objects; do
	grep -qw -- "$object" <<< "$ctl_page" || missing+=" $object"
done
result $(( ${#missing} == 0 && $(wc -w <<< "$objects") >= 30 )) \
	"e2mctl(8) names every object of e2mctl help ($(wc -w <<< "$objects"))" \
	"missing:$missing"

# Every option of e2md --help in e2md(8).
md_page=$(text man8/e2md.8)
missing=
for option in $("$E2MD" --help | grep -o -- '--[a-z-]*' | sort -u); do
	grep -q -- "$option" <<< "$md_page" || missing+=" $option"
done
result $((${#missing} == 0)) "e2md(8) names every option of e2md --help" \
	"missing:$missing"

# Every role the configuration schema knows (the roles section of the
# shipped example), in e2md(8) and e2md.yaml(5).
yaml_page=$(text man5/e2md.yaml.5)
roles=$(sed -n 's/^  \([a-z]*\):$/\1/p' "$here/../daemon/e2md.yaml.example")
missing=
for role in $roles; do
	grep -q -- "$role" <<< "$md_page" || missing+=" e2md.8:$role"
	grep -q -- "\*\?$role\*\?" <<< "$yaml_page" || missing+=" e2md.yaml.5:$role"
done
result $(( ${#missing} == 0 && $(wc -w <<< "$roles") >= 6 )) \
	"e2md(8) and e2md.yaml(5) name every role ($(wc -w <<< "$roles"))" \
	"missing:$missing"

# e2md.yaml(5) carries the example whole.
grep -qF 'key-lifetime: 3600			# seconds a Ks_local holds at most (3600)' \
	"$here/../daemon/e2md.yaml.example" &&
	grep -qF 'seconds a Ks_local holds at most (3600)' <<< "$yaml_page"
result $((! $?)) "e2md.yaml(5) carries e2md.yaml.example"

# SEE ALSO: ours are built, the system's are installed (where this system
# keeps man pages at all: a minimal image may drop them).
missing=
system_pages=1
man -w 1 ls > /dev/null 2>&1 || system_pages=0
for page in "${pages[@]}"; do
	for ref in $(text "$page" | sed -n '/^SEE ALSO/,/^[A-Z]/p' |
		     grep -o '[a-z_.0-9-]*([0-9])'); do
		name=${ref%(*} section=${ref#*(}
		section=${section%)}
		[ -s "$mandir/man$section/$name.$section" ] && continue
		[ $system_pages = 0 ] && continue
		man -w "$section" "$name" > /dev/null 2>&1 || missing+=" $ref"
	done
done
result $((${#missing} == 0)) "every page a SEE ALSO names exists" \
	"missing:$missing"

tap_done
