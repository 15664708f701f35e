/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device's end of the local interface on TCP (TS 33.259 4.5.2 steps
 * 2, 5 and 18; Documentation/local-interface.md): one link to the MT,
 * one request at a time, each answer read whole (local_frame.h) and
 * parsed (local_msg.h). Ids count up from 1 on each link.
 *
 * Blocking, with a timeout for each step (connect, each send and each
 * wait for an answer): for e2mctl and tests.
 */
#ifndef E2M_UE_LOCAL_CLIENT_H
#define E2M_UE_LOCAL_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "proto/local/local_msg.h"

#define LOCAL_CLIENT_TIMEOUT_DEFAULT	10	/* seconds */

struct local_client {
	int fd;
	uint32_t next_id;
	size_t len;				/* octets in buf */
	uint8_t buf[LOCAL_FRAME_BUFFER];
};

/*
 * Connects to host:port: 0, or -ECONNREFUSED, -ETIMEDOUT, -ENOENT (no
 * such host), ... with why.
 */
int local_client_open(struct local_client *c, const char *host,
		      uint16_t port, unsigned int timeout, char *why,
		      size_t why_size);

/*
 * Sends req (its id set here) and reads the next frame into answer: 0
 * (whatever the answer is: local_key_plan_mt_answer() judges it), or
 * -ETIMEDOUT, -ECONNRESET (the MT closed the link), -EPROTO (a frame
 * that does not parse, or a bad frame length) with why.
 */
int local_client_ask(struct local_client *c, struct local_msg *req,
		     struct local_msg *answer, char *why, size_t why_size);

void local_client_close(struct local_client *c);

#endif /* E2M_UE_LOCAL_CLIENT_H */
