// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl: configures and inspects e2m and runs offline known-answer checks
 * of its cryptography. This file only dispatches; each object lives in a
 * cmd_*.c file and is one row of the table below.
 *
 * One grammar, iproute2's: "e2mctl OBJECT [COMMAND] [ARGS]". Every object
 * answers "e2mctl OBJECT help", "e2mctl OBJECT --help" and "e2mctl OBJECT
 * COMMAND --help" (-h too) with its usage on stdout and status 0. Bad
 * usage is status 2 with one line on stderr, "e2mctl: <command>: <what>".
 *
 * The kernel objects take "keyword value" arguments; the daemon, UE and
 * known-answer commands "--option value" ones. The spellings of the
 * release before (e2mctl set, keyset add --key-id, monitor --count) are
 * still read, for one release, and listed as such in the help.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd_admin.h"
#include "cmd_nafkc.h"
#include "cmd_nafkc_request.h"
#include "cmd_attach.h"
#include "cmd_crypto.h"
#include "cmd_dev.h"
#include "cmd_flow.h"
#include "cmd_key.h"
#include "cmd_local_key.h"
#include "cmd_keyset.h"
#include "cmd_monitor.h"
#include "cmd_key_update.h"
#include "cmd_onem2m.h"
#include "cmd_onem2m_ids.h"
#include "cmd_scp11a.h"
#include "cmd_ue.h"
#include "cmd_usim.h"
#include "cmd_zn.h"
#include "netns_option.h"
#include "options.h"

enum group { KERNEL, DAEMON, UE, CHECK, OLD, N_GROUPS };

struct command {
	const char *name;
	int (*run)(int argc, char *argv[]);	/* the arguments after name */
	enum group group;
	const char *subs;	/* its COMMANDs, space-separated; NULL: none */
	const char *const *usage;	/* lines after the name; NULL-ended */
	const char *summary;
	const char *output;
};

#define USAGE(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct command commands[] = {
	/* The kernel: the e2m module (needs CAP_NET_ADMIN). */
	{ "show", cmd_show, KERNEL, NULL,
	  USAGE("[DEV] [-j|--json]"),
	  "e2m devices with their options, flows, key slots and counters",
	  "text, or JSON with -j" },
	{ "dev", cmd_dev, KERNEL, "show set",
	  USAGE("show [DEV] [-j|--json]",
		"set DEV [role hse|ue] [port N] [replay-window N] [count-notify N] [count-limit N] [rx-cpus LIST|off]"),
	  "shows an e2m device (as show does), changes its options",
	  "text or JSON for show, nothing for set" },
	{ "flow", cmd_flow, KERNEL, "add change del show",
	  USAGE("add DEV teid N remote-teid N peer ADDR [peer-port N] inner ADDR [inner ADDR]",
		"change DEV teid N [remote-teid N] [peer ADDR] [peer-port N] [inner ADDR]...",
		"del DEV teid N",
		"show DEV teid N [-j|--json]"),
	  "one flow (one PDP context)",
	  "nothing, or the flow for show" },
	{ "key", cmd_key, KERNEL, "bind use unbind",
	  USAGE("bind DEV teid N serial SERIAL [key-id K alg N] [tx-on-rx]",
		"use DEV teid N key-id K",
		"unbind DEV teid N key-id K"),
	  "a flow's key slots: bind, transmit with, drop",
	  "nothing" },
	{ "keyset", cmd_keyset, KERNEL, "add",
	  USAGE("add key-id K keys FILE desc TEXT [enc-alg N] [int-alg N] [lifetime SECONDS] [keyring @u|@s|@p|@t|@us|SERIAL]"),
	  "adds an e2mkeyset key to a keyring (add_key(2))",
	  "serial=" },
	{ "monitor", cmd_monitor, KERNEL, NULL,
	  USAGE("[count N] [timeout SECONDS]"),
	  "prints the kernel's e2m events (key dead, no key, count limits)",
	  "one 'event ...' line per event" },
	/* e2md's admin socket. */
	{ "subscriber", cmd_subscriber, DAEMON, "add list remove",
	  USAGE("add --imsi N --impi NAI --keys FILE [--amf HEX] [--e2m] [--gba-u] [--ind-bits N] [--uss JSON]",
		"list [-j]",
		"remove IMSI|IMPI"),
	  "an HSS subscriber in e2md (never shows K or OPc)",
	  "nothing, or one 'imsi= impi= amf= ind-bits= seq= next-ind= flags= uss=' line each" },
	{ "session", cmd_session, DAEMON, "list",
	  USAGE("list [-j]"),
	  "lists e2md's GBA bootstrap sessions (never shows Ks)",
	  "one 'btid= impi= created= expires=' line each" },
	{ "device", cmd_device, DAEMON, "add remove block unblock list",
	  USAGE("add --device-id ID --keys FILE",
		"remove ID",
		"block ID",
		"unblock ID",
		"list [-j]"),
	  "a NAF Key Centre's devices: PSKs (never shown), blocked Device_IDs",
	  "nothing, or 'device= added=' and 'blocked= since=' lines" },
	{ "local-key", cmd_local_key_object, DAEMON, "establish list revoke",
	  USAGE("establish --mt HOST:PORT --device-id ID [--naf-id FQDN[=HOST:PORT]]... [--ask-mt] (--keys FILE | --cert FILE --key FILE --ca FILE) --store PATH --store-key-file FILE [--label ks_local_device|ks_local_mt] [--keyring SPEC | --no-kernel] [--flow IFNAME:TEID[:KEY_ID] [--alg N]] [--renew] [--tls 1.2|1.3] [--timeout S] [--show-key]",
		"list --store PATH --store-key-file FILE",
		"list [-j]",
		"revoke --btid B-TID --device-id ID"),
	  "a device's Ks_local: establish it (TS 33.259 4.5.2), list its store; a NAF Key Centre's issued keys (never shown)",
	  "procedure= naf_id= btid= device_id= label= expires= lifetime= serial= completed= [key_id=] ks_local[_fp]=; one line per key for list" },
	{ "key-update", cmd_key_update, DAEMON, "add list",
	  USAGE("add --iccid N --imsi N --keys FILE --counter N",
		"list [-j]"),
	  "a provisioning server's long-term key updates (K, OPc never shown)",
	  "nothing, or 'iccid= imsi= counter= state=' lines" },
	{ "onem2m", cmd_onem2m, DAEMON,
	  "kpm-add kpm-remove kpm-list ke-list enrol km-fetch km-list km-remove kpsa-fetch associate handoff",
	  USAGE("kpm-add --kpm-id ID --keys FILE --enrolee-id ID (--maf-id ID | --enrolee-b-id ID) [--store PATH --store-key-file FILE]",
		"kpm-remove --kpm-id ID [--store PATH --store-key-file FILE]",
		"kpm-list [--store PATH --store-key-file FILE]",
		"ke-list [--store PATH --store-key-file FILE]",
		"enrol (--mef-uri https://HOST[:PORT] | --mef-dtls HOST:PORT) --kpm-id ID --store PATH --store-key-file FILE [--mef FQDN] [--timeout S] [--show-key]",
		"km-fetch (--ke-id ID | --btid B-TID [--uicc]) --enrolee-id ID [--no-wait]",
		"km-list",
		"km-remove --km-id ID",
		"kpsa-fetch --mef-url https://HOST[:PORT] --ke-id ID --enrolee-id ID --name FQDN --cert FILE --key FILE --ca FILE [--timeout S] [--show-key]",
		"associate (--ke-id ID | --iccid N [--enrolee-b] [--btid-identity] [--uicc]) --connect HOST:PORT --target FQDN --store PATH --store-key-file FILE [--dtls] [--path PATH] [--timeout S]",
		"handoff (--ke-id ID | --iccid N [--enrolee-b]) --target FQDN --uid UID --store PATH --store-key-file FILE"),
	  "oneM2M security bootstrap (TS-0003 8.3.2.1, 8.3.3.1): an MEF's Kpms and Kes (no --store), an Enrolee's (--store); enrol, associate and handoff (the association key to an application's keyring) as the Enrolee; km-fetch, km-list and km-remove as the MAF or an Enrolee B (e2md maf role); kpsa-fetch as Enrolee B without a role",
	  "nothing, 'kpm_id= enrolee_id= maf_id=|enrolee_b_id= added=' or 'ke_id= kpm_id= ... issued= expires=' lines; enrol: ke_id= kpm_id= enrolee_id= maf_id=|enrolee_b_id= mef= expires= lifetime= tls= cipher= ke[_fp]=; kpsa-fetch: kpsa_id= ke_id= enrolee_id= expires= kpsa[_fp]=; associate: target= target_id= key_id= ke_id= enrolee_id= tls= cipher= status=; handoff: key_id= serial= uid= ke_id= expires=" },
	{ "status", cmd_status, DAEMON, NULL,
	  USAGE("[-j]"),
	  "e2md's version, uptime, counts, roles with addresses and counters",
	  "name=value lines, then one 'role= ...' line per role" },
	/* The UE, with a store of its own. */
	{ "usim", cmd_usim, UE, "add show remove sd-set update",
	  USAGE("add --store PATH --store-key-file FILE --iccid N --imsi N --impi NAI --keys FILE [--gba-u] [--ind-bits N]",
		"show --store PATH --store-key-file FILE --iccid N",
		"remove --store PATH --store-key-file FILE --iccid N",
		"sd-set --store PATH --store-key-file FILE --iccid N --key FILE --cert FILE --ca FILE",
		"update --store PATH --store-key-file FILE --iccid N --server http://HOST[:PORT] [--timeout S]"),
	  "a software USIM in a UE store (never shows K, OPc); sd-set keeps its security domain's key SK.SD (a private PEM file), certificate and CA-KLOC for key updates (never shows the key); update takes a long-term key update from a provisioning server with them",
	  "nothing, or one 'iccid= imsi= impi= flags= ind-bits= seq-ms= [btid= expires=]' line; sd-set: iccid= sd-cert= ca-kloc=; update: iccid= commands= pending= update-counter=" },
	{ "bootstrap", cmd_bootstrap, UE, NULL,
	  USAGE("--store PATH --store-key-file FILE --iccid N --bsf http://HOST[:PORT] [--timeout S]"),
	  "GBA bootstrap over Ub (HTTP Digest AKA); keeps B-TID and Ks",
	  "btid= impi= expires= gba= resync=" },
	{ "naf-key", cmd_naf_key, UE, NULL,
	  USAGE("--store PATH --store-key-file FILE --iccid N (--naf-id HEX | --naf FQDN --ua-proto HEX) [--bsf URL] [--timeout S] [--show-key]"),
	  "Ks_NAF or Ks_ext_NAF of the bootstrap (first bootstraps with --bsf)",
	  "btid= impi= naf_id= expires= gba= bootstrapped= ks_naf[_fp]= (GBA_U: ks_ext_naf[_fp]=)" },
	{ "attach", cmd_attach, UE, NULL,
	  USAGE("--store PATH --store-key-file FILE --iccid N --sgw http://HOST[:PORT] --dev IFNAME --address GTPU-ADDR [--port N] --teid TEID [--keyring SPEC] [--timeout S]"),
	  "attaches to a BEST SGW: AKA, the e2mKEYSET in a keyring, the flow",
	  "imsi= ksi= key_serial= teid= hse_teid= hse_address= inner_ipv4=" },
	{ "nafkc-request", cmd_nafkc_request, UE, NULL,
	  USAGE("--url https://HOST[:PORT] --device-id ID (--keys FILE --btid B-TID | --cert FILE --key FILE --ca FILE --btid B-TID | --gba --store PATH --store-key-file FILE --iccid ICCID [--naf FQDN] [--btid B-TID]) [--label ks_local_device|ks_local_mt] [--tls 1.2|1.3] [--timeout S] [--show-key]"),
	  "asks a NAF Key Centre, as a device, for its Ks_local (PSK or certificate TLS)",
	  "btid= device_id= label= naf_id= expires= lifetime= tls= cipher= ks_local[_fp]=" },
	{ "zn-query", cmd_zn_query, UE, NULL,
	  USAGE("--bsf-url https://HOST[:PORT] --btid B-TID --naf-id HEX [--gba-u] --cert FILE --key FILE --ca FILE [--timeout S] [--show-key]"),
	  "asks a BSF over Zn, as a NAF, for the key of a bootstrap",
	  "btid= impi= expires= gba_u= ks_ext_naf[_fp]= [ks_int_naf[_fp]=] uss=" },
	/* Offline known-answer checks: PROFILE.md section 4, exactly. */
	{ "milenage", cmd_milenage, CHECK, NULL,
	  USAGE("--k HEX (--op HEX | --opc HEX) --rand HEX --sqn HEX --amf HEX"),
	  "Milenage (TS 35.206): OPc, f1, f1*, f2-f5, f5* and AUTN",
	  "opc= mac_a= mac_s= res= ck= ik= ak= ak_star= autn=" },
	{ "auts", cmd_auts, CHECK, NULL,
	  USAGE("--k HEX (--op HEX | --opc HEX) --rand HEX --sqn-ms HEX"),
	  "the resynchronisation token AUTS (TS 33.102 6.3.3)",
	  "auts=" },
	{ "nea2", cmd_nea2, CHECK, NULL,
	  USAGE("--key HEX --count HEX --bearer N --direction 0|1 --length BITS --in HEX"),
	  "128-NEA2 (AES-CTR) encryption, the same as decryption",
	  "out=" },
	{ "nia2", cmd_nia2, CHECK, NULL,
	  USAGE("--key HEX --count HEX --bearer N --direction 0|1 --length BITS --in HEX"),
	  "128-NIA2 (AES-CMAC) MAC-I",
	  "mac=" },
	{ "kdf", cmd_kdf, CHECK, NULL,
	  USAGE("--key HEX --fc HEX [--param HEX]..."),
	  "the TS 33.220 Annex B KDF, parameters in the order given",
	  "out=" },
	{ "gba-naf", cmd_gba_naf, CHECK, NULL,
	  USAGE("--ck HEX --ik HEX --rand HEX --impi STR --naf-id HEX"),
	  "Ks_NAF (= Ks_ext_NAF) and Ks_int_NAF (TS 33.220 B.3)",
	  "ks_naf= ks_int_naf=" },
	{ "btid", cmd_btid, CHECK, NULL,
	  USAGE("--rand HEX --bsf STR"),
	  "the B-TID, base64(RAND)@BSF",
	  "btid=" },
	{ "ks-local", cmd_ks_local, CHECK, NULL,
	  USAGE("--ks-naf HEX --label STR --btid STR --naf-id HEX --device-id STR"),
	  "Ks_local_device or Ks_local_MT (e2m profile)",
	  "ks_local=" },
	{ "ks-local-link", cmd_ks_local_link, CHECK, NULL,
	  USAGE("--ks-local HEX --alg N"),
	  "K_enc, K_int of a local link from Ks_local, as the module derives them (e2m profile)",
	  "k_enc= k_int=" },
	{ "onem2m-ids", cmd_onem2m_ids, CHECK, NULL,
	  USAGE("--ke HEX --mef FQDN --maf-id ID --enrolee-id ID [--enrolee-b-id ID] --target FQDN"),
	  "oneM2M KeId, Km, Km-Id, Kpsa, Kpsa-Id from Ke (e2m profile)",
	  "ke_id= km= km_id= kpsa= kpsa_id=" },
	{ "kasme", cmd_kasme, CHECK, NULL,
	  USAGE("--ck HEX --ik HEX --sn-id HEX --sqn-xor-ak HEX"),
	  "KASME after EPS AKA (TS 33.401 A.2)",
	  "kasme=" },
	{ "k-hse", cmd_k_hse, CHECK, NULL,
	  USAGE("--ck HEX --ik HEX --snn STR --sqn-xor-ak HEX"),
	  "K_HSE after 5G AKA (TS 33.163 5.1.0a)",
	  "k_hse=" },
	{ "e2m-keyset", cmd_e2m_keyset, CHECK, NULL,
	  USAGE("--ck HEX --ik HEX --rand HEX --alg N"),
	  "K_e2m and the e2mKEYSET K_enc, K_int (e2m profile)",
	  "k_e2m= k_enc= k_int=" },
	{ "air-keys", cmd_air_keys, CHECK, NULL,
	  USAGE("--ck HEX --ik HEX --rand HEX"),
	  "CK' and IK' for the serving network (e2m profile)",
	  "ck_prime= ik_prime=" },
	{ "scp11a-kdf", cmd_scp11a_kdf, CHECK, NULL,
	  USAGE("--shs HEX [--shared-info HEX]"),
	  "the SCP11a session keys: X9.63 KDF, SHA-256 (shared-info default 3c8810)",
	  "receipt_key= s_enc= s_mac= s_rmac= s_dek=" },
	/* The spellings of the release before, read for one release more. */
	{ "set", cmd_set, OLD, NULL,
	  USAGE("DEV [role hse|ue] [port N] [replay-window N] [count-notify N] [count-limit N] [rx-cpus LIST|off]"),
	  "the old spelling of dev set",
	  "nothing" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char *const group_titles[N_GROUPS] = {
	[KERNEL] = "Kernel: the e2m module (needs CAP_NET_ADMIN); keyword arguments",
	[DAEMON] = "e2md administration, over its admin socket",
	[UE] = "UE: a software USIM in a UE store of its own",
	[CHECK] = "Known-answer checks, offline",
	[OLD] = "Old spellings, still read for one release",
};

static const char *const group_notes[N_GROUPS] = {
	[KERNEL] =
	"Numbers are decimal or 0x-prefixed hex; ADDR is IPv4 or IPv6; inner is\n"
	"given at most once per address family. keyset and monitor still read\n"
	"--name value, the spelling of the release before, for one release.\n"
	"keyset add's K_enc and K_int come in keys FILE as k-enc= and k-int= lines\n"
	"(as --keys below), never on the command line.\n"
	"-n NETNS before the command (as ip -n): run it in that network namespace,\n"
	"a name of ip netns or a path such as /proc/PID/ns/net.\n",
	[DAEMON] =
	"e2md's admin socket: --socket PATH before the command, else\n"
	"$E2M_SOCKET, else /run/e2m/e2md.sock.\n"
	"Keys never go on the command line (--k, --opc, --op, --psk are refused):\n"
	"--keys FILE holds NAME=HEX lines (k= and opc= or op=; psk=), FILE of mode\n"
	"0600 or 0400, - for standard input, or /dev/fd/N.\n",
	[UE] =
	"The UE's store is --store with the store key in --store-key-file (mode\n"
	"0600 or 0400); usim add's K and OPc (or OP) come in --keys FILE as\n"
	"k= and opc= (op=) lines, never on the command line. Keys are printed as name_fp=, the first 8 octets of\n"
	"SHA-256 of the key, unless --show-key asks for the key itself.\n",
	[CHECK] =
	"Each prints one name=value line per output, in the order shown, bytes\n"
	"as lower-case hex. They take test vectors on the command line, not\n"
	"operational keys.\n"
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
	"  --shs     the SCP11a shared secret, 1 to 1024 octets (64 in SCP11a)\n",
	[OLD] =
	"  set DEV ...                    is dev set DEV ...\n"
	"  keyset add --key-id K --keys FILE ... (or --name=value)\n"
	"                                 is keyset add key-id K keys FILE ...\n"
	"  monitor --count N --timeout S  is monitor count N timeout S\n",
};

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/* Whether word is one of c's COMMANDs. */
static bool is_sub(const struct command *c, const char *word)
{
	size_t len = strlen(word);
	const char *s = c->subs;

	while (s && len && (s = strstr(s, word))) {
		if ((s == c->subs || s[-1] == ' ') &&
		    (s[len] == ' ' || !s[len]))
			return true;
		s += len;
	}
	return false;
}

/* Whether usage line begins with the COMMAND sub; every line if NULL. */
static bool usage_of(const char *line, const char *sub)
{
	size_t len = sub ? strlen(sub) : 0;

	return !sub || (!strncmp(line, sub, len) &&
			(line[len] == ' ' || !line[len]));
}

/*
 * "e2mctl OBJECT help": every usage line, what it does and prints;
 * "e2mctl OBJECT COMMAND --help": that COMMAND's line.
 */
static int command_help(const struct command *c, const char *sub)
{
	const char *const *line;

	printf("Usage:\n");
	for (line = c->usage; *line; line++)
		if (usage_of(*line, sub))
			printf("  %s %s\n", c->name, *line);
	printf("      %s\n      -> %s\n", c->summary, c->output);
	if (c->group == OLD)
		printf("\nKept for one release; see e2mctl help.\n");
	else
		printf("\n%s", group_notes[c->group]);
	return finish_output(c->name);
}

/* "  NAME  [COMMAND|COMMAND: ]what it does", one line. */
static void print_entry(const struct command *c)
{
	const char *s;

	printf("  %-14s", c->name);
	for (s = c->subs; s && *s; s++)
		putchar(*s == ' ' ? '|' : *s);
	printf("%s%s\n", c->subs ? ": " : "", c->summary);
}

static int help(void)
{
	const struct command *c;
	int g;

	printf("Usage: e2mctl [--socket PATH] [-n NETNS] OBJECT [COMMAND] [ARGS]\n"
	       "       e2mctl OBJECT help, e2mctl OBJECT [COMMAND] --help|-h\n"
	       "       e2mctl help\n");
	for (g = 0; g < N_GROUPS; g++) {
		printf("\n%s:\n", group_titles[g]);
		if (g == OLD) {
			printf("%s", group_notes[g]);
			continue;
		}
		for (c = commands; c < commands + N_COMMANDS; c++)
			if ((int)c->group == g)
				print_entry(c);
	}
	printf("\nExit status: 0 success, 2 bad usage, 1 any other failure.\n");
	return finish_output("help");
}

/*
 * "e2mctl help --commands", for the tests: every object and every
 * "OBJECT COMMAND", one a line, so that none can miss its help.
 */
static int list_commands(void)
{
	const struct command *c;
	char subs[128], *sub, *save;

	for (c = commands; c < commands + N_COMMANDS; c++) {
		printf("%s\n", c->name);
		if (!c->subs)
			continue;
		snprintf(subs, sizeof(subs), "%s", c->subs);
		for (sub = strtok_r(subs, " ", &save); sub;
		     sub = strtok_r(NULL, " ", &save))
			printf("%s %s\n", c->name, sub);
	}
	return finish_output("help");
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/*
 * The global options before OBJECT, in any order: --socket PATH and
 * -n NETNS (netns_option.h). The number of arguments they took, or minus
 * the exit status.
 */
static int global_options(int argc, char *argv[])
{
	int used = 0, n;

	do {
		n = admin_socket_option(argc - used, argv + used);
		if (n < 0)
			return -EXIT_USAGE;
		if (!n)
			n = netns_option(argc - used, argv + used);
		if (n < 0)
			return n;
		used += n;
	} while (n > 0);
	return used;
}

int main(int argc, char *argv[])
{
	const struct command *c;
	int used = global_options(argc - 1, argv + 1);

	if (used < 0)
		return -used;
	argc -= used;
	argv += used;
	if (argc < 2) {
		fprintf(stderr, "e2mctl: no command given (see e2mctl help)\n");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || is_help(argv[1])) {
		if (argc == 3 && !strcmp(argv[2], "--commands"))
			return list_commands();
		return help();
	}
	c = find_command(argv[1]);
	if (!c) {
		fail(argv[1], "unknown command (see e2mctl help)");
		return EXIT_USAGE;
	}
	/* OBJECT help, OBJECT --help, OBJECT COMMAND --help. */
	if (argc >= 3 && (!strcmp(argv[2], "help") || is_help(argv[2])))
		return command_help(c, NULL);
	if (argc >= 4 && is_help(argv[3]) && is_sub(c, argv[2]))
		return command_help(c, argv[2]);
	return c->run(argc - 2, argv + 2);
}
