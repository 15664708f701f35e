/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vector_source.c asks of each kind of source (vector_zh.c,
 * vector_gsup.c). A backend's fetch starts the request for call and
 * returns 0, or one of vector_fetch()'s errors (nothing started); it then
 * ends the call once
 * with vector_call_end(), from the loop, unless cancel comes first.
 */
#ifndef E2MD_VECTOR_BACKEND_H
#define E2MD_VECTOR_BACKEND_H

#include "vector_source.h"

struct vector_call {
	struct vector_source *vs;
	void *state;			/* the backend's, of the source */
	void *backend_call;		/* the backend's own, for cancel */
	vector_done_fn done;
	void *arg;
	char impi[STORE_IMPI_MAX + 1];
	bool resync;
};

struct vector_backend {
	const char *kind;
	int (*new_state)(void **state, struct daemon *daemon,
			 const struct config_bsf *conf);
	bool (*fits)(const void *state, const struct config_bsf *conf);
	void (*reconfigure)(void *state, const struct config_bsf *conf);
	int (*fetch)(void *state, const struct zh_av_request *req,
		     struct vector_call *call);
	void (*cancel)(void *backend_call);
	void (*free_state)(void *state);
};

extern const struct vector_backend vector_zh;
extern const struct vector_backend vector_gsup;

/* Ends call with answer: its done runs, then the call is gone. */
void vector_call_end(struct vector_call *call,
		     const struct vector_answer *answer);

/* Ends call as unavailable, why for the log. */
void vector_call_unavailable(struct vector_call *call, const char *why);

#endif /* E2MD_VECTOR_BACKEND_H */
