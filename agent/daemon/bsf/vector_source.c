// SPDX-License-Identifier: GPL-2.0
/*
 * The BSF's source of vectors, see vector_source.h: the calls, and the
 * backend the configuration names.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vector_backend.h"

struct vector_source {
	const struct vector_backend *backend;
	void *state;
};

static const struct vector_backend *backend_of(const struct config_bsf *conf)
{
	return conf->hlr.text ? &vector_gsup : &vector_zh;
}

int vector_source_new(struct vector_source **out, struct daemon *daemon,
		      const struct config_bsf *conf)
{
	struct vector_source *vs = calloc(1, sizeof(*vs));
	int ret;

	*out = NULL;
	if (!vs)
		return -ENOMEM;
	vs->backend = backend_of(conf);
	ret = vs->backend->new_state(&vs->state, daemon, conf);
	if (ret) {
		free(vs);
		return ret;
	}
	*out = vs;
	return 0;
}

bool vector_source_fits(const struct vector_source *vs,
			const struct config_bsf *conf)
{
	return vs->backend == backend_of(conf) &&
	       vs->backend->fits(vs->state, conf);
}

void vector_source_reconfigure(struct vector_source *vs,
			       const struct config_bsf *conf)
{
	vs->backend->reconfigure(vs->state, conf);
}

const char *vector_source_kind(const struct vector_source *vs)
{
	return vs->backend->kind;
}

int vector_fetch(struct vector_source *vs, const struct zh_av_request *req,
		 vector_done_fn done, void *arg, struct vector_call **out)
{
	struct vector_call *call = calloc(1, sizeof(*call));
	int ret;

	*out = NULL;
	if (!call)
		return -ENOMEM;
	call->vs = vs;
	call->state = vs->state;
	call->done = done;
	call->arg = arg;
	call->resync = req->resync;
	snprintf(call->impi, sizeof(call->impi), "%s", req->impi);
	ret = vs->backend->fetch(vs->state, req, call);
	if (ret) {
		free(call);
		return ret;
	}
	*out = call;
	return 0;
}

void vector_call_end(struct vector_call *call,
		     const struct vector_answer *answer)
{
	vector_done_fn done = call->done;
	void *arg = call->arg;

	free(call);
	done(answer, arg);
}

void vector_call_unavailable(struct vector_call *call, const char *why)
{
	struct vector_answer a = { VECTOR_UNAVAILABLE, why, NULL, NULL };

	vector_call_end(call, &a);
}

void vector_call_cancel(struct vector_call *call)
{
	if (!call)
		return;
	call->vs->backend->cancel(call->backend_call);
	free(call);
}

void vector_source_free(struct vector_source *vs)
{
	if (!vs)
		return;
	vs->backend->free_state(vs->state);
	free(vs);
}
