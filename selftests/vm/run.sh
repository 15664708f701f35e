#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots an installed Debian kernel, or the debug kernel built under build/
# (--kver debug, selftests/vm/debug-kernel.sh), under qemu (TCG, -cpu max),
# with the host root file system read-only and the e2m tree read-write over
# virtio-9p, and runs a command in it as root. Prints the command's output,
# then judges the run: exit 0 only if the command succeeded, the VM shut
# down in time and the kernel log has no oops, BUG, WARNING, KASAN or KFENCE
# report, lockdep or RCU splat, sleep in atomic context, e2m object leak or
# e2m object that kmemleak found unreferenced (selftests/vm/splat.sh; exit
# status 2 if it has).
#
# usage: run.sh [--kver 6.1|6.12|debug|FULL-KVER] [--timeout SECONDS] [--mem MB]
#               [--shell | [--] COMMAND [ARG...]]
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
kver=6.1
timeout=600
mem=2048
shell=0

while [ $# -gt 0 ]; do
	case "$1" in
	--kver) kver=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--shell) shell=1; shift ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $shell = 1 ] || [ $# -gt 0 ] || { echo "run.sh: no command" >&2; exit 2; }

kver=$("$here/kver.sh" "$kver")
# Two vCPUs. The debug kernel has no ACPI and finds its CPUs in the MP
# table, where SeaBIOS writes one CPU a package: each vCPU is a socket of
# its own there, or that kernel would run on one.
smp=2
# An installed kernel, or the debug kernel with its modules directory, which
# the VM's init mounts over the host's /lib/modules.
if [ -e "/boot/vmlinuz-$kver" ]; then
	vmlinuz=/boot/vmlinuz-$kver
	modroot=
else
	vmlinuz=$repo/build/linux-debug/obj/arch/x86/boot/bzImage
	modroot=$repo/build/linux-debug/root
	smp=2,sockets=2,cores=1,threads=1
fi
initrd=$repo/build/vm/initramfs-$kver.cpio.gz
if [ ! -e "$initrd" ] || [ "$initrd" -ot "$here/init" ] ||
   [ "$initrd" -ot "$here/mkinitramfs.sh" ] || [ "$initrd" -ot "$vmlinuz" ]; then
	mkdir -p "$repo/build/vm"
	"$here/mkinitramfs.sh" "$kver" "$initrd" "${modroot:-/}"
fi

run=$(mktemp -d "$repo/build/vm/run-$kver-XXXXXX")
{
	echo "cd $(printf %q "$repo")"
	echo "export E2M_RUN=$(printf %q "$run") E2M_KVER=$(printf %q "$kver")"
	printf '{ '
	printf '%q ' "$@"
	echo '; } 2>&1 | tee "$E2M_RUN/output"'
	echo 'echo ${PIPESTATUS[0]} > "$E2M_RUN/rc"'
} > "$run/cmd"

append="console=ttyS0 panic=-1 oops=panic loglevel=4 e2m_repo=$repo e2m_run=$run"
[ -z "$modroot" ] || append="$append e2m_modroot=$modroot"
qemu=(qemu-system-x86_64 -machine q35 -cpu max -smp "$smp" -m "$mem" -no-reboot
      -kernel "$vmlinuz" -initrd "$initrd"
      -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
      -virtfs "local,path=$repo,mount_tag=e2mrepo,security_model=none,multidevs=remap"
      -nic none)

if [ $shell = 1 ]; then
	exec "${qemu[@]}" -nographic -append "$append e2m_shell=1"
fi

status=0
timeout --kill-after=10 "$timeout" "${qemu[@]}" -display none -monitor none \
	-serial "file:$run/console.log" -append "$append" </dev/null || status=$?

cat "$run/output" 2>/dev/null || true

verdict() { echo "# vm $kver: $*" >&2; }
if [ $status = 124 ] || [ $status = 137 ]; then
	verdict "timed out after ${timeout}s (console: $run/console.log)"
	exit 3
fi
if [ ! -s "$run/rc" ]; then
	verdict "no exit status: the guest died (console: $run/console.log)"
	tail -40 "$run/console.log" >&2
	exit 3
fi
if "$here/splat.sh" "$run/console.log" "$run/dmesg" >&2; then
	verdict "kernel log is not clean (console: $run/console.log)"
	exit 2
fi
rc=$(cat "$run/rc")
[ "$rc" = 0 ] || verdict "command exited $rc"
exit "$rc"
