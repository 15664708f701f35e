/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Members of the Zh and Zn JSON objects, read and written with the checks
 * zh_msg.h describes. For the message modules only (proto/gba/zh_msg.c, zn_msg.c,
 * ub_json.c, and proto/best/msg_field.c, which adds the members only BEST has);
 * callers of the message library use those.
 *
 * Readers return 1 when the member is there (and good), 0 when it is
 * absent and was optional, or -EINVAL with why naming the member. On
 * error nothing is written to out. Writers keep the first error in
 * struct json_builder, so a message is checked once, at the end.
 */
#ifndef E2M_UB_JSON_FIELD_H
#define E2M_UB_JSON_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store/store.h"

/*
 * Parses a body that must be one JSON object, at most UB_JSON_MAX octets,
 * no member twice. NULL (with why) when it is not.
 */
json_t *json_field_load(const char *text, size_t len, char *why,
			size_t why_size);

/*
 * Reads the members of a message's root object into out (a message
 * struct, zeroed first): a json_field_parse() reader, returning >= 0 or a
 * negative errno with why.
 */
typedef int (*json_field_read_fn)(const json_t *root, void *out, char *why,
				  size_t why_size);

/*
 * One message: text loaded as json_field_load() does, read by reader into a
 * zeroed copy of size octets that becomes *out only when reader succeeds;
 * so a bad message changes nothing. The copy is wiped (it may hold keys).
 * 0, -EINVAL with why, or -ENOMEM.
 */
int json_field_parse(const char *text, size_t len, json_field_read_fn reader,
		     void *out, size_t size, char *why, size_t why_size);

/*
 * The same for a message already loaded (an item of a batch: read from
 * the batch's values rather than written out and parsed again): root must
 * be an object, else -EINVAL with json_field_load()'s why.
 */
int json_field_read(const json_t *root, json_field_read_fn reader, void *out,
		    size_t size, char *why, size_t why_size);

/* A string of 1..size-1 octets (UTF-8, no NUL), copied into out. */
int json_field_string(const json_t *obj, const char *key, bool required,
		      char *out, size_t size, char *why, size_t why_size);

/* The required "impi" member, which must be an IMPI (store_impi_valid()). */
int json_field_impi(const json_t *obj, char out[STORE_IMPI_MAX + 1],
		    char *why, size_t why_size);

/* 0 if impi is an IMPI, else -EINVAL with why: for the builders. */
int json_check_impi(const char *impi, char *why, size_t why_size);

/* Exactly len octets in hex (either case). Temporary copies are wiped. */
int json_field_hex(const json_t *obj, const char *key, bool required,
		   uint8_t *out, size_t len, char *why, size_t why_size);

/* 1..max octets in hex; *out_len the number decoded. */
int json_field_hex_var(const json_t *obj, const char *key, uint8_t *out,
		       size_t max, size_t *out_len, char *why,
		       size_t why_size);

/* true or false (not 0/1, not a string). Absent leaves *out alone. */
int json_field_bool(const json_t *obj, const char *key, bool required,
		    bool *out, char *why, size_t why_size);

/* An object, or NULL in *out when absent (and optional). */
int json_field_object(const json_t *obj, const char *key, bool required,
		      const json_t **out, char *why, size_t why_size);

/*
 * The USS member: an object, written as compact JSON text into out (size
 * octets, STORE_USS_MAX), or null or absent, written as "".
 */
int json_field_uss(const json_t *obj, const char *key, char *out,
		   size_t size, char *why, size_t why_size);

/* "YYYY-MM-DDThh:mm:ssZ", strictly (utc_parse()). */
int json_field_time(const json_t *obj, const char *key, int64_t *out,
		    char *why, size_t why_size);

struct json_builder {
	json_t *obj;
	int error;		/* the first error, sticky */
	char *why;
	size_t why_size;
};

/* A builder with an empty object: 0 or -ENOMEM (then error is set too). */
int json_builder_init(struct json_builder *b, char *why, size_t why_size);

void json_builder_string(struct json_builder *b, const char *key,
			 const char *value);
void json_builder_hex(struct json_builder *b, const char *key,
		      const uint8_t *in, size_t len);
void json_builder_bool(struct json_builder *b, const char *key, bool value);
void json_builder_time(struct json_builder *b, const char *key, int64_t t);
/* uss "" is null; otherwise it must parse as one object. */
void json_builder_uss(struct json_builder *b, const char *key,
		      const char *uss);
/* Adds value (a new reference, taken over even on error). */
void json_builder_set(struct json_builder *b, const char *key,
		      json_t *value);
/* Records an error found by the caller: -EINVAL with why. */
void json_builder_fail(struct json_builder *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The compact text into *text (NULL on error) and the object freed.
 * Returns the first error, or 0.
 */
int json_builder_finish(struct json_builder *b, char **text);

/*
 * Or the object itself, for a message that goes into a batch: 0 and *obj
 * (the caller's reference), or the first error and *obj NULL.
 */
int json_builder_take(struct json_builder *b, json_t **obj);

#endif /* E2M_UB_JSON_FIELD_H */
