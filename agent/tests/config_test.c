// SPDX-License-Identifier: GPL-2.0
/*
 * e2md's configuration (daemon/config.c, yaml_walk.c, config_syntax.c):
 * the documented example loads with the values it shows, a minimal file
 * gets the defaults, and each broken file of a table is refused with
 * exactly the "FILE:LINE: message" lines expected.
 */
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/bsf/bsf_config.h"
#include "daemon/bsf/bsf_limits.h"
#include "daemon/config.h"
#include "daemon/hse/hse_config.h"
#include "daemon/hss/hss_config.h"
#include "daemon/maf/maf_config.h"
#include "daemon/mef/mef_config.h"
#include "daemon/nafkc/nafkc_config.h"
#include "daemon/sgw/sgw_config.h"
#include "store_fixture.h"

/* What every valid file below starts with: store and tls, lines 1-7. */
#define HEAD \
	"store:\n" \
	"  path: /var/lib/e2m/store.db\n" \
	"  key-file: /etc/e2m/store.key\n" \
	"tls:\n" \
	"  certificate: /etc/e2m/c.pem\n" \
	"  private-key: /etc/e2m/k.pem\n" \
	"  ca: /etc/e2m/ca.pem\n"

#define HSS \
	"roles:\n" \
	"  hss:\n" \
	"    listen: \"127.0.0.1:8443\"\n" \
	"    clients: [bsf.x]\n" \
	"    sn-clients: [sgw.x]\n"

/* The HSS's own line, and its two required client lists after it. */
#define HSS_LISTEN \
	"roles:\n" \
	"  hss:\n" \
	"    listen: \"127.0.0.1:8443\"\n"
#define CLIENTS "    clients: [bsf.x]\n    sn-clients: [sgw.x]\n"

#define FILE_NAME "e2md.yaml"

/* Every key of roles.nafkc wrong at once (the broken table). */
#define NAFKC_BROKEN \
	"e2md.yaml:10: roles.nafkc.name: must be a DNS name, not 'nafkc test'\n" \
	"e2md.yaml:12: roles.nafkc.bsf-url: must be https://HOST[:PORT], not 'http://bsf.test'\n" \
	"e2md.yaml:13: roles.nafkc.key-lifetime: must be an integer from 1 to 31536000, not '0'\n" \
	"e2md.yaml:14: roles.nafkc: unknown key 'auth' (expected one of: name, listen, bsf-url, key-lifetime, device-auth, device-ca, gba-listen, zn-cache)"

/* A valid roles.nafkc, lines 8-12, for the device-auth cases to extend. */
#define NAFKC_HEAD HEAD "roles:\n  nafkc:\n    name: nafkc.test\n" \
	"    listen: 127.0.0.1:0\n    bsf-url: https://bsf.test\n"

/* The example, found from this file's own path. */
static void example_path(char *out, size_t size)
{
	const char *slash = strrchr(__FILE__, '/');
	int dir_len = slash ? (int)(slash - __FILE__) : 1;

	snprintf(out, size, "%.*s/../daemon/e2md.yaml.example", dir_len,
		 slash ? __FILE__ : ".");
}

/* A PostgreSQL store and tls, lines 1-8. */
#define PG_HEAD \
	"store:\n" \
	"  engine: postgresql\n" \
	"  connection: \"host=db.test dbname=e2m user=e2m\"\n" \
	"  password-file: /etc/e2m/store.pgpass\n" \
	"  key-file: /etc/e2m/store.key\n" \
	"tls:\n" \
	"  certificate: /etc/e2m/cert.pem\n" \
	"  private-key: /etc/e2m/key.pem\n" \
	"  ca: /etc/e2m/ca.pem\n"

/* A tls section after the roles, for the files whose lines 1-4 matter. */
#define TLS_LAST "tls: { certificate: /c.pem, private-key: /k.pem, ca: /ca.pem }\n"

/* All errors, one per line, as --check-config prints them. */
static void join_errors(const struct config_errors *errors, char *out,
			size_t size)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < errors->count && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
					i ? "\n" : "", errors->text[i]);
}

static struct config *load_text(const char *text, char *errors_out,
				size_t errors_size)
{
	struct config_errors errors;
	struct config *config;

	write_file(FILE_NAME, text, strlen(text), 0600);
	config_load(FILE_NAME, &config, &errors);
	join_errors(&errors, errors_out, errors_size);
	return config;
}

static uint16_t port_of(const struct config_listen *listen)
{
	const struct sockaddr_in *in4 = (const struct sockaddr_in *)&listen->addr;

	return ntohs(in4->sin_port);
}

static void test_example(void)
{
	struct config_errors errors;
	struct config *c = NULL;
	char path[PATH_MAX], all[4096];
	int ret;

	example_path(path, sizeof(path));
	ret = config_load(path, &c, &errors);
	join_errors(&errors, all, sizeof(all));
	if (!ok(ret == 0 && c, "example: loads without errors")) {
		printf("#   %s\n", all);
		return;
	}
	ok(c->log_level == LOG_LEVEL_INFO, "example: log.level info");
	ok(c->listeners.max_connections == 1024 &&
	   c->listeners.request_deadline == 10,
	   "example: listeners max-connections 1024, request-deadline 10");
	ok(!strcmp(c->store.file.path, "/var/lib/e2m/store.db") &&
	   !strcmp(c->store.key_file.path, "/etc/e2m/store.key") &&
	   c->store.key_serial == 0, "example: store path and key-file");
	ok(!strcmp(c->admin.socket, "/run/e2m/e2md.sock"),
	   "example: admin.socket");
	ok(c->metrics.present &&
	   !strcmp(c->metrics.listen.text, "127.0.0.1:9520") &&
	   port_of(&c->metrics.listen) == 9520,
	   "example: metrics on 127.0.0.1:9520");
	ok(!strcmp(c->tls.certificate.path, "/etc/e2m/tls/e2md.crt") &&
	   !strcmp(c->tls.private_key.path, "/etc/e2m/tls/e2md.key") &&
	   !strcmp(c->tls.ca.path, "/etc/e2m/tls/ca.crt"),
	   "example: tls files");
	ok(config_hss(c) && !strcmp(config_hss(c)->listen.text, "127.0.0.1:8443") &&
	   port_of(&config_hss(c)->listen) == 8443 &&
	   config_hss(c)->listen.addr.ss_family == AF_INET,
	   "example: hss listens on 127.0.0.1:8443");
	ok(config_hss(c) && config_hss(c)->clients.count == 1 &&
	   !strcmp(config_hss(c)->clients.names[0], "bsf.home1.net"),
	   "example: hss.clients");
	ok(config_hss(c) && config_hss(c)->sn_clients.count == 1 &&
	   !strcmp(config_hss(c)->sn_clients.names[0], "sgw.home1.net") &&
	   config_hss(c)->hse_clients.count == 1 &&
	   !strcmp(config_hss(c)->hse_clients.names[0], "hse.home1.net"),
	   "example: hss.sn-clients, hss.hse-clients");
	ok(config_hss(c) && config_hss(c)->e2m.window == 120 &&
	   config_hss(c)->e2m.algorithm == 2, "example: hss.e2m");
	ok(config_bsf(c) && !strcmp(config_bsf(c)->name, "bsf.home1.net") &&
	   !strcmp(config_bsf(c)->ub_listen.text, "0.0.0.0:8080") &&
	   !strcmp(config_bsf(c)->zn_listen.text, "127.0.0.1:8444"),
	   "example: bsf name and listeners");
	ok(config_bsf(c) && !strcmp(config_bsf(c)->hss_url.host, "127.0.0.1") &&
	   config_bsf(c)->hss_url.port == 8443 &&
	   config_bsf(c)->key_lifetime == 3600, "example: bsf hss-url, key-lifetime");
	ok(config_bsf(c) && config_bsf(c)->ub_source_rate == 500 &&
	   config_bsf(c)->ub_impi_window == 2,
	   "example: bsf ub-source-rate 500, ub-impi-window 2");
	ok(config_sgw(c) &&
	   !strcmp(config_sgw(c)->attach_listen.text, "0.0.0.0:8090") &&
	   !strcmp(config_sgw(c)->hss_url.host, "127.0.0.1") &&
	   !strcmp(config_sgw(c)->hse_url.host, "hse.home1.net") &&
	   config_sgw(c)->hse_url.port == 8445 &&
	   config_sgw(c)->aka == E2M_AKA_EPS && config_sgw(c)->has_sn_id &&
	   config_sgw(c)->sn_id[0] == 0x00 && config_sgw(c)->sn_id[1] == 0xf1 &&
	   config_sgw(c)->sn_id[2] == 0x10 &&
	   !strcmp(config_sgw(c)->hse_gtpu.address, "192.0.2.10") &&
	   config_sgw(c)->hse_gtpu.port == 2152 &&
	   config_sgw(c)->inner_ipv4_pool.network == 0x0a2d0000u &&
	   config_sgw(c)->inner_ipv4_pool.prefix == 16,
	   "example: sgw");
	ok(config_bsf(c) && config_bsf(c)->n_nafs == 2 &&
	   !strcmp(config_bsf(c)->nafs[0].name, "naf1.home1.net") &&
	   !strcmp(config_bsf(c)->nafs[1].name, "nafkc.home1.net"),
	   "example: bsf nafs");
	ok(config_hse(c) &&
	   !strcmp(config_hse(c)->triplet_listen.text, "127.0.0.1:8445") &&
	   config_hse(c)->clients.count == 1 &&
	   !strcmp(config_hse(c)->clients.names[0], "pgw.home1.net") &&
	   !strcmp(config_hse(c)->hss_url.host, "127.0.0.1") &&
	   config_hse(c)->hss_url.port == 8443 &&
	   !strcmp(config_hse(c)->device, "e2m0") &&
	   config_hse(c)->key_lifetime == 3600,
	   "example: hse listener, clients, hss-url, device, key-lifetime");
	ok(config_nafkc(c) && !strcmp(config_nafkc(c)->name, "nafkc.home1.net") &&
	   !strcmp(config_nafkc(c)->listen.text, "0.0.0.0:8446") &&
	   !strcmp(config_nafkc(c)->bsf_url.host, "127.0.0.1") &&
	   config_nafkc(c)->bsf_url.port == 8444 &&
	   config_nafkc(c)->key_lifetime == 3600,
	   "example: nafkc name, listen, bsf-url, key-lifetime");
	ok(c->tls.certificate.line == 45 && c->store.key_file.line == 29,
	   "example: lines of the files kept for later errors");
	config_free(c);
}

static void test_defaults(void)
{
	char errors[4096];
	struct config *c = load_text(HEAD HSS, errors, sizeof(errors));

	if (!ok(c != NULL, "minimal: loads")) {
		printf("#   %s\n", errors);
		return;
	}
	ok(c->log_level == LOG_LEVEL_INFO, "minimal: log level info");
	ok(c->listeners.max_connections == 1024 &&
	   c->listeners.request_deadline == 10,
	   "minimal: listeners of 1024 connections, 10 s a request");
	ok(!strcmp(c->admin.socket, CONFIG_DEFAULT_SOCKET),
	   "minimal: admin socket %s", CONFIG_DEFAULT_SOCKET);
	ok(config_hss(c) && config_hss(c)->clients.count == 1 &&
	   !strcmp(config_hss(c)->clients.names[0], "bsf.x") && !config_bsf(c),
	   "minimal: hss only, one BSF listed");
	ok(config_hss(c) && config_hss(c)->sn_clients.count == 1 &&
	   !config_hss(c)->hse_clients.count &&
	   config_hss(c)->e2m.window == HSS_E2M_WINDOW_DEFAULT &&
	   config_hss(c)->e2m.algorithm == 2,
	   "minimal: one SGW, no HSE, window 120 s, AES");
	config_free(c);

	c = load_text(HEAD "roles:\n  bsf:\n    name: bsf.test\n"
		      "    ub-listen: \"[::1]:8080\"\n"
		      "    zn-listen: \"[::]:8444\"\n"
		      "    hss-url: \"https://[::1]\"\n", errors,
		      sizeof(errors));
	if (!ok(c != NULL, "bsf with IPv6: loads")) {
		printf("#   %s\n", errors);
		return;
	}
	ok(config_bsf(c)->key_lifetime == CONFIG_KEY_LIFETIME_DEFAULT &&
	   config_bsf(c)->n_nafs == 0, "bsf: default key-lifetime, no NAFs");
	ok(config_bsf(c)->ub_source_rate == BSF_UB_SOURCE_RATE &&
	   config_bsf(c)->ub_impi_window == BSF_UB_IMPI_WINDOW,
	   "bsf: default Ub limits, 500 first requests a second, 2 s an IMPI");
	ok(!strcmp(config_bsf(c)->hss_url.host, "::1") &&
	   config_bsf(c)->hss_url.port == 443, "bsf: https://[::1] is ::1, 443");
	ok(config_bsf(c)->zn_listen.addr.ss_family == AF_INET6,
	   "bsf: [::]:8444 is IPv6");
	config_free(c);

	c = load_text("store: {path: /s.db, key-file: /k}\n"
		      "tls: {certificate: /c, private-key: /k, ca: /a}\n"
		      "roles:\n  sgw:\n    attach-listen: 127.0.0.1:0\n"
		      "    hss-url: https://hss.test\n"
		      "    hse-url: https://hse.test:8445\n"
		      "    hse-gtpu: {address: \"2001:DB8::0010\"}\n"
		      "    inner-ipv4-pool: 10.45.0.0/30\n", errors,
		      sizeof(errors));
	if (!ok(c != NULL, "sgw: loads")) {
		printf("#   %s\n", errors);
		return;
	}
	ok(config_sgw(c)->aka == E2M_AKA_UMTS && !config_sgw(c)->has_sn_id &&
	   config_sgw(c)->hse_gtpu.port == 2152 &&
	   !strcmp(config_sgw(c)->hse_gtpu.address, "2001:db8::10") &&
	   config_sgw(c)->inner_ipv4_pool.prefix == 30,
	   "sgw: umts, port 2152 and the address in canonical form by default");
	config_free(c);

	c = load_text("log: {level: debug}\nstore: {path: /s.db, key-serial: 42}\n"
		      "tls: {certificate: /c, private-key: /k, ca: /a}\n"
		      "roles: {hss: {listen: '127.0.0.1:0', clients: [a.b, c], sn-clients: [d]}}\n",
		      errors, sizeof(errors));
	ok(c && c->log_level == LOG_LEVEL_DEBUG && c->store.key_serial == 42 &&
	   c->store.key_serial_line == 2 && !c->store.key_file.path &&
	   config_hss(c)->clients.count == 2 &&
	   port_of(&config_hss(c)->listen) == 0,
	   "flow style: debug, key-serial 42, port 0, two clients");
	if (!c)
		printf("#   %s\n", errors);
	config_free(c);

	/* Enrolment is PSK (D)TLS: a MEF without km-listen needs no tls. */
	c = load_text("store: {path: /s.db, key-file: /k}\n"
		      "roles: {mef: {name: mef.test, listen: '127.0.0.1:5684'}}\n",
		      errors, sizeof(errors));
	ok(c && !c->tls.present && config_mef(c) &&
	   !config_mef(c)->km_listen.line &&
	   config_mef(c)->dtls_sessions == 256,
	   "mef without km-listen: loads without a tls section, "
	   "dtls-sessions 256");
	if (!c)
		printf("#   %s\n", errors);
	config_free(c);
	c = load_text("store: {path: /s.db, key-file: /k}\n"
		      "roles: {mef: {name: mef.test, listen: '127.0.0.1:5684',"
		      " dtls-listen: '127.0.0.1:5685', dtls-sessions: 1024}}\n",
		      errors, sizeof(errors));
	ok(c && config_mef(c) && config_mef(c)->dtls_sessions == 1024,
	   "mef dtls-sessions: 1024, the most");
	if (!c)
		printf("#   %s\n", errors);
	config_free(c);

	/* A MAF is one unless "as" says Enrolee B. */
	c = load_text("store: {path: /s.db, key-file: /k}\n"
		      "tls: {certificate: /c, private-key: /k, ca: /a}\n"
		      "roles: {maf: {name: node-b.test, listen: '127.0.0.1:0',"
		      " zn-url: 'https://bsf.test:8443', as: enrolee-b}}\n",
		      errors, sizeof(errors));
	ok(c && config_maf(c) && config_maf(c)->as == MAF_AS_ENROLEE_B,
	   "maf as: enrolee-b");
	if (!c)
		printf("#   %s\n", errors);
	config_free(c);
	/* Enrolee B of the pre-provisioned framework: Kpsa from the MEF. */
	c = load_text("store: {path: /s.db, key-file: /k}\n"
		      "tls: {certificate: /c, private-key: /k, ca: /a}\n"
		      "roles: {maf: {name: node-b.test, listen: '127.0.0.1:0',"
		      " mef-url: 'https://mef.test:8449', as: enrolee-b}}\n",
		      errors, sizeof(errors));
	ok(c && config_maf(c) && config_maf(c)->as == MAF_AS_ENROLEE_B &&
	   !strcmp(config_maf(c)->mef_url.text, "https://mef.test:8449") &&
	   !config_maf(c)->zn_url.text,
	   "maf as: enrolee-b with mef-url (Kpsa from the MEF)");
	if (!c)
		printf("#   %s\n", errors);
	config_free(c);
	c = load_text("store: {path: /s.db, key-file: /k}\n"
		      "tls: {certificate: /c, private-key: /k, ca: /a}\n"
		      "roles: {maf: {name: maf.test, listen: '127.0.0.1:0',"
		      " zn-url: 'https://bsf.test:8443',"
		      " gba-listen: '127.0.0.1:8451',"
		      " gba-dtls-listen: '127.0.0.1:8452'}}\n",
		      errors, sizeof(errors));
	ok(c && config_maf(c) && config_maf(c)->as == MAF_AS_MAF &&
	   config_maf(c)->gba_listen.line == 3 &&
	   !strcmp(config_maf(c)->gba_listen.text, "127.0.0.1:8451"),
	   "maf without as: a MAF; gba-listen");
	ok(c && config_maf(c) && config_maf(c)->gba_dtls_listen.line == 3 &&
	   !strcmp(config_maf(c)->gba_dtls_listen.text, "127.0.0.1:8452"),
	   "maf gba-dtls-listen");
	if (!c)
		printf("#   %s\n", errors);
	ok(c && !config_maf(c)->handoff.line,
	   "maf without handoff: no hand-off (line 0)");
	config_free(c);
	/* handoff: the uid, the gid given or the passwd one (maf_handoff.h). */
	c = load_text("store: {path: /s.db, key-file: /k}\n"
		      "tls: {certificate: /c, private-key: /k, ca: /a}\n"
		      "roles: {maf: {name: maf.test, listen: '127.0.0.1:0',"
		      " mef-url: 'https://mef.test:8449',"
		      " handoff: {uid: 4294967294, gid: 0}}}\n",
		      errors, sizeof(errors));
	ok(c && config_maf(c)->handoff.line == 3 &&
	   config_maf(c)->handoff.uid == 4294967294u &&
	   config_maf(c)->handoff.gid == 0,
	   "maf handoff: uid 4294967294 (the most), gid 0");
	if (!c)
		printf("#   %s\n", errors);
	config_free(c);
	c = load_text("store: {path: /s.db, key-file: /k}\n"
		      "tls: {certificate: /c, private-key: /k, ca: /a}\n"
		      "roles: {maf: {name: maf.test, listen: '127.0.0.1:0',"
		      " mef-url: 'https://mef.test:8449', as: enrolee-b,"
		      " handoff: {uid: 1}}}\n",
		      errors, sizeof(errors));
	ok(c && config_maf(c)->handoff.uid == 1 &&
	   config_maf(c)->handoff.gid == MAF_HANDOFF_GID_PASSWD,
	   "maf handoff: uid 1, no gid: the uid's passwd group");
	if (!c)
		printf("#   %s\n", errors);
	config_free(c);
}

struct broken {
	const char *name;
	const char *text;
	const char *errors;	/* every line expected, in order */
};

static const struct broken broken[] = {
	{ "unknown top-level key", HEAD HSS "bogus: 1\n",
	  FILE_NAME ":13: unknown key 'bogus' (expected one of: log, store, admin, tls, metrics, listeners, workers, roles)" },
	{ "bsf Ub limits out of range", HEAD "roles:\n  bsf:\n    name: b.x\n"
	  "    ub-listen: 127.0.0.1:0\n    zn-listen: 127.0.0.1:0\n"
	  "    hss-url: https://h.x\n    ub-source-rate: 0\n"
	  "    ub-impi-window: 61\n",
	  FILE_NAME ":14: roles.bsf.ub-source-rate: must be an integer from 1 to 1000000, not '0'\n"
	  FILE_NAME ":15: roles.bsf.ub-impi-window: must be an integer from 0 to 60, not '61'" },
	{ "listeners out of range",
	  "listeners:\n  max-connections: 0\n  request-deadline: 301\n"
	  HEAD HSS,
	  FILE_NAME ":2: listeners.max-connections: must be an integer from 1 to 65536, not '0'\n"
	  FILE_NAME ":3: listeners.request-deadline: must be an integer from 1 to 300, not '301'" },
	{ "unknown key in a section", "log:\n  lvl: info\n" HEAD HSS,
	  FILE_NAME ":2: log: unknown key 'lvl' (expected one of: level)" },
	{ "bad log level", "log:\n  level: verbose\n" HEAD HSS,
	  FILE_NAME ":2: log.level: must be one of debug, info, warning, error, not 'verbose'" },
	{ "duplicate key", "log:\n  level: info\n  level: debug\n" HEAD HSS,
	  FILE_NAME ":3: log: duplicate key 'level'" },
	{ "section as a scalar", "log: info\n" HEAD HSS,
	  FILE_NAME ":1: log: must be a mapping (key: value lines), not a scalar" },
	{ "relative store path",
	  "store:\n  path: store.db\n  key-file: /k\n"
	  "tls: {certificate: /c, private-key: /k, ca: /a}\n" HSS,
	  FILE_NAME ":2: store.path: must be an absolute path, not 'store.db'" },
	{ "no store key", "store:\n  path: /s.db\n"
	  "tls: {certificate: /c, private-key: /k, ca: /a}\n" HSS,
	  FILE_NAME ":1: store: needs key-file or key-serial (the store key)" },
	{ "two store keys", "store:\n  path: /s.db\n  key-file: /k\n  key-serial: 7\n"
	  "tls: {certificate: /c, private-key: /k, ca: /a}\n" HSS,
	  FILE_NAME ":4: store: key-file and key-serial exclude each other" },
	{ "key-serial 0", "store:\n  path: /s.db\n  key-serial: 0\n"
	  "tls: {certificate: /c, private-key: /k, ca: /a}\n" HSS,
	  FILE_NAME ":3: store.key-serial: must be an integer from 1 to 2147483647, not '0'" },
	{ "key-serial quoted", "store:\n  path: /s.db\n  key-serial: \"12\"\n"
	  "tls: {certificate: /c, private-key: /k, ca: /a}\n" HSS,
	  FILE_NAME ":3: store.key-serial: must be an integer from 1 to 2147483647, not '12'" },
	{ "admin socket too long",
	  HEAD "admin:\n  socket: /run/e2m/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock\n" HSS,
	  FILE_NAME ":9: admin.socket: longer than the 107 octets a socket path may have" },
	{ "tls without ca",
	  "store: {path: /s.db, key-file: /k}\ntls:\n  certificate: /c\n  private-key: /k\n" HSS,
	  FILE_NAME ":2: tls: missing key 'ca'" },
	{ "empty tls file", "store: {path: /s.db, key-file: /k}\n"
	  "tls:\n  certificate: \"\"\n  private-key: /k\n  ca: /a\n" HSS,
	  FILE_NAME ":3: tls.certificate: must not be empty" },
	{ "no roles", HEAD,
	  FILE_NAME ":1: missing key 'roles'" },
	{ "empty roles", HEAD "roles: {}\n",
	  FILE_NAME ":8: roles: no role configured" },
	{ "unknown role", HEAD "roles:\n  foo: {}\n",
	  FILE_NAME ":9: roles: unknown key 'foo' (expected one of: hss, bsf, sgw, ue, hse, nafkc, mt, device, mef, maf, prov)" },
	{ "nafkc without bsf-url", HEAD "roles:\n  nafkc:\n"
	  "    name: nafkc.test\n    listen: 127.0.0.1:0\n",
	  FILE_NAME ":9: roles.nafkc: missing key 'bsf-url'" },
	{ "nafkc with a bad name, an http bsf-url, a zero lifetime",
	  HEAD "roles:\n  nafkc:\n    name: \"nafkc test\"\n"
	  "    listen: 127.0.0.1:0\n    bsf-url: http://bsf.test\n"
	  "    key-lifetime: 0\n    auth: psk\n",
	  NAFKC_BROKEN },
	{ "nafkc certificate without device-ca", NAFKC_HEAD
	  "    device-auth: [psk, certificate]\n",
	  FILE_NAME ":13: roles.nafkc: device-auth certificate needs device-ca" },
	{ "nafkc device-ca without certificate", NAFKC_HEAD
	  "    device-auth: [psk]\n    device-ca: /ca.pem\n",
	  FILE_NAME ":14: roles.nafkc: device-ca is for device-auth certificate" },
	{ "nafkc device-ca alone", NAFKC_HEAD "    device-ca: /ca.pem\n",
	  FILE_NAME ":13: roles.nafkc: device-ca is for device-auth certificate" },
	{ "nafkc device-auth psk twice", NAFKC_HEAD
	  "    device-auth: [psk, psk]\n",
	  FILE_NAME ":13: roles.nafkc.device-auth[1]: 'psk' twice" },
	{ "nafkc device-auth empty", NAFKC_HEAD "    device-auth: []\n",
	  FILE_NAME ":13: roles.nafkc.device-auth: needs psk, certificate or both" },
	{ "nafkc device-auth unknown", NAFKC_HEAD
	  "    device-auth: [password]\n",
	  FILE_NAME ":13: roles.nafkc.device-auth[0]: must be one of psk, certificate, not 'password'" },
	{ "nafkc device-ca relative", NAFKC_HEAD
	  "    device-auth: [certificate]\n    device-ca: ca.pem\n",
	  FILE_NAME ":14: roles.nafkc.device-ca: must be an absolute path, not 'ca.pem'" },
	{ "role not available yet", HEAD "roles:\n  ue:\n    usim: x\n",
	  FILE_NAME ":9: roles.ue: this role is not available in this e2md yet" },
	{ "hss listen by name", HEAD "roles:\n  hss:\n    listen: localhost:8443\n" CLIENTS,
	  FILE_NAME ":10: roles.hss.listen: must be IPv4:PORT or [IPv6]:PORT, e.g. 127.0.0.1:8443 or [::1]:8443, not 'localhost:8443'" },
	{ "hss listen without port", HEAD "roles:\n  hss:\n    listen: 127.0.0.1\n" CLIENTS,
	  FILE_NAME ":10: roles.hss.listen: must be IPv4:PORT or [IPv6]:PORT, e.g. 127.0.0.1:8443 or [::1]:8443, not '127.0.0.1'" },
	{ "hss listen bare IPv6", HEAD "roles:\n  hss:\n    listen: \"::1:8443\"\n" CLIENTS,
	  FILE_NAME ":10: roles.hss.listen: must be IPv4:PORT or [IPv6]:PORT, e.g. 127.0.0.1:8443 or [::1]:8443, not '::1:8443'" },
	{ "hss listen port 65536", HEAD "roles:\n  hss:\n    listen: 127.0.0.1:65536\n" CLIENTS,
	  FILE_NAME ":10: roles.hss.listen: must be IPv4:PORT or [IPv6]:PORT, e.g. 127.0.0.1:8443 or [::1]:8443, not '127.0.0.1:65536'" },
	{ "hss listen as a list", HEAD "roles:\n  hss:\n    listen: [127.0.0.1:1]\n" CLIENTS,
	  FILE_NAME ":10: roles.hss.listen: must be a single value, not a list" },
	{ "hss without listen", HEAD "roles:\n  hss:\n    clients: [a]\n    sn-clients: [b]\n",
	  FILE_NAME ":9: roles.hss: missing key 'listen'" },
	{ "hss clients twice", HEAD HSS_LISTEN "    sn-clients: [s]\n"
	  "    clients: [bsf.x, BSF.X]\n",
	  FILE_NAME ":12: roles.hss.clients[1]: 'BSF.X' is listed twice" },
	{ "hss sn-clients twice", HEAD HSS_LISTEN "    clients: [b]\n"
	  "    sn-clients: [sgw.x, SGW.x]\n",
	  FILE_NAME ":12: roles.hss.sn-clients[1]: 'SGW.x' is listed twice" },
	{ "hss hse-clients not a list", HEAD HSS "    hse-clients: hse.x\n",
	  FILE_NAME ":13: roles.hss.hse-clients: must be a list, not a scalar" },
	{ "hss without clients or sn-clients", HEAD HSS_LISTEN,
	  FILE_NAME ":9: roles.hss: missing key 'clients'\n"
	  FILE_NAME ":9: roles.hss: missing key 'sn-clients'" },
	{ "hss clients empty", HEAD HSS_LISTEN "    clients: []\n"
	  "    sn-clients: [sgw.x]\n",
	  FILE_NAME ":11: roles.hss.clients: must name at least one client (by a DNS name of its certificate)" },
	{ "hss sn-clients empty", HEAD HSS_LISTEN "    clients: [bsf.x]\n"
	  "    sn-clients:\n",
	  FILE_NAME ":12: roles.hss.sn-clients: must be a list, not a scalar" },
	{ "hss sn-clients an empty flow list", HEAD HSS_LISTEN
	  "    clients: [bsf.x]\n    sn-clients: []\n",
	  FILE_NAME ":12: roles.hss.sn-clients: must name at least one client (by a DNS name of its certificate)" },
	{ "hss e2m window 0", HEAD HSS "    e2m:\n      window: 0\n",
	  FILE_NAME ":14: roles.hss.e2m.window: must be an integer from 1 to 3600, not '0'" },
	{ "hss e2m window 2m", HEAD HSS "    e2m: {window: 2m}\n",
	  FILE_NAME ":13: roles.hss.e2m.window: must be an integer from 1 to 3600, not '2m'" },
	{ "hss e2m window too long", HEAD HSS "    e2m: {window: 3601}\n",
	  FILE_NAME ":13: roles.hss.e2m.window: must be an integer from 1 to 3600, not '3601'" },
	{ "hss e2m algorithm snow3g", HEAD HSS "    e2m:\n      algorithm: snow3g\n",
	  FILE_NAME ":14: roles.hss.e2m.algorithm: must be one of aes, not 'snow3g'" },
	{ "hss e2m unknown key", HEAD HSS "    e2m:\n      windw: 10\n",
	  FILE_NAME ":14: roles.hss.e2m: unknown key 'windw' (expected one of: window, algorithm)" },
	{ "hss e2m not a mapping", HEAD HSS "    e2m: 120\n",
	  FILE_NAME ":13: roles.hss.e2m: must be a mapping (key: value lines), not a scalar" },
	{ "hss without tls", "store: {path: /s.db, key-file: /k}\n" HSS,
	  FILE_NAME ":3: roles.hss: needs a tls section (its peers use mutual TLS)" },
	{ "mef with km-listen, without tls",
	  "store: {path: /s.db, key-file: /k}\nroles:\n  mef:\n"
	  "    name: mef.test\n    listen: 127.0.0.1:5684\n"
	  "    km-listen: 127.0.0.1:8447\n    maf-clients: [maf.x]\n",
	  FILE_NAME ":3: roles.mef: needs a tls section (its peers use mutual TLS)" },
	{ "mef dtls-sessions 0",
	  "store: {path: /s.db, key-file: /k}\nroles:\n  mef:\n"
	  "    name: mef.test\n    listen: 127.0.0.1:5684\n"
	  "    dtls-sessions: 0\n",
	  FILE_NAME ":6: roles.mef.dtls-sessions: must be an integer from 1 to 1024, not '0'" },
	{ "maf dtls-sessions 1025",
	  "store: {path: /s.db, key-file: /k}\ntls: {certificate: /c, private-key: /k, ca: /a}\n"
	  "roles:\n  maf:\n"
	  "    name: maf.test\n    listen: 127.0.0.1:5684\n"
	  "    mef-url: https://mef.test:8449\n    dtls-sessions: 1025\n",
	  FILE_NAME ":8: roles.maf.dtls-sessions: must be an integer from 1 to 1024, not '1025'" },
	{ "maf with neither mef-url nor zn-url",
	  "store: {path: /s.db, key-file: /k}\ntls: {certificate: /c, private-key: /k, ca: /a}\n"
	  "roles:\n  maf:\n"
	  "    name: maf.test\n    listen: 127.0.0.1:5684\n",
	  FILE_NAME ":4: roles.maf: missing key 'mef-url' or 'zn-url'" },
	{ "maf as an unknown kind",
	  "store: {path: /s.db, key-file: /k}\ntls: {certificate: /c, private-key: /k, ca: /a}\n"
	  "roles:\n  maf:\n"
	  "    name: maf.test\n    listen: 127.0.0.1:5684\n"
	  "    zn-url: https://bsf.test:8443\n    as: mef\n",
	  FILE_NAME ":8: roles.maf.as: must be one of maf, enrolee-b, not 'mef'" },
	{ "maf gba-listen without zn-url",
	  "store: {path: /s.db, key-file: /k}\ntls: {certificate: /c, private-key: /k, ca: /a}\n"
	  "roles:\n  maf:\n"
	  "    name: maf.test\n    listen: 127.0.0.1:5684\n"
	  "    mef-url: https://mef.test:8449\n    gba-listen: 127.0.0.1:8451\n",
	  FILE_NAME ":4: roles.maf: gba-listen needs zn-url" },
	{ "maf with an unknown key",
	  "store: {path: /s.db, key-file: /k}\ntls: {certificate: /c, private-key: /k, ca: /a}\n"
	  "roles:\n  maf:\n"
	  "    name: maf.test\n    listen: 127.0.0.1:5684\n"
	  "    zn-url: https://bsf.test:8444\n    frob: 1\n",
	  FILE_NAME ":8: roles.maf: unknown key 'frob' (expected one of: name, listen, mef-url, zn-url, dtls-listen, dtls-sessions, gba-listen, gba-dtls-listen, as, km-pull, handoff)" },
	{ "maf gba-dtls-listen without zn-url",
	  "store: {path: /s.db, key-file: /k}\ntls: {certificate: /c, private-key: /k, ca: /a}\n"
	  "roles:\n  maf:\n"
	  "    name: maf.test\n    listen: 127.0.0.1:5684\n"
	  "    mef-url: https://mef.test:8449\n    gba-dtls-listen: 127.0.0.1:8452\n",
	  FILE_NAME ":4: roles.maf: gba-dtls-listen needs zn-url" },
	{ "maf gba-dtls-listen not an address",
	  "store: {path: /s.db, key-file: /k}\ntls: {certificate: /c, private-key: /k, ca: /a}\n"
	  "roles:\n  maf:\n"
	  "    name: maf.test\n    listen: 127.0.0.1:5684\n"
	  "    zn-url: https://bsf.test:8444\n    gba-dtls-listen: nowhere\n",
	  FILE_NAME ":8: roles.maf.gba-dtls-listen: must be IPv4:PORT or [IPv6]:PORT, e.g. 127.0.0.1:8443 or [::1]:8443, not 'nowhere'" },
	{ "maf km-pull without mef-url",
	  "store: {path: /s.db, key-file: /k}\ntls: {certificate: /c, private-key: /k, ca: /a}\n"
	  "roles:\n  maf:\n"
	  "    name: maf.test\n    listen: 127.0.0.1:5684\n"
	  "    zn-url: https://bsf.test:8444\n    km-pull: true\n",
	  FILE_NAME ":4: roles.maf: km-pull needs mef-url" },
	{ "maf km-pull neither true nor false",
	  "store: {path: /s.db, key-file: /k}\ntls: {certificate: /c, private-key: /k, ca: /a}\n"
	  "roles:\n  maf:\n"
	  "    name: maf.test\n    listen: 127.0.0.1:5684\n"
	  "    mef-url: https://mef.test:8449\n    km-pull: yes\n",
	  FILE_NAME ":8: roles.maf.km-pull: must be one of false, true, not 'yes'" },
	{ "hss without store or tls", HSS,
	  FILE_NAME ":2: roles.hss: needs a store section (subscribers and sessions)\n"
	  FILE_NAME ":2: roles.hss: needs a tls section (its peers use mutual TLS)" },
	{ "hse missing keys", HEAD "roles:\n  hse:\n    clients: [pgw.test]\n",
	  FILE_NAME ":9: roles.hse: missing key 'triplet-listen'\n"
	  FILE_NAME ":9: roles.hse: missing key 'hss-url'\n"
	  FILE_NAME ":9: roles.hse: missing key 'device'" },
	{ "hse without clients", HEAD "roles:\n  hse:\n"
	  "    triplet-listen: 127.0.0.1:8445\n"
	  "    hss-url: https://hss.test\n    device: e2m0\n",
	  FILE_NAME ":9: roles.hse: missing key 'clients'" },
	{ "hse clients empty", HEAD "roles:\n  hse:\n"
	  "    triplet-listen: 127.0.0.1:8445\n    clients: []\n"
	  "    hss-url: https://hss.test\n    device: e2m0\n",
	  FILE_NAME ":11: roles.hse.clients: must name at least one client (by a DNS name of its certificate)" },
	{ "hse bad values", HEAD "roles:\n  hse:\n"
	  "    triplet-listen: 127.0.0.1:8445\n"
	  "    hss-url: http://hss.test\n    device: e2m0-is-too-long\n"
	  "    key-lifetime: 0\n    clients: [pgw.test]\n",
	  FILE_NAME ":11: roles.hse.hss-url: must be https://HOST[:PORT], not 'http://hss.test'\n"
	  FILE_NAME ":12: roles.hse.device: must be an interface name of 1..15 octets\n"
	  FILE_NAME ":13: roles.hse.key-lifetime: must be an integer from 1 to 31536000, not '0'" },
	{ "hse device with a slash", HEAD "roles:\n  hse:\n"
	  "    triplet-listen: 127.0.0.1:8445\n"
	  "    hss-url: https://hss.test\n    device: e2m/0\n"
	  "    clients: [pgw.test]\n",
	  FILE_NAME ":12: roles.hse.device: must be an interface name of 1..15 octets" },
	{ "hse instance with a space", HEAD "roles:\n  hse:\n"
	  "    triplet-listen: 127.0.0.1:8445\n"
	  "    hss-url: https://hss.test\n    device: e2m0\n"
	  "    clients: [pgw.test]\n    instance: \"gw a\"\n",
	  FILE_NAME ":14: roles.hse.instance: must be 1..64 letters, digits, '.', '-' or '_'" },
	{ "hse without store", "tls: {certificate: /c, private-key: /k, ca: /a}\n"
	  "roles:\n  hse:\n    triplet-listen: 127.0.0.1:8445\n"
	  "    hss-url: https://hss.test\n    device: e2m0\n"
	  "    clients: [pgw.test]\n",
	  FILE_NAME ":3: roles.hse: needs a store section (the flows it installed)" },
	{ "hse listens on the hss port", HEAD HSS "  hse:\n"
	  "    triplet-listen: 127.0.0.1:8443\n"
	  "    hss-url: https://hss.test\n    device: e2m0\n"
	  "    clients: [pgw.test]\n",
	  FILE_NAME ":14: roles.hse.triplet-listen: 127.0.0.1:8443 takes the port of roles.hss.listen (127.0.0.1:8443)" },
	{ "metrics without listen", HEAD "metrics: {}\n" HSS,
	  FILE_NAME ":8: metrics: missing key 'listen'" },
	{ "metrics with a bad address", HEAD "metrics:\n  listen: 9520\n" HSS,
	  FILE_NAME ":9: metrics.listen: must be IPv4:PORT or [IPv6]:PORT, e.g. 127.0.0.1:8443 or [::1]:8443, not '9520'" },
	{ "metrics on the hss port", HEAD "metrics:\n  listen: 0.0.0.0:8443\n" HSS,
	  FILE_NAME ":9: metrics.listen: 0.0.0.0:8443 takes the port of roles.hss.listen (127.0.0.1:8443)" },
	{ "bsf missing keys", HEAD "roles:\n  bsf:\n    name: bsf.test\n",
	  FILE_NAME ":9: roles.bsf: missing key 'ub-listen'\n"
	  FILE_NAME ":9: roles.bsf: missing key 'zn-listen'\n"
	  FILE_NAME ":9: roles.bsf: missing key 'hss-url' or 'hlr'" },
	{ "bsf bad values", HEAD "roles:\n  bsf:\n    name: bsf_1.test\n"
	  "    ub-listen: 127.0.0.1:80\n    zn-listen: 127.0.0.1:81\n"
	  "    hss-url: http://hss.test:8443\n    key-lifetime: 1h\n",
	  FILE_NAME ":10: roles.bsf.name: must be a DNS name, not 'bsf_1.test'\n"
	  FILE_NAME ":13: roles.bsf.hss-url: must be https://HOST[:PORT], not 'http://hss.test:8443'\n"
	  FILE_NAME ":14: roles.bsf.key-lifetime: must be an integer from 1 to 31536000, not '1h'" },
	{ "bsf hss-url with a path", HEAD "roles:\n  bsf:\n    name: b.test\n"
	  "    ub-listen: 127.0.0.1:80\n    zn-listen: 127.0.0.1:81\n"
	  "    hss-url: https://hss.test/zh\n",
	  FILE_NAME ":13: roles.bsf.hss-url: must be https://HOST[:PORT], not 'https://hss.test/zh'" },
	{ "bsf key-lifetime 0", HEAD "roles:\n  bsf:\n    name: b.test\n"
	  "    ub-listen: 127.0.0.1:80\n    zn-listen: 127.0.0.1:81\n"
	  "    hss-url: https://hss.test:8443/\n    key-lifetime: 0\n",
	  FILE_NAME ":14: roles.bsf.key-lifetime: must be an integer from 1 to 31536000, not '0'" },
	{ "bsf nafs", HEAD "roles:\n  bsf:\n    name: b.test\n"
	  "    ub-listen: 127.0.0.1:80\n    zn-listen: 127.0.0.1:81\n"
	  "    hss-url: https://hss.test\n    nafs:\n"
	  "      - name: naf1.test\n      - name: NAF1.test\n      - fqdn: naf2.test\n",
	  FILE_NAME ":16: roles.bsf.nafs[1]: NAF 'NAF1.test' is listed twice\n"
	  FILE_NAME ":17: roles.bsf.nafs[2]: unknown key 'fqdn' (expected one of: name)\n"
	  FILE_NAME ":17: roles.bsf.nafs[2]: missing key 'name'" },
	{ "two roles on one port", HEAD HSS "  bsf:\n    name: b.test\n"
	  "    ub-listen: 0.0.0.0:8443\n    zn-listen: 127.0.0.1:8443\n"
	  "    hss-url: https://127.0.0.1:8443\n",
	  FILE_NAME ":15: roles.bsf.ub-listen: 0.0.0.0:8443 takes the port of roles.hss.listen (127.0.0.1:8443)\n"
	  FILE_NAME ":16: roles.bsf.zn-listen: 127.0.0.1:8443 takes the port of roles.hss.listen (127.0.0.1:8443)\n"
	  FILE_NAME ":16: roles.bsf.zn-listen: 127.0.0.1:8443 takes the port of roles.bsf.ub-listen (0.0.0.0:8443)" },
	{ "sgw missing keys", HEAD "roles:\n  sgw:\n    aka: umts\n",
	  FILE_NAME ":9: roles.sgw: missing key 'attach-listen'\n"
	  FILE_NAME ":9: roles.sgw: missing key 'hss-url'\n"
	  FILE_NAME ":9: roles.sgw: missing key 'hse-url'\n"
	  FILE_NAME ":9: roles.sgw: missing key 'hse-gtpu'\n"
	  FILE_NAME ":9: roles.sgw: missing key 'inner-ipv4-pool'" },
	{ "sgw bad values", HEAD "roles:\n  sgw:\n"
	  "    attach-listen: 127.0.0.1:8090\n    hss-url: https://h.test\n"
	  "    hse-url: http://e.test\n    aka: gsm\n    sn-id: 00f1\n"
	  "    hse-gtpu: {address: hse.test, port: 0}\n"
	  "    inner-ipv4-pool: 10.45.0.1/16\n",
	  FILE_NAME ":12: roles.sgw.hse-url: must be https://HOST[:PORT], not 'http://e.test'\n"
	  FILE_NAME ":13: roles.sgw.aka: must be one of umts, eps, 5g, not 'gsm'\n"
	  FILE_NAME ":14: roles.sgw.sn-id: must be the PLMN id in 6 hex digits (MCC 001, MNC 01: 00f110), not '00f1'\n"
	  FILE_NAME ":15: roles.sgw.hse-gtpu.address: must be an IPv4 or IPv6 address, not 'hse.test'\n"
	  FILE_NAME ":15: roles.sgw.hse-gtpu.port: must be an integer from 1 to 65535, not '0'\n"
	  FILE_NAME ":16: roles.sgw.inner-ipv4-pool: must be IPV4/PREFIX with the host bits zero and a prefix of 8 to 30, e.g. 10.45.0.0/16, not '10.45.0.1/16'\n"
	  FILE_NAME ":14: roles.sgw: sn-id is for aka eps and 5g only" },
	{ "sgw eps without sn-id", HEAD "roles:\n  sgw:\n"
	  "    attach-listen: 127.0.0.1:8090\n    hss-url: https://h.test\n"
	  "    hse-url: https://e.test\n    aka: eps\n"
	  "    hse-gtpu: {address: \"::1\"}\n"
	  "    inner-ipv4-pool: 10.45.0.0/31\n",
	  FILE_NAME ":15: roles.sgw.inner-ipv4-pool: must be IPV4/PREFIX with the host bits zero and a prefix of 8 to 30, e.g. 10.45.0.0/16, not '10.45.0.0/31'\n"
	  FILE_NAME ":9: roles.sgw: aka eps needs sn-id (the serving network's PLMN id)" },
	{ "sgw 5g without sn-id", HEAD "roles:\n  sgw:\n"
	  "    attach-listen: 127.0.0.1:8090\n    hss-url: https://h.test\n"
	  "    hse-url: https://e.test\n    aka: 5g\n"
	  "    hse-gtpu: {address: \"::1\"}\n"
	  "    inner-ipv4-pool: 10.45.0.0/16\n",
	  FILE_NAME ":9: roles.sgw: aka 5g needs sn-id (the serving network's PLMN id)" },
	{ "sgw 5g with an sn-id not in BCD", HEAD "roles:\n  sgw:\n"
	  "    attach-listen: 127.0.0.1:8090\n    hss-url: https://h.test\n"
	  "    hse-url: https://e.test\n    aka: 5g\n    sn-id: 0af110\n"
	  "    hse-gtpu: {address: \"::1\"}\n"
	  "    inner-ipv4-pool: 10.45.0.0/16\n",
	  FILE_NAME ":14: roles.sgw: sn-id of aka 5g must be a PLMN id in BCD digits (the serving network name is made of it)" },
	{ "sgw without a store", "tls: {certificate: /c, private-key: /k, ca: /a}\n"
	  "roles:\n  sgw:\n    attach-listen: 127.0.0.1:0\n"
	  "    hss-url: https://h.test\n    hse-url: https://e.test\n"
	  "    hse-gtpu: {address: 192.0.2.1}\n    inner-ipv4-pool: 10.0.0.0/8\n",
	  FILE_NAME ":3: roles.sgw: needs a store section (the UEs' KSIs, addresses and contexts)" },
	{ "sgw without tls, on the HSS's port",
	  "store: {path: /s.db, key-file: /k}\n" HSS "  sgw:\n"
	  "    attach-listen: 0.0.0.0:8443\n    hss-url: https://h.test\n"
	  "    hse-url: https://e.test\n    hse-gtpu: {address: 192.0.2.1}\n"
	  "    inner-ipv4-pool: 10.0.0.0/8\n",
	  FILE_NAME ":3: roles.hss: needs a tls section (its peers use mutual TLS)\n"
	  FILE_NAME ":7: roles.sgw: needs a tls section (its peers use mutual TLS)\n"
	  FILE_NAME ":8: roles.sgw.attach-listen: 0.0.0.0:8443 takes the port of roles.hss.listen (127.0.0.1:8443)" },
	{ "syntax error", HEAD "roles:\n  hss:\n    listen: [127.0.0.1:1\n",
	  FILE_NAME ":11: YAML syntax error: did not find expected ',' or ']'" },
	{ "tab indentation", HEAD "roles:\n\thss: {}\n",
	  FILE_NAME ":9: YAML syntax error: found character that cannot start any token" },
	{ "empty file", "",
	  FILE_NAME ":1: the configuration is empty" },
	{ "comments only", "# nothing\n",
	  FILE_NAME ":1: the configuration is empty" },
	{ "two documents", HEAD HSS "---\nlog: {}\n",
	  FILE_NAME ":14: a second YAML document; the configuration is one" },
	{ "a list at the top", "- log\n",
	  FILE_NAME ":1: must be a mapping (key: value lines), not a list" },
	{ "errors everywhere, in order",
	  "log: {level: loud}\nstore: {path: x, key-file: /k}\n"
	  "tls: {certificate: /c, private-key: /k, ca: /a, crl: /r}\n"
	  "roles: {hss: {listen: nowhere, clients: [b], sn-clients: [s]}}\n"
	  "extra: 1\n",
	  FILE_NAME ":1: log.level: must be one of debug, info, warning, error, not 'loud'\n"
	  FILE_NAME ":2: store.path: must be an absolute path, not 'x'\n"
	  FILE_NAME ":3: tls: unknown key 'crl' (expected one of: certificate, private-key, ca)\n"
	  FILE_NAME ":4: roles.hss.listen: must be IPv4:PORT or [IPv6]:PORT, e.g. 127.0.0.1:8443 or [::1]:8443, not 'nowhere'\n"
	  FILE_NAME ":5: unknown key 'extra' (expected one of: log, store, admin, tls, metrics, listeners, workers, roles)" },
};

static void test_broken(void)
{
	char errors[8192];
	size_t i;

	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		struct config *c = load_text(broken[i].text, errors,
					     sizeof(errors));

		if (!ok(!c && !strcmp(errors, broken[i].errors), "refused: %s",
			broken[i].name))
			printf("#   got:      %s\n#   expected: %s\n", errors,
			       broken[i].errors);
		config_free(c);
	}
}

/*
 * store.engine: postgresql serves the HSS, the BSF, the SGW and the HSE
 * (each HSE instance by its name, the host's by default); any other
 * role is refused by name, and so is a password in the connection string
 * or a key of the other engine.
 */
/* No roles.hse.instance: the host's name (store_hse_owner_default()). */
static void test_hse_default_instance(void)
{
	char host[STORE_HSE_OWNER_MAX + 1], errors[4096];
	struct config *c;

	if (store_hse_owner_default(host, sizeof(host))) {
		ok(1, "# SKIP the host's name is no instance name");
		return;
	}
	c = load_text(HEAD "roles:\n  hse:\n"
		      "    triplet-listen: 127.0.0.1:8445\n"
		      "    clients: [pgw.test]\n    hss-url: https://hss.test\n"
		      "    device: e2m0\n", errors, sizeof(errors));
	if (!ok(c && !strcmp(config_hse(c)->instance, host),
		"hse: without instance, the host's name, %s", host))
		printf("#   errors: %s\n", errors);
	config_free(c);
}

static void test_postgresql(void)
{
	static const struct { const char *name, *text, *errors; } refused[] = {
		{ "nafkc on postgresql",
		  PG_HEAD "roles:\n  nafkc:\n    name: nafkc.test\n"
		  "    listen: 127.0.0.1:0\n    bsf-url: https://bsf.test\n",
		  "e2md.yaml:11: roles.nafkc: the postgresql store engine does"
		  " not serve role nafkc yet (device PSKs, blocked devices and"
		  " issued keys); use engine: sqlite for it" },
		{ "a password in the connection string",
		  "store:\n  engine: postgresql\n"
		  "  connection: \"host=db.test password=hunter2\"\n"
		  "  key-file: /k\n" HSS_LISTEN CLIENTS TLS_LAST,
		  "e2md.yaml:3: store.connection: connection string: no"
		  " password in it; give it in password-file" },
		{ "postgresql without connection",
		  "store:\n  engine: postgresql\n  path: /s.db\n"
		  "  key-file: /k\n" HSS_LISTEN CLIENTS TLS_LAST,
		  "e2md.yaml:1: store: needs connection (engine: postgresql)\n"
		  "e2md.yaml:3: store: path is for engine: sqlite" },
		{ "sqlite with a connection",
		  "store:\n  path: /s.db\n  connection: \"host=x\"\n"
		  "  key-file: /k\n" HSS_LISTEN CLIENTS TLS_LAST,
		  "e2md.yaml:3: store: connection and password-file are for"
		  " engine: postgresql" },
		{ "an engine that is none",
		  "store:\n  engine: mysql\n  path: /s.db\n"
		  "  key-file: /k\n" HSS_LISTEN CLIENTS TLS_LAST,
		  "e2md.yaml:2: store.engine: must be one of sqlite, postgresql,"
		  " not 'mysql'" },
	};
	char errors[4096];
	struct config *c;
	size_t i;

	c = load_text(PG_HEAD HSS "  bsf:\n    name: bsf.test\n"
		      "    ub-listen: 127.0.0.1:0\n    zn-listen: 127.0.0.1:0\n"
		      "    hss-url: https://hss.test\n", errors, sizeof(errors));
	if (!ok(c && !strcmp(c->store.engine, "postgresql") &&
		!strcmp(c->store.connection, "host=db.test dbname=e2m user=e2m") &&
		!strcmp(c->store.password_file.path, "/etc/e2m/store.pgpass") &&
		!c->store.file.path,
		"postgresql: the HSS and the BSF on it load"))
		printf("#   errors: %s\n", errors);
	config_free(c);
	c = load_text(PG_HEAD "roles:\n  sgw:\n    attach-listen: 127.0.0.1:0\n"
		      "    hss-url: https://hss.test\n"
		      "    hse-url: https://hse.test:8445\n"
		      "    hse-gtpu: {address: 192.0.2.10}\n"
		      "    inner-ipv4-pool: 10.45.0.0/24\n", errors,
		      sizeof(errors));
	if (!ok(c != NULL, "postgresql: the SGW on it loads"))
		printf("#   errors: %s\n", errors);
	config_free(c);
	c = load_text(PG_HEAD "roles:\n  hse:\n"
		      "    triplet-listen: 127.0.0.1:8445\n"
		      "    clients: [pgw.test]\n    hss-url: https://hss.test\n"
		      "    device: e2m0\n    instance: gw-a.home1.net\n",
		      errors, sizeof(errors));
	if (!ok(c && !strcmp(config_hse(c)->instance, "gw-a.home1.net"),
		"postgresql: the HSE on it loads, instance gw-a.home1.net"))
		printf("#   errors: %s\n", errors);
	config_free(c);

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		c = load_text(refused[i].text, errors, sizeof(errors));
		if (!ok(!c && !strcmp(errors, refused[i].errors),
			"postgresql: refused: %s", refused[i].name))
			printf("#   got:      %s\n#   expected: %s\n", errors,
			       refused[i].errors);
		config_free(c);
	}
}

static void test_missing_file(void)
{
	struct config_errors errors;
	struct config *c;
	int ret = config_load("no-such.yaml", &c, &errors);

	ok(ret == -EINVAL && !c && errors.count == 1 &&
	   !strcmp(errors.text[0], "no-such.yaml: cannot open: No such file or directory"),
	   "a missing file: one error without a line");
}

/* More errors than kept: the first CONFIG_ERRORS_MAX, and a count. */
static void test_many_errors(void)
{
	char text[4096] = HEAD HSS, errors[16384];
	struct config_errors all;
	struct config *c;
	int i;

	for (i = 0; i < 25; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "x%d: 1\n", i);
	write_file(FILE_NAME, text, strlen(text), 0600);
	config_load(FILE_NAME, &c, &all);
	join_errors(&all, errors, sizeof(errors));
	ok(!c && all.count == CONFIG_ERRORS_MAX && all.dropped == 5 &&
	   !strncmp(all.text[19], FILE_NAME ":32: unknown key 'x19'", 22),
	   "25 errors: 20 kept, 5 counted");
}

struct syntax_case {
	const char *text;
	int valid;
};

static void test_syntax(void)
{
	static const struct syntax_case names[] = {
		{ "bsf.home1.net", 1 }, { "a", 1 }, { "a-b.c1", 1 },
		{ "-a.b", 0 }, { "a-.b", 0 }, { "a..b", 0 }, { ".a", 0 },
		{ "a.", 0 }, { "a_b", 0 }, { "", 0 },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b", 1 },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b", 0 },
	};
	static const struct syntax_case urls[] = {
		{ "https://hss.test", 1 }, { "https://hss.test:1/", 1 },
		{ "https://10.0.0.1:8443", 1 }, { "https://[fe80::1]:8443", 1 },
		{ "https://hss.test:0", 0 }, { "https://user@hss.test", 0 },
		{ "https://hss.test?x", 0 }, { "https://", 0 },
		{ "https://[::1", 0 }, { "HTTPS://hss.test", 0 },
		{ "https://hss.test:65536", 0 }, { "https://a:b:c", 0 },
	};
	struct config_listen a, b;
	struct config_url url;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ok(config_dns_name_valid(names[i].text) == names[i].valid,
		   "DNS name '%.20s': %s", names[i].text,
		   names[i].valid ? "valid" : "invalid");
	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		memset(&url, 0, sizeof(url));
		ret = config_parse_url(urls[i].text, &url);
		ok((ret == 0) == urls[i].valid, "URL '%s': %s", urls[i].text,
		   urls[i].valid ? "valid" : "invalid");
		free(url.text);
		free(url.host);
	}
	ok(!config_parse_listen("[::]:80", &a) &&
	   !config_parse_listen("[::1]:80", &b) && config_listen_overlap(&a, &b),
	   "[::]:80 and [::1]:80 overlap");
	ok(!config_parse_listen("127.0.0.1:0", &a) &&
	   !config_parse_listen("127.0.0.1:0", &b) &&
	   !config_listen_overlap(&a, &b), "port 0 twice: no overlap");
	ok(!config_parse_listen("127.0.0.1:80", &a) &&
	   !config_parse_listen("[::1]:80", &b) && !config_listen_overlap(&a, &b),
	   "IPv4 and IPv6 on one port: no overlap");
}

int main(void)
{
	char cwd[PATH_MAX];

	if (!getcwd(cwd, sizeof(cwd)))
		bail("getcwd");
	test_example();
	scratch_make("config");
	if (chdir(scratch_dir))
		bail("chdir");
	test_defaults();
	test_broken();
	test_missing_file();
	test_hse_default_instance();
	test_postgresql();
	test_many_errors();
	test_syntax();
	unlink(FILE_NAME);
	if (chdir(cwd))
		bail("chdir back");
	scratch_remove();
	return done_testing();
}
