/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus text exposition format, version 0.0.4: a growing buffer
 * that metric families are written into, each as
 *
 *	# HELP name text
 *	# TYPE name counter|gauge|histogram
 *	name{label="value",...} 42
 *
 * HELP text escapes \ and newline; a label value escapes \, " and
 * newline, so no value can break a line or forge a label. A histogram
 * is written as its cumulative name_bucket{le="..."} series, the last
 * le="+Inf", then name_sum and name_count.
 *
 * Allocation failures are sticky: the writer keeps going as a no-op and
 * prom_text_failed() says so at the end, so callers check once.
 */
#ifndef E2MD_PROM_TEXT_H
#define E2MD_PROM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROM_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

struct prom_text {
	char *buf;
	size_t len, cap;
	bool failed;
};

struct prom_label {
	const char *name;
	const char *value;
};

/*
 * A histogram's fixed upper bounds (ascending, without +Inf) and what it
 * counted: counts[i] observations in (bounds[i-1], bounds[i]], and
 * counts[n_bounds] above the last bound. Not cumulative: the writer sums.
 */
struct prom_histogram {
	const double *bounds;
	size_t n_bounds;
	const uint64_t *counts;		/* n_bounds + 1 */
	double sum;
};

void prom_text_init(struct prom_text *text);
void prom_text_free(struct prom_text *text);
bool prom_text_failed(const struct prom_text *text);

/* The # HELP and # TYPE lines of a family; type: "counter", ... */
void prom_family(struct prom_text *text, const char *name, const char *type,
		 const char *help);
/* One sample of the family just begun; labels may be NULL when n is 0. */
void prom_sample_u64(struct prom_text *text, const char *name,
		     const struct prom_label *labels, size_t n,
		     uint64_t value);
/* A family of one unlabelled counter: its # lines and its sample. */
void prom_counter(struct prom_text *text, const char *name, const char *help,
		  uint64_t value);
void prom_sample_double(struct prom_text *text, const char *name,
			const struct prom_label *labels, size_t n,
			double value);
/* The _bucket, _sum and _count samples of one labelled histogram. */
void prom_histogram(struct prom_text *text, const char *name,
		    const struct prom_label *labels, size_t n,
		    const struct prom_histogram *histogram);

#endif /* E2MD_PROM_TEXT_H */
