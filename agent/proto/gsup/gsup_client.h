/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A GSUP client on the daemon's libevent loop: one TCP connection to an
 * HLR (osmo-hlr), IPA framing (ipa.h), SendAuthInfo (gsup_msg.h).
 *
 *	gsup_client_new(&c, base, "127.0.0.1", 4222, "bsf.example", 5);
 *	call = gsup_client_send_auth_info(c, &req, got_vector, ctx);
 *	...
 *	static void got_vector(const struct gsup_message *m, const char *why,
 *			       void *ctx)
 *	{
 *		if (!m) ...		no answer: why says why
 *		else if (m->type == GSUP_MSGT_SAI_ERROR) ... m->cause
 *		else ...		m->vector (m->has_vector)
 *	}
 *
 * The client connects at once and stays connected; after the connection
 * fails or is lost it tries again after a backoff (GSUP_BACKOFF_MIN_MS,
 * doubling to GSUP_BACKOFF_MAX_MS, back to the minimum once identified).
 * A call is sent once the client has told the HLR its identity; one
 * made while the client waits out a backoff fails at once ("the HLR is
 * not connected"), one made while it connects waits. Every call ends
 * within timeout_s seconds: an answer, the connection lost while the
 * call was sent (no answer will come), or the timeout. GSUP has no
 * transaction id: an answer goes to the oldest call sent for its IMSI.
 * Answers for no call, and messages of other kinds, are dropped; a frame
 * that does not parse closes the connection.
 *
 * done is called exactly once per call unless it is cancelled first
 * (gsup_call_cancel(), until done has run); the message is valid during
 * the callback only and wiped after it. gsup_client_free() cancels every
 * call without calling done.
 *
 * GSUP runs in the clear, authenticated by nothing but the address: the
 * HLR's link must be trusted (loopback, a private network, IPsec).
 */
#ifndef E2M_GSUP_CLIENT_H
#define E2M_GSUP_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>

#include "gsup_msg.h"

#define GSUP_BACKOFF_MIN_MS	250
#define GSUP_BACKOFF_MAX_MS	4000
#define GSUP_CALLS_MAX		1024	/* calls waiting at once */

struct gsup_client;
struct gsup_call;

typedef void (*gsup_done_fn)(const struct gsup_message *msg, const char *why,
			     void *arg);

/*
 * A client of the HLR at address (an IPv4 or IPv6 address, no name) and
 * port, identifying itself as unit_name. 0, -EINVAL (address or unit
 * name) or -ENOMEM.
 */
int gsup_client_new(struct gsup_client **client, struct event_base *base,
		    const char *address, uint16_t port, const char *unit_name,
		    unsigned int timeout_s);

/*
 * Asks for one vector for req->imsi (resynchronising from req's RAND and
 * AUTS first when req->resync). NULL when the call cannot be made (an
 * invalid IMSI, too many calls, out of memory).
 */
struct gsup_call *gsup_client_send_auth_info(struct gsup_client *client,
					     const struct gsup_sai_request *req,
					     gsup_done_fn done, void *arg);

void gsup_call_cancel(struct gsup_call *call);

/* Whether the client is connected and has told the HLR its identity. */
bool gsup_client_ready(const struct gsup_client *client);

void gsup_client_free(struct gsup_client *client);

#endif /* E2M_GSUP_CLIENT_H */
