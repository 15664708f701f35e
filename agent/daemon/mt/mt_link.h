/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The local interface's links (proto/local/local_frame.h over TCP): each
 * accepted connection is a bufferevent on the daemon's loop. Frames are
 * taken as they complete (partial reads wait in the buffer); each
 * payload goes to mt_request_handle(), one at a time: while a request
 * waits for a Ub run the link reads on into its buffer but handles
 * nothing more until the answer is out (answers keep the order of the
 * requests). An error answer leaves the link usable; a frame length of 0
 * or above LOCAL_FRAME_MAX is answered "bad-frame" and the link closed
 * once that is sent. A link silent for MT_IDLE_SECONDS is closed; while
 * a request waits, the MT stops reading a link that has more than
 * 4 * LOCAL_FRAME_BUFFER octets buffered (the peer then waits in TCP).
 */
#ifndef E2MD_MT_LINK_H
#define E2MD_MT_LINK_H

#include <stdbool.h>

#include <event2/bufferevent.h>

#include "proto/local/local_msg.h"
#include "role_mt.h"

struct mt_link {
	struct mt *mt;
	struct mt_link *next;
	struct bufferevent *bev;
	char peer[CONFIG_ADDR_TEXT_MAX];
	bool closing;			/* closed once the output is sent */
	bool waiting;			/* request below waits for Ub */
	bool gone;			/* the peer left while it waited */
	bool answered_watch;		/* mt_watch_rekey() answered one */
	struct local_msg request;
};

/* Listens on mt->conf->listen: 0, or a negative errno with why. */
int mt_links_listen(struct mt *mt, char *why, size_t why_size);

/* Stops accepting; links go on. */
void mt_links_stop(struct mt *mt);

/* Closes every link and the listener. */
void mt_links_free(struct mt *mt);

/* Queues msg's frame on link. */
void mt_link_send(struct mt_link *link, const struct local_msg *msg);

/* An error answer: the id of about when it has one, detail may be "". */
void mt_link_error(struct mt_link *link, const struct local_msg *about,
		   const char *token, const char *detail);

/* The request that waited is answered: handle what is buffered. */
void mt_link_resume(struct mt_link *link);

#endif /* E2MD_MT_LINK_H */
