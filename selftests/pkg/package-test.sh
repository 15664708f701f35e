#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The install paths, without touching the host: `make install` into a
# scratch DESTDIR; `make deb` (dpkg-buildpackage), lintian on what it
# built; both packages unpacked into a scratch root (dpkg-deb -x, not
# dpkg -i: the CI host's / stays as it is), their files and modes compared
# with the lists below, what their postinst does (systemd-sysusers,
# systemd-tmpfiles) done under --root, the installed units verified, the
# installed programs run; then DKMS builds e2m.ko from the unpacked
# /usr/src/e2m-VERSION for each kernel of E2M_KERNELS (default "6.1
# 6.12"), in a scratch DKMS tree signed by a scratch key, and each module's
# vermagic, version and dependencies are checked. Prints TAP.
#
#   selftests/pkg/package-test.sh          (from anywhere; as root or not)
set -u

. "$(dirname "$0")/../lib/prologue.sh"
cd "$e2m_top"
need_tools dpkg-buildpackage dpkg-deb lintian dkms modinfo systemd-analyze \
	systemd-sysusers systemd-tmpfiles man
make_tmp

version=$(sed -n 's/^#define E2M_VERSION "\(.*\)"/\1/p' kernel/version.h)
arch=$(dpkg --print-architecture)
read -r -a kernels <<< "${E2M_KERNELS:-6.1 6.12}"

# contents FILE.deb: one line a file, "MODE OWNER PATH" (links with their
# target), sorted by path.
contents() {
	dpkg-deb -c "$1" | awk '{ $3 = $4 = $5 = ""; print }' | tr -s ' ' |
		LC_ALL=C sort -k3
}

# tree DIR: the same for an installed tree: "MODE PATH", sorted by path.
tree() {
	(cd "$1" && find . -mindepth 1 -printf '%M %p\n' | LC_ALL=C sort -k2)
}

# same WANT GOT NAME: one result, the two files' lines alike; the diff
# as diagnostics if not.
same() {
	local diffs
	mapfile -t diffs < <(diff "$1" "$2")
	tap_result $((${#diffs[@]} > 0)) "$3" "${diffs[@]}"
}

# ran STATUS NAME LOG: one result from STATUS, the end of LOG if it failed.
ran() {
	local lines
	mapfile -t lines < <(tail -n 25 "$3")
	[ "$1" = 0 ] && lines=()
	tap_result "$1" "$2" "${lines[@]}"
}

# --- make install ---------------------------------------------------------

# The agent is built by make's other stages; install builds what is missing.
make -s install DESTDIR="$tmp/inst" PREFIX=/usr/local > "$tmp/install.log" 2>&1
ran $? "make install DESTDIR PREFIX=/usr/local" "$tmp/install.log"
cat > "$tmp/inst.want" <<EOF
drwxr-xr-x ./lib
drwxr-xr-x ./lib/systemd
drwxr-xr-x ./lib/systemd/system
-rw-r--r-- ./lib/systemd/system/e2md-kernel@.service
-rw-r--r-- ./lib/systemd/system/e2md@.service
drwxr-xr-x ./lib/sysusers.d
-rw-r--r-- ./lib/sysusers.d/e2m.conf
drwxr-xr-x ./lib/tmpfiles.d
-rw-r--r-- ./lib/tmpfiles.d/e2m.conf
drwxr-xr-x ./sbin
-rwxr-xr-x ./sbin/e2mctl
-rwxr-xr-x ./sbin/e2md
drwxr-xr-x ./share
drwxr-xr-x ./share/doc
drwxr-xr-x ./share/doc/e2m
drwxr-xr-x ./share/doc/e2m/examples
-rw-r--r-- ./share/doc/e2m/examples/bsf.yaml
-rw-r--r-- ./share/doc/e2m/examples/device.yaml
-rw-r--r-- ./share/doc/e2m/examples/e2md.yaml
-rw-r--r-- ./share/doc/e2m/examples/hse.yaml
-rw-r--r-- ./share/doc/e2m/examples/hss.yaml
-rw-r--r-- ./share/doc/e2m/examples/mef.yaml
-rw-r--r-- ./share/doc/e2m/examples/mt.yaml
-rw-r--r-- ./share/doc/e2m/examples/nafkc.yaml
-rw-r--r-- ./share/doc/e2m/examples/sgw.yaml
drwxr-xr-x ./share/man
drwxr-xr-x ./share/man/man5
-rw-r--r-- ./share/man/man5/e2md.yaml.5
drwxr-xr-x ./share/man/man7
-rw-r--r-- ./share/man/man7/e2m.7
drwxr-xr-x ./share/man/man8
-rw-r--r-- ./share/man/man8/e2mctl.8
-rw-r--r-- ./share/man/man8/e2md.8
EOF
same "$tmp/inst.want" <(tree "$tmp/inst/usr/local") \
	"make install: the files and modes under PREFIX"
tap_is "$(ls "$tmp/inst" | tr '\n' ' ')" "usr " \
	"make install: nothing outside /usr (/etc/e2m is tmpfiles.d's)"
# The module's sources: compared with e2m-dkms's below.
tree "$tmp/inst/usr/src" > "$tmp/inst-src.got"
tap_is "$(grep -h '^ExecStart' "$tmp"/inst/usr/local/lib/systemd/system/*.service)" \
"ExecStartPre=/usr/local/sbin/e2md --check-config -c /etc/e2m/%i.yaml
ExecStart=/usr/local/sbin/e2md -c /etc/e2m/%i.yaml
ExecStartPre=/usr/local/sbin/e2md --check-config -c /etc/e2m/%i.yaml
ExecStart=/usr/local/sbin/e2md -c /etc/e2m/%i.yaml" \
	"make install: the units start the e2md of the prefix"

# --- make deb and lintian -------------------------------------------------

start=$SECONDS
make -s deb > "$tmp/deb.log" 2>&1
status=$?
echo "# make deb took $((SECONDS - start))s"
ran $status "make deb" "$tmp/deb.log"
deb=build/deb
tap_is "$(cd "$deb" && ls -1 -- *.deb *.changes | tr '\n' ' ')" \
	"e2m-agent-dbgsym_${version}_$arch.deb e2m-agent_${version}_$arch.deb e2m-dkms_${version}_all.deb e2m_${version}_$arch.changes " \
	"make deb: the agent, its debug symbols, the DKMS package"
tap_is "$(dpkg-parsechangelog -l agent/dist/debian/changelog -S Version)" \
	"$version" "debian/changelog's version is E2M_VERSION (kernel/version.h)"

# Every tag, pedantic and informational ones too; lintian's own note about
# running as root is no tag.
start=$SECONDS
out=$(lintian --pedantic --display-info "$deb/e2m_${version}_$arch.changes" 2>&1 |
	grep -v '^running with root privileges is not recommended!$')
echo "# lintian took $((SECONDS - start))s"
tap_is "$out" "" "lintian --pedantic --display-info: no tag"

# --- what the packages hold -----------------------------------------------

# dh_compress gzips documentation over 4 KiB (Debian policy 12.3).
doc() {		# FILE: its name in the package's doc directory
	local name=${1##*/}
	if [ "$(stat -c %s "$1")" -gt 4096 ]; then
		echo "$name.gz"
	else
		echo "$name"
	fi
}
cat > "$tmp/agent.want" <<EOF
drwxr-xr-x root/root ./
drwxr-xr-x root/root ./lib/
drwxr-xr-x root/root ./lib/systemd/
drwxr-xr-x root/root ./lib/systemd/system/
-rw-r--r-- root/root ./lib/systemd/system/e2md-kernel@.service
-rw-r--r-- root/root ./lib/systemd/system/e2md@.service
drwxr-xr-x root/root ./usr/
drwxr-xr-x root/root ./usr/lib/
drwxr-xr-x root/root ./usr/lib/sysusers.d/
-rw-r--r-- root/root ./usr/lib/sysusers.d/e2m.conf
drwxr-xr-x root/root ./usr/lib/tmpfiles.d/
-rw-r--r-- root/root ./usr/lib/tmpfiles.d/e2m.conf
drwxr-xr-x root/root ./usr/sbin/
-rwxr-xr-x root/root ./usr/sbin/e2mctl
-rwxr-xr-x root/root ./usr/sbin/e2md
drwxr-xr-x root/root ./usr/share/
drwxr-xr-x root/root ./usr/share/doc/
drwxr-xr-x root/root ./usr/share/doc/e2m-agent/
-rw-r--r-- root/root ./usr/share/doc/e2m-agent/$(doc README.md)
-rw-r--r-- root/root ./usr/share/doc/e2m-agent/changelog.gz
-rw-r--r-- root/root ./usr/share/doc/e2m-agent/copyright
-rw-r--r-- root/root ./usr/share/doc/e2m-agent/$(doc Documentation/deploy.md)
-rw-r--r-- root/root ./usr/share/doc/e2m-agent/$(doc Documentation/e2md.md)
drwxr-xr-x root/root ./usr/share/doc/e2m-agent/examples/
-rw-r--r-- root/root ./usr/share/doc/e2m-agent/examples/bsf.yaml
-rw-r--r-- root/root ./usr/share/doc/e2m-agent/examples/device.yaml
-rw-r--r-- root/root ./usr/share/doc/e2m-agent/examples/e2md.yaml
-rw-r--r-- root/root ./usr/share/doc/e2m-agent/examples/hse.yaml
-rw-r--r-- root/root ./usr/share/doc/e2m-agent/examples/hss.yaml
-rw-r--r-- root/root ./usr/share/doc/e2m-agent/examples/mef.yaml
-rw-r--r-- root/root ./usr/share/doc/e2m-agent/examples/mt.yaml
-rw-r--r-- root/root ./usr/share/doc/e2m-agent/examples/nafkc.yaml
-rw-r--r-- root/root ./usr/share/doc/e2m-agent/examples/sgw.yaml
drwxr-xr-x root/root ./usr/share/man/
drwxr-xr-x root/root ./usr/share/man/man5/
-rw-r--r-- root/root ./usr/share/man/man5/e2md.yaml.5.gz
drwxr-xr-x root/root ./usr/share/man/man7/
-rw-r--r-- root/root ./usr/share/man/man7/e2m.7.gz
drwxr-xr-x root/root ./usr/share/man/man8/
-rw-r--r-- root/root ./usr/share/man/man8/e2mctl.8.gz
-rw-r--r-- root/root ./usr/share/man/man8/e2md.8.gz
EOF
LC_ALL=C sort -k3 -o "$tmp/agent.want" "$tmp/agent.want"
same "$tmp/agent.want" <(contents "$deb/e2m-agent_${version}_$arch.deb") \
	"e2m-agent: its files, modes and owners"

# e2m-dkms holds the module's sources as the tree has them, all 0644.
src=./usr/src/e2m-$version
{
	printf 'drwxr-xr-x root/root %s\n' ./ ./usr/ ./usr/share/ ./usr/share/doc/ \
		./usr/share/doc/e2m-dkms/ ./usr/src/ "$src/" "$src/kernel/" \
		"$src/uapi/" "$src/uapi/linux/"
	printf -- '-rw-r--r-- root/root %s\n' ./usr/share/doc/e2m-dkms/changelog.gz \
		./usr/share/doc/e2m-dkms/copyright "$src/dkms.conf" "$src/Kbuild" \
		"$src/uapi/linux/e2m.h"
	for f in kernel/*.c kernel/*.h; do
		printf -- '-rw-r--r-- root/root %s\n' "$src/$f"
	done
} | LC_ALL=C sort -k3 > "$tmp/dkms.want"
same "$tmp/dkms.want" <(contents "$deb/e2m-dkms_${version}_all.deb") \
	"e2m-dkms: Kbuild, kernel/*.[ch], uapi/linux/e2m.h, dkms.conf, all 0644"
# make install-dkms puts the same files there, with the same modes.
same <(sed -n "s|^\([-d][-rwx]*\) root/root ./usr/src\(/.*[^/]\)/*$|\1 .\2|p" \
	"$tmp/dkms.want") "$tmp/inst-src.got" \
	"make install: /usr/src/e2m-$version as e2m-dkms has it"

field() {	# DEB FIELD
	dpkg-deb -f "$1" "$2"
}
tap_is "$(field "$deb/e2m-dkms_${version}_all.deb" Depends)" "dkms (>= 2.1.0.0)" \
	"e2m-dkms depends on dkms alone"
tap_is "$(field "$deb/e2m-agent_${version}_$arch.deb" Depends | cut -d, -f1)" \
	"systemd | systemd-standalone-sysusers | systemd-sysusers" \
	"e2m-agent depends first on systemd-sysusers (its postinst makes the user)"

# The maintainer scripts: the agent's makes the user before /etc/e2m (its
# group is e2m) and knows nothing of DKMS; the module's adds, builds and
# installs it through DKMS and removes it on removal.
dpkg-deb -e "$deb/e2m-agent_${version}_$arch.deb" "$tmp/agent.control"
dpkg-deb -e "$deb/e2m-dkms_${version}_all.deb" "$tmp/dkms.control"
tap_is "$(ls "$tmp/agent.control" | tr '\n' ' ')|$(ls "$tmp/dkms.control" | tr '\n' ' ')" \
	"control md5sums postinst |control md5sums postinst prerm " \
	"the maintainer scripts: the agent's postinst, the module's postinst and prerm"
tap_is "$(grep -o 'systemd-[a-z]* .*e2m.conf' "$tmp/agent.control/postinst")" \
'systemd-sysusers ${DPKG_ROOT:+--root="$DPKG_ROOT"} e2m.conf
systemd-tmpfiles ${DPKG_ROOT:+--root="$DPKG_ROOT"} --create e2m.conf' \
	"e2m-agent's postinst: the e2m user, then /etc/e2m"
tap_is "$(grep -h '^DKMS_NAME=\|^DKMS_VERSION=\|common.postinst\|dkms remove' \
	"$tmp"/dkms.control/{postinst,prerm} | sed 's/^[[:space:]]*//')" \
"DKMS_NAME=e2m
DKMS_VERSION=$version
for DKMS_POSTINST in /usr/lib/dkms/common.postinst /usr/share/\$DKMS_PACKAGE_NAME/postinst; do
DKMS_NAME=e2m
DKMS_VERSION=$version
dkms remove -m \$DKMS_NAME -v \$DKMS_VERSION --all" \
	"e2m-dkms: postinst adds, builds, installs e2m/$version, prerm removes it"

# --- the packages unpacked into a scratch root ------------------------------

root=$tmp/root
mkdir -p "$root/etc"
dpkg-deb -x "$deb/e2m-agent_${version}_$arch.deb" "$root" &&
	dpkg-deb -x "$deb/e2m-dkms_${version}_all.deb" "$root"
tap_ok $? "both packages unpack into a scratch root"

out=$(find "$root" -perm /o+w -o -perm /6000)
tap_is "$out" "" "nothing world-writable, setuid or setgid"

# What the postinst does, there.
systemd-sysusers --root="$root" e2m.conf > /dev/null 2>&1 &&
	systemd-tmpfiles --root="$root" --create e2m.conf
tap_ok $? "systemd-sysusers and systemd-tmpfiles --create in the scratch root"
tap_is "$(awk -F: '$1 == "e2m" { print $1, ($3 < 1000), $5, $6, $7 }' "$root/etc/passwd")" \
	"e2m 1 e2m key agent / /usr/sbin/nologin" \
	"the user e2m: a system account, no home, no shell"
gid=$(awk -F: '$1 == "e2m" { print $3 }' "$root/etc/group")
tap_is "$(stat -c '%a %u %g' "$root/etc/e2m")" "750 0 $gid" \
	"/etc/e2m: 0750 root:e2m"

# The installed units, verified with the e2md they name found in the
# scratch root and their man pages in its MANPATH.
for unit in e2md@.service e2md-kernel@.service; do
	sed "s|/usr/sbin/e2md|$root/usr/sbin/e2md|g" \
		"$root/lib/systemd/system/$unit" > "$tmp/${unit/@/@test}"
	out=$(MANPATH=$root/usr/share/man systemd-analyze verify \
		"$tmp/${unit/@/@test}" 2>&1)
	tap_is "$?:$out" "0:" "$unit as installed: systemd-analyze verify, silent"
done

tap_is "$("$root/usr/sbin/e2md" --version)" "e2md $version" \
	"the installed e2md runs: --version"
tap_is "$("$root/usr/sbin/e2mctl" help 2>&1 | head -n 1)" \
	"Usage: e2mctl [--socket PATH] [-n NETNS] OBJECT [COMMAND] [ARGS]" \
	"the installed e2mctl runs: help"
out=$(for page in "$root"/usr/share/man/man*/*.gz; do
	man --warnings -l "$page" 2>&1 > /dev/null; done)
tap_is "$out" "" "the installed man pages format without a warning"

# --- DKMS builds the unpacked source for each kernel ------------------------

# Its own tree and signing key, both scratch: dkms would otherwise make
# /var/lib/dkms/mok.key on the host.
host_dkms=$(ls -A /var/lib/dkms 2> /dev/null)
export mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub
dkms_args=(-m e2m -v "$version" --dkmstree "$tmp/dkms" --sourcetree "$root/usr/src")
mkdir -p "$tmp/dkms"
dkms add "${dkms_args[@]}" > "$tmp/dkms-add.log" 2>&1
ran $? "dkms add e2m/$version from the scratch root" "$tmp/dkms-add.log"
for k in "${kernels[@]}"; do
	if ! kver=$(selftests/vm/kver.sh "$k"); then
		tap_result 1 "$k: an installed kernel (make deps)"
		continue
	fi
	start=$SECONDS
	dkms build "${dkms_args[@]}" -k "$kver" \
		--kernelsourcedir "/lib/modules/$kver/build" > "$tmp/dkms-$k.log" 2>&1
	status=$?
	echo "# dkms build for $kver took $((SECONDS - start))s"
	ran $status "dkms build for $kver" "$tmp/dkms-$k.log"
	ko=$(ls "$tmp/dkms/e2m/$version/$kver/"*/module/e2m.ko* 2> /dev/null)
	# The kernel's own udp_tunnel.ko tells its vermagic.
	want=$(modinfo -F vermagic "$(ls "/lib/modules/$kver/kernel/net/ipv4/udp_tunnel.ko"*)")
	tap_is "$(modinfo -F vermagic "$ko" 2>&1)" "$want" \
		"$kver: e2m.ko's vermagic is the kernel's"
	tap_is "$(modinfo -F version "$ko" 2>&1)" "$version" \
		"$kver: e2m.ko's version is E2M_VERSION"
	# What modprobe loads first (from depmod's modules.dep): no softdep
	# or modules-load.d is needed for them.
	tap_is "$(modinfo -F depends "$ko" 2>&1)" "udp_tunnel,ip6_udp_tunnel" \
		"$kver: e2m.ko depends on udp_tunnel and ip6_udp_tunnel"
	tap_is "$(modinfo -F signer "$ko" 2>&1)" "DKMS module signing key" \
		"$kver: e2m.ko signed with the scratch key"
done
tap_is "$(ls -A /var/lib/dkms 2> /dev/null)" "$host_dkms" \
	"the host's /var/lib/dkms is as it was"

tap_done
