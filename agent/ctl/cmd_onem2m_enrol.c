// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl onem2m enrol, see cmd_onem2m_enrol.h: one blocking (D)TLS 1.2
 * PSK session with the MEF (onem2m_psk_client.h), each socket operation
 * bounded by --timeout.
 */
#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "cmd_onem2m_enrol.h"
#include "crypto/onem2m.h"
#include "crypto/onem2m_tls.h"
#include "daemon/config.h"
#include "daemon/mef/role_mef.h"
#include "onem2m_psk_client.h"
#include "options.h"
#include "proto/onem2m/enrol_msg.h"
#include "store/store.h"
#include "ue_store.h"
#include "util/host_port.h"
#include "util/utc.h"

#define COMMAND		"onem2m enrol"
#define TIMEOUT_DEFAULT	10		/* seconds */
#define ANSWER_MAX	(UB_JSON_MAX + 4096)
#define OPTION(n, f) { .name = (n), .flags = (f) }
#define REQUEST_FORMAT	"POST " ONEM2M_ENROL_PATH " HTTP/1.1\r\n" \
	"Host: %s\r\nContent-Type: " UB_JSON_CONTENT_TYPE "\r\n" \
	"Content-Length: %zu\r\nConnection: close\r\n\r\n%s"

enum { URI, DTLS, KPM_ID, STORE, STORE_KEY, MEF, TIMEOUT, SHOW_KEY };

struct enrolment {
	struct store_onem2m_kpm kpm;
	struct config_url uri;
	bool dtls;			/* DTLS 1.2 on UDP to host:port */
	char dtls_host[DNS_NAME_MAX + 1];
	const char *mef;		/* FQDN, of the KeId */
	unsigned int timeout;
	struct store_onem2m_ke ke;
	char tls[16], cipher[64];
};

/* Ke and KeId of the finished session, into e->ke. */
static int derive(SSL *ssl, struct enrolment *e)
{
	struct store_onem2m_ke_info *info = &e->ke.pub;

	if (onem2m_ke_export(ssl, e->ke.ke) ||
	    onem2m_ke_id(info->ke_id, sizeof(info->ke_id), e->ke.ke, e->mef))
		return report(EXIT_FAILURE, COMMAND, "cannot derive Ke");
	snprintf(info->kpm_id, sizeof(info->kpm_id), "%s", e->kpm.pub.kpm_id);
	info->config = e->kpm.pub.config;
	snprintf(info->mef, sizeof(info->mef), "%s", e->mef);
	return 0;
}

static int send_request(SSL *ssl, const struct enrolment *e)
{
	struct onem2m_enrol_request req = { .config = e->kpm.pub.config };
	char why[160], *body = NULL, *text;
	int n, ret = 0;

	if (onem2m_enrol_request_build(&req, &body, why, sizeof(why)))
		return report(EXIT_FAILURE, COMMAND, "the request: %s", why);
	n = snprintf(NULL, 0, REQUEST_FORMAT, e->uri.host, strlen(body),
		     body);
	text = n > 0 ? malloc((size_t)n + 1) : NULL;
	if (text)
		snprintf(text, (size_t)n + 1, REQUEST_FORMAT, e->uri.host,
			 strlen(body), body);
	ub_json_text_free(body);
	if (!text)
		return report(EXIT_FAILURE, COMMAND, "out of memory");
	if (SSL_write(ssl, text, n) != n)
		ret = report(EXIT_FAILURE, COMMAND, "sending: the connection broke");
	free(text);
	return ret;
}

static int read_answer(struct psk_client *c, SSL *ssl, struct enrolment *e)
{
	char *answer = malloc(ANSWER_MAX + 1), why[160];
	struct onem2m_enrol_response resp;
	struct ub_error refusal;
	const char *body;
	size_t body_len;
	int status, ret = EXIT_FAILURE;

	if (!answer)
		return report(EXIT_FAILURE, COMMAND, "out of memory");
	status = psk_client_answer(c, ssl, answer, ANSWER_MAX + 1, &body,
				   &body_len);
	if (status < 0) {
		goto out;
	} else if (status != 200) {
		if (ub_error_parse(body, body_len, &refusal, why, sizeof(why)))
			fail(COMMAND, "the MEF answered %d", status);
		else
			fail(COMMAND, "%d %s%s%s", status, refusal.error,
			     refusal.detail[0] ? ": " : "", refusal.detail);
	} else if (onem2m_enrol_response_parse(body, body_len, &resp, why,
					       sizeof(why))) {
		fail(COMMAND, "the answer: %s", why);
	} else if (strcmp(resp.ke_id, e->ke.pub.ke_id)) {
		fail(COMMAND, "the MEF's KeId %s is not ours (%s)",
		     resp.ke_id, e->ke.pub.ke_id);
	} else {
		e->ke.pub.created = (int64_t)time(NULL);
		e->ke.pub.expires = resp.expires;
		ret = 0;
	}
out:
	free(answer);
	return ret;
}

/* The session: handshake, derivation, request, answer. */
static int session(struct enrolment *e)
{
	struct psk_client c = {
		.command = COMMAND,
		.peer = "the MEF",
		.host = e->uri.host,
		.port = e->uri.port,
		.dtls = e->dtls,
		.timeout = e->timeout,
		.identity = e->kpm.pub.kpm_id,
		.key = e->kpm.kpm,
		.key_len = sizeof(e->kpm.kpm),
	};
	SSL *ssl = psk_client_open(&c);
	int ret;

	if (!ssl)
		return EXIT_FAILURE;
	snprintf(e->tls, sizeof(e->tls), "%s", c.tls);
	snprintf(e->cipher, sizeof(e->cipher), "%s", c.cipher);
	ret = derive(ssl, e);
	if (!ret)
		ret = send_request(ssl, e);
	if (!ret)
		ret = read_answer(&c, ssl, e);
	psk_client_close(&c, ssl, !ret);
	return ret;
}

static int check_options(const struct opt *opts, struct store *store,
			 struct enrolment *e)
{
	int ret;

	if (!opts[URI].value == !opts[DTLS].value)
		return report(EXIT_USAGE, COMMAND,
			      "one of --mef-uri and --mef-dtls is needed");
	if (opts[DTLS].value) {
		e->dtls = true;
		if (host_port_parse(opts[DTLS].value, e->dtls_host,
				    &e->uri.port))
			return report(EXIT_USAGE, COMMAND,
				      "--mef-dtls: must be HOST:PORT");
		e->uri.host = strdup(e->dtls_host);
		e->uri.text = strdup(opts[DTLS].value);
		if (!e->uri.host || !e->uri.text)
			return report(EXIT_FAILURE, COMMAND, "out of memory");
	} else {
		ret = config_parse_url(opts[URI].value, &e->uri);
		if (ret == -ENOMEM)
			return report(EXIT_FAILURE, COMMAND, "out of memory");
		if (ret || strncmp(opts[URI].value, "https://", 8))
			return report(EXIT_USAGE, COMMAND,
				      "--mef-uri: must be https://HOST[:PORT]");
	}
	e->mef = opts[MEF].value ? opts[MEF].value : e->uri.host;
	if (!dns_name_valid(e->mef))
		return report(EXIT_USAGE, COMMAND,
			      "--mef: the MEF's FQDN is needed (the MEF's host is not a DNS name)");
	if (!store_onem2m_id_valid(opts[KPM_ID].value))
		return report(EXIT_USAGE, COMMAND,
			      "--kpm-id: must be 1 to 255 printable ASCII characters without space");
	ret = seconds_option(COMMAND, &opts[TIMEOUT], 600, &e->timeout);
	if (ret)
		return ret;
	if (!e->timeout)
		e->timeout = TIMEOUT_DEFAULT;
	ret = store_onem2m_kpm_get(store, opts[KPM_ID].value, &e->kpm);
	if (ret == -ENOENT)
		return report(EXIT_FAILURE, COMMAND,
			      "no Kpm of KpmId %s in the store",
			      opts[KPM_ID].value);
	if (ret)
		return report(EXIT_FAILURE, COMMAND, "store: %s",
			      store_strerror(ret));
	return 0;
}

static void print_result(const struct enrolment *e, bool show)
{
	const struct store_onem2m_ke_info *info = &e->ke.pub;
	char expires[UTC_TEXT_LEN + 1], lifetime[24];

	print_string("ke_id", info->ke_id);
	print_string("kpm_id", info->kpm_id);
	print_string("enrolee_id", info->config.enrolee_id);
	print_string(info->config.target_kind == STORE_ONEM2M_MAF ?
		     "maf_id" : "enrolee_b_id", info->config.target_id);
	print_string("mef", info->mef);
	if (utc_format(expires, info->expires))
		snprintf(expires, sizeof(expires), "%lld",
			 (long long)info->expires);
	print_string("expires", expires);
	snprintf(lifetime, sizeof(lifetime), "%lld",
		 (long long)(info->expires - info->created));
	print_string("lifetime", lifetime);
	print_string("tls", e->tls);
	print_string("cipher", e->cipher);
	print_key("ke", e->ke.ke, sizeof(e->ke.ke), show);
}

int cmd_onem2m_enrol(int argc, char *argv[])
{
	struct opt opts[] = {
		[URI] = OPTION("mef-uri", 0),
		[DTLS] = OPTION("mef-dtls", 0),
		[KPM_ID] = OPTION("kpm-id", OPT_REQUIRED),
		[STORE] = OPTION("store", OPT_REQUIRED),
		[STORE_KEY] = OPTION("store-key-file", OPT_REQUIRED),
		[MEF] = OPTION("mef", 0),
		[TIMEOUT] = OPTION("timeout", 0),
		[SHOW_KEY] = OPTION("show-key", OPT_FLAG),
	};
	struct enrolment *e = OPENSSL_zalloc(sizeof(*e));
	struct store *store = NULL;
	int ret;

	if (!e)
		return report(EXIT_FAILURE, COMMAND, "out of memory");
	ret = parse_options(COMMAND, opts, OPTS_COUNT(opts), argc, argv);
	if (ret) {
		OPENSSL_free(e);
		return ret;
	}
	ret = ue_store_open(COMMAND, &opts[STORE], &opts[STORE_KEY], &store);
	if (!ret)
		ret = check_options(opts, store, e);
	if (!ret)
		ret = session(e);
	/* Stored before it is shown: what we print, we keep. */
	if (!ret && (ret = store_onem2m_ke_add(store, &e->ke)))
		ret = report(EXIT_FAILURE, COMMAND, "store: %s: %s",
			     store_strerror(ret), store_errmsg(store));
	if (!ret) {
		print_result(e, opts[SHOW_KEY].value != NULL);
		ret = finish_output(COMMAND);
	}
	store_close(store);
	free(e->uri.text);
	free(e->uri.host);
	OPENSSL_clear_free(e, sizeof(*e));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}
