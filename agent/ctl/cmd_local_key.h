/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl local-key: a remote / external device establishes its Ks_local
 * (TS 33.259 4.5.2 steps 1-18, seed 001 8.1; ue/local_key.h) and lists
 * what it keeps; the Key Centre's list and revoke (cmd_nafkc.h) are the
 * same object's other commands:
 *
 *   local-key establish --mt HOST:PORT --device-id ID
 *                 [--naf-id FQDN[=HOST:PORT]]... [--ask-mt]
 *                 (--keys FILE | --cert FILE --key FILE --ca FILE)
 *                 --store PATH --store-key-file FILE
 *                 [--label ks_local_device|ks_local_mt]
 *                 [--keyring SPEC | --no-kernel] [--renew]
 *                 [--tls 1.2|1.3] [--timeout S] [--show-key]
 *
 *   -> procedure=stored|established naf_id= btid= device_id= label=
 *      expires= lifetime= serial= completed= [tls= cipher=]
 *      ks_local_fp= (ks_local= with --show-key)
 *
 *   local-key list --store PATH --store-key-file FILE
 *
 *   -> one 'device_id= naf_id= btid= label= created= expires= serial=
 *      completed=' line per stored key, newest first (never the key)
 *
 * --naf-id names a Key Centre the device holds its credential for, in
 * its order of preference, and where to reach it (the FQDN, port 443,
 * when not said). With one, the device asks for its first directly
 * (step 2 skipped) unless --ask-mt; without, it takes the first of the
 * MT's list. The PSK comes from --keys FILE ("psk=HEX", ctl/key_input.h),
 * never from the command line. The key goes into the keyring SPEC (@u by
 * default) as a ks_local key expiring with the key; --no-kernel keeps it
 * in the store only. --renew runs the procedure even with a usable
 * stored key.
 *
 * Exit status 0; 1 when the MT or the Key Centre refused ("e2mctl:
 * local-key establish: the MT refused the btid-request: unknown-naf-id
 * (...)", "... the Key Centre nafkc.example refused the service request:
 * 403 device-blocked: ..."), could not be reached, or the store or
 * keyring failed; 2 for bad usage.
 */
#ifndef E2MCTL_CMD_LOCAL_KEY_H
#define E2MCTL_CMD_LOCAL_KEY_H

/* establish and list --store here; the rest to cmd_nafkc.h's. */
int cmd_local_key_object(int argc, char *argv[]);

#endif /* E2MCTL_CMD_LOCAL_KEY_H */
