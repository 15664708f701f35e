#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the initramfs of the e2m test VM for one installed Debian kernel:
# a static busybox, the kernel's own virtio/9p modules in dependency order
# (decompressed, since busybox insmod cannot read .ko.xz), and our init.
# MODROOT is where lib/modules/KVER is (/, or the debug kernel's under
# build/, which has them built in: then there is no module to load).
#
# usage: mkinitramfs.sh KVER OUTPUT.cpio.gz [MODROOT]
set -euo pipefail

kver=$1
out=$2
modroot=${3:-/}
here=$(dirname "$(readlink -f "$0")")
busybox=/bin/busybox

if ! file -L "$busybox" | grep -q 'statically linked'; then
	echo "mkinitramfs: $busybox is not static (install busybox-static)" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,sbin,dev,proc,sys,newroot,modules}
cp "$busybox" "$work/bin/busybox"
cp "$here/init" "$work/init"
chmod 755 "$work/init"

: > "$work/modules/order"
# virtio_pci is built into 6.12 and a module in 6.1: modprobe knows which.
# (modprobe takes one module per call: further words are its parameters.)
for mod in virtio_pci 9pnet_virtio 9p; do
	modprobe -d "$modroot" -S "$kver" --show-depends "$mod"
done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' |
	while read -r ko; do
		name=$(basename "$ko")
		case "$name" in
		*.ko.xz)  xz -dc "$ko" > "$work/modules/${name%.xz}"; name=${name%.xz} ;;
		*.ko.zst) zstd -qdc "$ko" > "$work/modules/${name%.zst}"; name=${name%.zst} ;;
		*.ko)     cp "$ko" "$work/modules/$name" ;;
		*)        echo "mkinitramfs: unexpected module $ko" >&2; exit 1 ;;
		esac
		echo "$name" >> "$work/modules/order"
	done

(cd "$work" && find . | cpio --quiet -o -H newc | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
