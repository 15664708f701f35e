// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text format writer, see prom_text.h.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prom_text.h"

#define PROM_TEXT_CHUNK	4096

void prom_text_init(struct prom_text *text)
{
	memset(text, 0, sizeof(*text));
}

void prom_text_free(struct prom_text *text)
{
	free(text->buf);
	memset(text, 0, sizeof(*text));
}

bool prom_text_failed(const struct prom_text *text)
{
	return text->failed;
}

/* Room for need more octets and a NUL. */
static bool reserve(struct prom_text *text, size_t need)
{
	size_t cap;
	char *buf;

	if (text->failed)
		return false;
	if (text->len + need + 1 <= text->cap)
		return true;
	cap = text->cap ? text->cap : PROM_TEXT_CHUNK;
	while (cap < text->len + need + 1)
		cap *= 2;
	buf = realloc(text->buf, cap);
	if (!buf) {
		text->failed = true;
		return false;
	}
	text->buf = buf;
	text->cap = cap;
	return true;
}

static void put(struct prom_text *text, const char *s, size_t len)
{
	if (!reserve(text, len))
		return;
	memcpy(text->buf + text->len, s, len);
	text->len += len;
	text->buf[text->len] = '\0';
}

static void puts_text(struct prom_text *text, const char *s)
{
	put(text, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
put_format(struct prom_text *text, const char *fmt, ...)
{
	char small[64];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	/* Numbers only: they always fit. */
	if (len > 0 && (size_t)len < sizeof(small))
		put(text, small, (size_t)len);
	else
		text->failed = true;
}

/* in_label: also " (a label value); HELP text escapes only \ and \n. */
static void put_escaped(struct prom_text *text, const char *s, bool in_label)
{
	for (; *s; s++) {
		if (*s == '\\')
			puts_text(text, "\\\\");
		else if (*s == '\n')
			puts_text(text, "\\n");
		else if (*s == '"' && in_label)
			puts_text(text, "\\\"");
		else
			put(text, s, 1);
	}
}

void prom_family(struct prom_text *text, const char *name, const char *type,
		 const char *help)
{
	puts_text(text, "# HELP ");
	puts_text(text, name);
	puts_text(text, " ");
	put_escaped(text, help, false);
	puts_text(text, "\n# TYPE ");
	puts_text(text, name);
	puts_text(text, " ");
	puts_text(text, type);
	puts_text(text, "\n");
}

/* name{a="x",b="y" and, when extra is given, extra="extra_value"} */
static void put_series(struct prom_text *text, const char *name,
		       const struct prom_label *labels, size_t n,
		       const char *extra, const char *extra_value)
{
	size_t i;

	puts_text(text, name);
	if (!n && !extra)
		return;
	puts_text(text, "{");
	for (i = 0; i < n; i++) {
		if (i)
			puts_text(text, ",");
		puts_text(text, labels[i].name);
		puts_text(text, "=\"");
		put_escaped(text, labels[i].value, true);
		puts_text(text, "\"");
	}
	if (extra) {
		if (n)
			puts_text(text, ",");
		puts_text(text, extra);
		puts_text(text, "=\"");
		put_escaped(text, extra_value, true);
		puts_text(text, "\"");
	}
	puts_text(text, "}");
}

void prom_sample_u64(struct prom_text *text, const char *name,
		     const struct prom_label *labels, size_t n,
		     uint64_t value)
{
	put_series(text, name, labels, n, NULL, NULL);
	put_format(text, " %" PRIu64 "\n", value);
}

void prom_counter(struct prom_text *text, const char *name, const char *help,
		  uint64_t value)
{
	prom_family(text, name, "counter", help);
	prom_sample_u64(text, name, NULL, 0, value);
}

/* 15 digits read back as written; infinities and NaN spelled out. */
static void put_double(struct prom_text *text, double value)
{
	if (isnan(value))
		puts_text(text, "NaN");
	else if (isinf(value))
		puts_text(text, value > 0 ? "+Inf" : "-Inf");
	else
		put_format(text, "%.15g", value);
}

void prom_sample_double(struct prom_text *text, const char *name,
			const struct prom_label *labels, size_t n,
			double value)
{
	put_series(text, name, labels, n, NULL, NULL);
	puts_text(text, " ");
	put_double(text, value);
	puts_text(text, "\n");
}

/* name_suffix, for the three series of a histogram. */
static void suffixed(char *out, size_t size, const char *name,
		     const char *suffix)
{
	snprintf(out, size, "%s%s", name, suffix);
}

void prom_histogram(struct prom_text *text, const char *name,
		    const struct prom_label *labels, size_t n,
		    const struct prom_histogram *h)
{
	char series[128], le[32];
	uint64_t cumulative = 0;
	size_t i;

	if (strlen(name) + sizeof("_bucket") > sizeof(series)) {
		text->failed = true;
		return;
	}
	suffixed(series, sizeof(series), name, "_bucket");
	for (i = 0; i <= h->n_bounds; i++) {
		cumulative += h->counts[i];
		if (i < h->n_bounds)
			snprintf(le, sizeof(le), "%g", h->bounds[i]);
		else
			snprintf(le, sizeof(le), "+Inf");
		put_series(text, series, labels, n, "le", le);
		put_format(text, " %" PRIu64 "\n", cumulative);
	}
	suffixed(series, sizeof(series), name, "_sum");
	prom_sample_double(text, series, labels, n, h->sum);
	suffixed(series, sizeof(series), name, "_count");
	prom_sample_u64(text, series, labels, n, cumulative);
}
