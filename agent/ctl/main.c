// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl: configures and inspects e2m and runs offline known-answer checks
 * of its cryptography. This file only dispatches; each command lives in a
 * cmd_*.c file and is one row of the table below.
 */
#include <stdio.h>
#include <string.h>

#include "cmd_admin.h"
#include "cmd_crypto.h"
#include "cmd_dev.h"
#include "cmd_flow.h"
#include "cmd_key.h"
#include "cmd_keyset.h"
#include "cmd_monitor.h"
#include "cmd_attach.h"
#include "cmd_ue.h"
#include "cmd_usim.h"
#include "cmd_zn.h"
#include "options.h"

struct command {
	const char *name;
	int (*run)(int argc, char *argv[]);	/* the arguments after name */
	const char *options;
	const char *summary;
	const char *output;
};

static const struct command commands[] = {
	{ "milenage", cmd_milenage,
	  "--k HEX (--op HEX | --opc HEX) --rand HEX --sqn HEX --amf HEX",
	  "Milenage (TS 35.206): OPc, f1, f1*, f2-f5, f5* and AUTN",
	  "opc= mac_a= mac_s= res= ck= ik= ak= ak_star= autn=" },
	{ "auts", cmd_auts,
	  "--k HEX (--op HEX | --opc HEX) --rand HEX --sqn-ms HEX",
	  "the resynchronisation token AUTS (TS 33.102 6.3.3)",
	  "auts=" },
	{ "nea2", cmd_nea2,
	  "--key HEX --count HEX --bearer N --direction 0|1 --length BITS --in HEX",
	  "128-NEA2 (AES-CTR) encryption, the same as decryption",
	  "out=" },
	{ "nia2", cmd_nia2,
	  "--key HEX --count HEX --bearer N --direction 0|1 --length BITS --in HEX",
	  "128-NIA2 (AES-CMAC) MAC-I",
	  "mac=" },
	{ "kdf", cmd_kdf,
	  "--key HEX --fc HEX [--param HEX]...",
	  "the TS 33.220 Annex B KDF, parameters in the order given",
	  "out=" },
	{ "gba-naf", cmd_gba_naf,
	  "--ck HEX --ik HEX --rand HEX --impi STR --naf-id HEX",
	  "Ks_NAF (= Ks_ext_NAF) and Ks_int_NAF (TS 33.220 B.3)",
	  "ks_naf= ks_int_naf=" },
	{ "btid", cmd_btid,
	  "--rand HEX --bsf STR",
	  "the B-TID, base64(RAND)@BSF",
	  "btid=" },
	{ "ks-local", cmd_ks_local,
	  "--ks-naf HEX --label STR --btid STR --naf-id HEX --device-id STR",
	  "Ks_local_device or Ks_local_MT (e2m profile)",
	  "ks_local=" },
	{ "kasme", cmd_kasme,
	  "--ck HEX --ik HEX --sn-id HEX --sqn-xor-ak HEX",
	  "KASME after EPS AKA (TS 33.401 A.2)",
	  "kasme=" },
	{ "k-hse", cmd_k_hse,
	  "--ck HEX --ik HEX --snn STR --sqn-xor-ak HEX",
	  "K_HSE after 5G AKA (TS 33.163 5.1.0a)",
	  "k_hse=" },
	{ "e2m-keyset", cmd_e2m_keyset,
	  "--ck HEX --ik HEX --rand HEX --alg N",
	  "K_e2m and the e2mKEYSET K_enc, K_int (e2m profile)",
	  "k_e2m= k_enc= k_int=" },
	{ "air-keys", cmd_air_keys,
	  "--ck HEX --ik HEX --rand HEX",
	  "CK' and IK' for the serving network (e2m profile)",
	  "ck_prime= ik_prime=" },
	{ "show", cmd_show,
	  "[DEV] [-j|--json]",
	  "e2m devices with their options, flows, key slots and counters",
	  "text, or JSON with -j" },
	{ "set", cmd_set,
	  "DEV [role hse|ue] [port N] [replay-window N] [count-notify N] [count-limit N]",
	  "changes the options of an e2m device",
	  "nothing" },
	{ "flow", cmd_flow,
	  "add|change|del|show DEV teid N [remote-teid N] [peer ADDR] [peer-port N] [inner ADDR]...",
	  "adds, changes, removes or shows one flow (one PDP context)",
	  "nothing, or the flow for show" },
	{ "key", cmd_key,
	  "bind DEV teid N serial S | use DEV teid N key-id K | unbind DEV teid N key-id K",
	  "binds an e2mkeyset key to a flow's slot, switches transmit, drops a slot",
	  "nothing" },
	{ "keyset", cmd_keyset,
	  "add --key-id K --k-enc HEX --k-int HEX --desc TEXT [--enc-alg N] [--int-alg N] [--lifetime S] [--keyring R]",
	  "adds an e2mkeyset key to a keyring (add_key(2))",
	  "serial=" },
	{ "monitor", cmd_monitor,
	  "[--count N] [--timeout SECONDS]",
	  "prints the kernel's e2m events (key dead, no key, count limits)",
	  "one 'event ...' line per event" },
	{ "subscriber", cmd_subscriber,
	  "add --imsi N --impi NAI --k HEX (--opc HEX | --op HEX) [--amf HEX] [--e2m] [--gba-u] [--ind-bits N] [--uss JSON] | list [-j] | remove IMSI|IMPI",
	  "adds, lists or removes an HSS subscriber in e2md (never shows K or OPc)",
	  "nothing, or one 'imsi= impi= amf= ind-bits= seq= next-ind= flags= uss=' line each" },
	{ "session", cmd_session,
	  "list [-j]",
	  "lists e2md's GBA bootstrap sessions (never shows Ks)",
	  "one 'btid= impi= created= expires=' line each" },
	{ "status", cmd_status,
	  "[-j]",
	  "e2md's version, uptime, counts, and its roles with their addresses and counters",
	  "name=value lines, then one 'role= ...' line per role" },
	{ "usim", cmd_usim,
	  "add --store PATH --store-key-file FILE --iccid N --imsi N --impi NAI --k HEX (--opc HEX | --op HEX) [--gba-u] [--ind-bits N] | show|remove --store PATH --store-key-file FILE --iccid N",
	  "provisions, shows or removes a software USIM in a UE's store (never shows K or OPc)",
	  "nothing, or one 'iccid= imsi= impi= flags= ind-bits= seq-ms= [btid= expires=]' line" },
	{ "bootstrap", cmd_bootstrap,
	  "--store PATH --store-key-file FILE --iccid N --bsf http://HOST[:PORT] [--timeout S]",
	  "GBA bootstrapping over Ub (HTTP Digest AKA) with that USIM; keeps B-TID and Ks",
	  "btid= impi= expires= gba= resync=" },
	{ "attach", cmd_attach,
	  "--store PATH --store-key-file FILE --iccid N --sgw http://HOST[:PORT] --dev IFNAME --address GTPU-ADDR [--port N] --teid TEID [--keyring SPEC] [--timeout S]",
	  "attaches to a BEST SGW with that USIM: AKA, the e2mKEYSET in the keyring, the flow on the e2m device",
	  "imsi= ksi= key_serial= teid= hse_teid= hse_address= inner_ipv4=" },
	{ "naf-key", cmd_naf_key,
	  "--store PATH --store-key-file FILE --iccid N (--naf-id HEX | --naf FQDN --ua-proto HEX) [--bsf URL] [--timeout S] [--show-key]",
	  "Ks_NAF or Ks_ext_NAF of the current bootstrap (bootstraps first with --bsf if none)",
	  "btid= impi= naf_id= expires= gba= bootstrapped= ks_naf[_fp]= (GBA_U: ks_ext_naf[_fp]=)" },
	{ "zn-query", cmd_zn_query,
	  "--bsf-url https://HOST[:PORT] --btid B-TID --naf-id HEX [--gba-u] --cert FILE --key FILE --ca FILE [--timeout S] [--show-key]",
	  "asks a BSF over Zn, as a NAF, for the key of a bootstrap",
	  "btid= impi= expires= gba_u= ks_ext_naf[_fp]= [ks_int_naf[_fp]=] uss=" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char notes[] =
	"Offline known-answer commands: each prints one name=value line per\n"
	"output, in the order shown, bytes as lower-case hex.\n"
	"\n"
	"  HEX       octets as hex digits, no prefix: --k, --op, --opc, --rand\n"
	"            16 octets, --sqn, --sqn-ms, --sqn-xor-ak 6, --amf 2,\n"
	"            --sn-id 3, --ck, --ik, --key (nea2, nia2) 16, --ks-naf 32\n"
	"  STR       text, used as its UTF-8 octets\n"
	"  --count   the 32-bit COUNT in hex, 0x optional\n"
	"  --bearer  0 to 31, decimal or 0x-prefixed hex\n"
	"  --length  the message length in bits; --in holds at least that many,\n"
	"            bits beyond it are ignored (and zero in the output)\n"
	"  --fc      one octet, or two octets ff xx\n"
	"  --naf-id  NAF FQDN octets and the 5-octet Ua security protocol id\n"
	"  --label   ks_local_device or ks_local_mt\n"
	"  --alg     0 null, 1 SNOW 3G, 2 AES, 3 ZUC\n"
	"\n"
	"e2md commands (subscriber, session, status) use e2md's admin socket:\n"
	"--socket PATH before the command, else $E2M_SOCKET, else\n"
	"/run/e2m/e2md.sock.\n"
	"\n"
	"UE commands (usim, bootstrap, naf-key) open the UE's own store, --store\n"
	"with the store key in --store-key-file (mode 0600 or 0400). Keys are\n"
	"printed as name_fp=, the first 8 octets of SHA-256 of the key, unless\n"
	"--show-key asks for the key itself.\n"
	"\n"
	"Exit status: 0 success, 2 bad usage, 1 any other failure.\n";

static void print_command(FILE *out, const struct command *c)
{
	fprintf(out, "  %s %s\n      %s\n      -> %s\n", c->name, c->options,
		c->summary, c->output);
}

static int help(void)
{
	size_t i;

	printf("Usage: e2mctl [--socket PATH] <command> [options]\n"
	       "       e2mctl <command> --help\n"
	       "       e2mctl help\n\n");
	for (i = 0; i < N_COMMANDS; i++)
		print_command(stdout, &commands[i]);
	printf("\n%s", notes);
	return finish_output("help");
}

int main(int argc, char *argv[])
{
	size_t i;
	int used = admin_socket_option(argc - 1, argv + 1);

	if (used < 0)
		return EXIT_USAGE;
	argc -= used;
	argv += used;
	if (argc < 2) {
		fprintf(stderr, "e2mctl: no command given (see e2mctl help)\n");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h"))
		return help();
	for (i = 0; i < N_COMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (argc == 3 && (!strcmp(argv[2], "--help") ||
				  !strcmp(argv[2], "-h"))) {
			printf("Usage:\n");
			print_command(stdout, &commands[i]);
			return finish_output(commands[i].name);
		}
		return commands[i].run(argc - 2, argv + 2);
	}
	fail(argv[1], "unknown command (see e2mctl help)");
	return EXIT_USAGE;
}
