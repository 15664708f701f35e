#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Loads an out-of-tree e2m.ko: first the kernel modules it depends on
# (insmod does not resolve them), then the module itself.
# usage: load-module.sh PATH/TO/e2m.ko [PARAM=VALUE...]
set -euo pipefail
ko=$1
shift
for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do
	modprobe "$dep"
done
insmod "$ko" "$@"
