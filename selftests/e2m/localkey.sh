#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A remote device's Ks_local in the kernel (TS 33.259 4.5.2 step 17,
# issue 13 part 2): agent/tests/local_key_test.sh, the device's
# establishment against a real HSS, BSF, Key Centre and MT, run where the
# e2m module is loaded, so that its keyring checks run too: `e2mctl
# local-key establish` adds a ks_local key to @u whose expiry is the key's
# lifetime (keyctl describe, /proc/keys), which keyctl read cannot read,
# which is installed again when revoked and replaced make before break.
# Loads the module (E2M_KO, or the debug module of the VM's kernel) if it
# is not loaded yet. Runs in the test VM (selftests/e2m/vm-tests.sh).
# Prints TAP.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh

need_module
# The daemons talk on loopback: a namespace of its own with lo up (the
# VM's own lo is down). Keyrings are not per namespace.
ip netns add localkey || { echo "Bail out! no network namespace"; exit 1; }
ip -n localkey link set lo up
cd agent
ip netns exec localkey tests/local_key_test.sh "$E2MCTL" "$E2MD"
status=$?
ip netns del localkey
exit $status
