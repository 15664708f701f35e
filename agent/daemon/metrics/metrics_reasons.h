/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bounded set of refusal reasons a metric may carry: the error tokens
 * e2md's HTTP interfaces answer with (the *_ERR_* of proto/'s messages
 * and the http_server's, and each role's role_ops.refusal_tokens). Any
 * other token, which should never come but would if a
 * handler passed on text of a peer, counts as "other": a client can never
 * make a new label value.
 */
#ifndef E2MD_METRICS_REASONS_H
#define E2MD_METRICS_REASONS_H

#include <stddef.h>

#define METRICS_REASON_OTHER	"other"
/* A bound on metrics_reason_count(), for arrays of counts. */
#define METRICS_REASONS_MAX	64

/* How many reasons there are, "other" included. */
size_t metrics_reason_count(void);
/* The index of token in the table, or that of "other". */
size_t metrics_reason_index(const char *token);
/* The label value of an index below metrics_reason_count(). */
const char *metrics_reason_name(size_t index);

#endif /* E2MD_METRICS_REASONS_H */
