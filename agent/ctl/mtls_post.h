/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One JSON POST over HTTPS with mutual TLS, for the e2mctl commands that
 * play a network function's client (zn-query as a NAF to the BSF,
 * onem2m kpsa-fetch as Enrolee B to the MEF): the daemon's HTTPS client
 * (net/https_client.h) and TLS module (net/tls.h) on an event loop of
 * its own, run to the end of the one call. The client shows --cert and
 * --key; the server's certificate is checked against --ca and the URL's
 * host.
 *
 * What can go wrong is said on stderr as "e2mctl: COMMAND: ...":
 *
 *	URL: WHY			no answer (connection, TLS, timeout)
 *	PEER answered STATUS TOKEN: DETAIL
 *					an answer other than 200, with the
 *					ub_json.h error body's token and
 *					detail ("(no error body)" without)
 *	a bad answer: WHY		a 200 the caller's parser refuses
 */
#ifndef E2MCTL_MTLS_POST_H
#define E2MCTL_MTLS_POST_H

#include <stddef.h>

#include "daemon/config.h"
#include "options.h"

#define MTLS_POST_TIMEOUT_MAX	600	/* seconds */

struct mtls_post {
	const char *command;		/* of the error lines */
	const char *peer;		/* "the BSF", "the MEF" */
	struct config_url url;
	struct config_tls tls;		/* paths: the options' */
	unsigned int timeout;		/* seconds, 0: the client's own */
};

/*
 * The options of the call into p: url (named url_option in the usage
 * error) must be https://HOST[:PORT]; cert, key and ca are file paths;
 * timeout NULL or 0..MTLS_POST_TIMEOUT_MAX seconds. 0 or EXIT_USAGE
 * (said).
 */
int mtls_post_options(struct mtls_post *p, const char *url_option,
		      const char *url, const char *cert, const char *key,
		      const char *ca, const struct opt *timeout);

/* Parses a 200's body into out: 0, or nonzero with a reason in why. */
typedef int (*mtls_post_parse_fn)(const char *body, size_t len, void *out,
				  char *why, size_t why_size);

/*
 * POSTs body (application/json) to path and waits for the answer: 0 with
 * a 200's body parsed into out, or EXIT_FAILURE (said, see above).
 */
int mtls_post_run(struct mtls_post *p, const char *path, const char *body,
		  mtls_post_parse_fn parse, void *out);

/* Frees what mtls_post_options() took. */
void mtls_post_free(struct mtls_post *p);

#endif /* E2MCTL_MTLS_POST_H */
