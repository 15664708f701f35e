// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl onem2m associate, see cmd_onem2m_associate.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "cmd_onem2m_associate.h"
#include "onem2m_assoc_key.h"
#include "crypto/fc.h"
#include "crypto/gba.h"
#include "crypto/onem2m.h"
#include "daemon/maf/role_maf.h"
#include "net/tls_gba.h"
#include "onem2m_psk_client.h"
#include "options.h"
#include "store/store.h"
#include "ue/naf_key.h"
#include "ue_store.h"
#include "util/dns_name.h"
#include "util/host_port.h"

#define COMMAND		"onem2m associate"
#define TIMEOUT_DEFAULT	10		/* seconds */
#define ANSWER_MAX	(64 * 1024)
#define OPTION(n, f) { .name = (n), .flags = (f) }

enum {
	KE_ID, ICCID, CONNECT, TARGET, STORE, STORE_KEY, DTLS, PATH, TIMEOUT,
	ENROLEE_B, BTID_IDENTITY, UICC
};

struct association {
	struct onem2m_assoc_key k;	/* its target is --target */
	char host[DNS_NAME_MAX + 1];
	uint16_t port;
	unsigned int timeout;
	const char *path;
	bool dtls;
	int status;
};

static int check_options(const struct opt *opts, struct store *store,
			 struct association *a)
{
	int ret;

	if (host_port_parse(opts[CONNECT].value, a->host, &a->port))
		return report(EXIT_USAGE, COMMAND,
			      "--connect: must be HOST:PORT");
	a->k.target = opts[TARGET].value;
	if (!dns_name_valid(a->k.target))
		return report(EXIT_USAGE, COMMAND,
			      "--target: the target's FQDN is needed");
	a->path = opts[PATH].value ? opts[PATH].value :
		  ONEM2M_ASSOCIATION_PATH;
	if (a->path[0] != '/' || strpbrk(a->path, " \r\n"))
		return report(EXIT_USAGE, COMMAND,
			      "--path: must start with / and hold no space");
	a->dtls = opts[DTLS].count > 0;
	ret = seconds_option(COMMAND, &opts[TIMEOUT], 600, &a->timeout);
	if (ret)
		return ret;
	if (!a->timeout)
		a->timeout = TIMEOUT_DEFAULT;
	return onem2m_assoc_key_load(COMMAND, store, opts[KE_ID].value,
				     opts[ICCID].value, &a->k);
}

/* The association: handshake, GET, the answer's status. */
static int associate(struct association *a, struct psk_client *c)
{
	char *buf = malloc(ANSWER_MAX + 1), request[512];
	const char *body;
	size_t body_len;
	SSL *ssl;
	int n;

	if (!buf)
		return report(EXIT_FAILURE, COMMAND, "out of memory");
	ssl = psk_client_open(c);
	if (!ssl) {
		free(buf);
		return EXIT_FAILURE;
	}
	n = snprintf(request, sizeof(request), "GET %s HTTP/1.1\r\nHost: %s"
		     "\r\nConnection: close\r\n\r\n", a->path, a->k.target);
	if (n <= 0 || (size_t)n >= sizeof(request) ||
	    SSL_write(ssl, request, n) != n) {
		fail(COMMAND, "sending: the connection broke");
		a->status = -1;
	} else {
		a->status = psk_client_answer(c, ssl, buf, ANSWER_MAX + 1,
					      &body, &body_len);
	}
	psk_client_close(c, ssl, a->status > 0);
	free(buf);
	return a->status > 0 ? 0 : EXIT_FAILURE;
}

static void print_result(const struct association *a,
			 const struct psk_client *c)
{
	char status[8];

	snprintf(status, sizeof(status), "%d", a->status);
	print_string("target", store_onem2m_target_name(
			     a->k.ke.pub.config.target_kind));
	print_string("target_id", a->k.ke.pub.config.target_id);
	print_string("key_id", a->k.key_id);
	print_string("ke_id", a->k.ke.pub.ke_id);
	if (!a->k.gba)	/* the MAF alone knows it: its km-fetch named it */
		print_string("enrolee_id", a->k.ke.pub.config.enrolee_id);
	print_string("tls", c->tls);
	print_string("cipher", c->cipher);
	print_string("status", status);
}

int cmd_onem2m_associate(int argc, char *argv[])
{
	struct opt opts[] = {
		[KE_ID] = OPTION("ke-id", 0),
		[ICCID] = OPTION("iccid", 0),
		[CONNECT] = OPTION("connect", OPT_REQUIRED),
		[TARGET] = OPTION("target", OPT_REQUIRED),
		[STORE] = OPTION("store", OPT_REQUIRED),
		[STORE_KEY] = OPTION("store-key-file", OPT_REQUIRED),
		[DTLS] = OPTION("dtls", OPT_FLAG),
		[PATH] = OPTION("path", 0),
		[TIMEOUT] = OPTION("timeout", 0),
		[ENROLEE_B] = OPTION("enrolee-b", OPT_FLAG),
		[BTID_IDENTITY] = OPTION("btid-identity", OPT_FLAG),
		[UICC] = OPTION("uicc", OPT_FLAG),
	};
	struct association *a = OPENSSL_zalloc(sizeof(*a));
	struct psk_client c = { .command = COMMAND, .peer = "the target" };
	struct store *store = NULL;
	int ret;

	if (!a)
		return report(EXIT_FAILURE, COMMAND, "out of memory");
	ret = parse_options(COMMAND, opts, OPTS_COUNT(opts), argc, argv);
	if (ret) {
		OPENSSL_free(a);
		return ret;
	}
	a->k.gba = opts[ICCID].value != NULL;
	if (a->k.gba == (opts[KE_ID].value != NULL)) {
		OPENSSL_free(a);
		free_options(opts, OPTS_COUNT(opts));
		return report(EXIT_USAGE, COMMAND,
			      "either --ke-id (a Ke) or --iccid (a bootstrap) is needed");
	}
	a->k.enrolee_b = opts[ENROLEE_B].count > 0;
	if (a->k.enrolee_b && !a->k.gba) {
		OPENSSL_free(a);
		free_options(opts, OPTS_COUNT(opts));
		return report(EXIT_USAGE, COMMAND,
			      "--enrolee-b is for --iccid (a Ke's configuration names its target)");
	}
	if (opts[BTID_IDENTITY].count && !a->k.gba) {
		OPENSSL_free(a);
		free_options(opts, OPTS_COUNT(opts));
		return report(EXIT_USAGE, COMMAND,
			      "--btid-identity is for --iccid (a MAF's gba-listen, or gba-dtls-listen with --dtls)");
	}
	/* The client in the UICC: its key is Ks_int_NAF of a bootstrap. */
	a->k.uicc = opts[UICC].count > 0;
	if (a->k.uicc && !a->k.gba) {
		OPENSSL_free(a);
		free_options(opts, OPTS_COUNT(opts));
		return report(EXIT_USAGE, COMMAND,
			      "--uicc is for --iccid (a GBA_U bootstrap)");
	}
	ret = ue_store_open(COMMAND, &opts[STORE], &opts[STORE_KEY], &store);
	if (!ret)
		ret = check_options(opts, store, a);
	if (!ret) {
		c.host = a->host;
		c.port = a->port;
		c.dtls = a->dtls;
		c.timeout = a->timeout;
		c.identity = opts[BTID_IDENTITY].count ? a->k.btid_identity :
							 a->k.key_id;
		c.key = a->k.key;
		c.key_len = sizeof(a->k.key);
		ret = associate(a, &c);
	}
	if (!ret) {
		print_result(a, &c);
		ret = finish_output(COMMAND);
	}
	store_close(store);
	onem2m_assoc_key_wipe(&a->k);
	OPENSSL_clear_free(a, sizeof(*a));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}
