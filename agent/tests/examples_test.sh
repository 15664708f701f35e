#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The shipped configurations pass e2md --check-config as they are: the
# per-host examples of dist/examples/ (one role each, the instance's
# paths of Documentation/deploy.md) and the all-in-one
# daemon/e2md.yaml.example. Only their root moves to a scratch folder,
# where the files they name are made as an operator would make them
# (a store key, a TLS key and certificate from a CA, the device's PSK
# file, the state directory). Prints TAP.
#
#   tests/examples_test.sh [E2MCTL [E2MD]]    (or the E2MCTL and E2MD variables)
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
. "$here/../../selftests/lib/pki.sh"
E2MD=${2:-${E2MD:-}}
[ -x "$E2MD" ] || { echo "Bail out! no e2md at '$E2MD'"; exit 1; }
need_tools openssl

make_tmp
root=$tmp/root
examples=$here/../dist/examples

# The files a configuration names under /etc/e2m and /var/lib/e2m, made
# in $root: a 0600 store key for each *.store.key, a key and certificate
# for each tls/NAME.crt (and the CA), the device's PSK file, the store's
# directory.
make_files() {	# CONFIG
	local path name
	for path in $(grep -oE '/(etc|var/lib)/e2m/[^ "]*' "$1" | sort -u); do
		mkdir -p "$root$(dirname "$path")"
		case $path in
		*.store.key | */store.key)
			head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$root$path"
			chmod 600 "$root$path" ;;
		*/tls/ca.crt | */tls/device-ca.crt)
			cp "$tmp/ca.crt" "$root$path" ;;
		*/tls/*.crt)
			name=$(basename "$path" .crt)
			pki "$name" > /dev/null && cp "$tmp/$name.crt" "$root$path" ;;
		*/tls/*.key)
			name=$(basename "$path" .key)
			[ -f "$tmp/$name.key" ] || pki "$name" > /dev/null
			cp "$tmp/$name.key" "$root$path" && chmod 600 "$root$path" ;;
		*.psk)
			printf 'psk=%s\n' "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
				> "$root$path" && chmod 600 "$root$path" ;;
		*.db)
			;;
		esac
	done
}

# The configuration with its root moved to $root.
rooted() {	# CONFIG
	sed -e "s|/etc/e2m/|$root/etc/e2m/|g" -e "s|/var/lib/e2m/|$root/var/lib/e2m/|g" \
		-e "s|/run/e2m/|$root/run/e2m/|g" "$1"
}

if ! ca ca; then
	echo "Bail out! openssl could not make the test CA"
	exit 1
fi

# Every role the all-in-one example shows (as man_test.sh reads them).
want=$(sed -n 's/^  \([a-z]*\):$/\1/p' "$here/../daemon/e2md.yaml.example" | sort | tr '\n' ' ' |
	sed 's/ $//')
got=$(cd "$examples" && ls *.yaml | sed 's/\.yaml$//' | tr '\n' ' ' | sed 's/ $//')
tap_is "$got" "$want" "dist/examples: a configuration for each role e2md runs"

for name in $want; do
	example=$examples/$name.yaml
	rm -rf "$root"
	make_files "$example"
	mkdir -p "$root/var/lib/e2m/$name"
	rooted "$example" > "$tmp/$name.yaml"
	out=$("$E2MD" --check-config -c "$tmp/$name.yaml" 2>&1)
	tap_result $? "$name.yaml passes e2md --check-config as shipped" "$out"
	roles=$(sed -n '/^roles:/,$p' "$example" | grep -E '^  [a-z]+:' | tr -d ' :')
	tap_is "$roles" "$name" "$name.yaml runs the role $name and no other"
	grep -q "^  path: /var/lib/e2m/$name/" "$example" &&
		grep -q "^  socket: /run/e2m/$name/" "$example"
	tap_ok $? "$name.yaml keeps its store and admin socket in the instance's directories"
done

rm -rf "$root"
example=$here/../daemon/e2md.yaml.example
make_files "$example"
mkdir -p "$root/var/lib/e2m"
rooted "$example" > "$tmp/all.yaml"
out=$("$E2MD" --check-config -c "$tmp/all.yaml" 2>&1)
tap_result $? "the all-in-one e2md.yaml.example passes e2md --check-config" "$out"
tap_done
