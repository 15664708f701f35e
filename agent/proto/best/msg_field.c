// SPDX-License-Identifier: GPL-2.0
/*
 * The members of the BEST bodies that Zh and Zn do not have, see
 * msg_field.h.
 */
#include <errno.h>
#include <string.h>

#include "msg_field.h"
#include "util/why.h"

int best_field_uint(const json_t *obj, const char *key, bool required,
		    uint64_t min, uint64_t max, uint64_t *out, char *why,
		    size_t why_size)
{
	json_t *value = json_object_get(obj, key);
	json_int_t n;

	if (!value) {
		if (!required)
			return 0;
		ub_why(why, why_size, "\"%s\" missing", key);
		return -EINVAL;
	}
	if (!json_is_integer(value)) {
		ub_why(why, why_size, "\"%s\" is not an integer", key);
		return -EINVAL;
	}
	n = json_integer_value(value);
	if (n < 0 || (uint64_t)n < min || (uint64_t)n > max) {
		ub_why(why, why_size, "\"%s\" is out of range %llu..%llu",
		       key, (unsigned long long)min, (unsigned long long)max);
		return -EINVAL;
	}
	*out = (uint64_t)n;
	return 1;
}

int best_check_imsi(const char *key, const char *imsi, char *why,
		    size_t why_size)
{
	if (!store_imsi_valid(imsi)) {
		ub_why(why, why_size, "\"%s\" is not an IMSI", key);
		return -EINVAL;
	}
	return 0;
}

int best_field_imsi(const json_t *obj, const char *key,
		    char out[BEST_IMSI_SIZE], char *why, size_t why_size)
{
	char imsi[BEST_IMSI_SIZE];
	int ret;

	ret = json_field_string(obj, key, true, imsi, sizeof(imsi), why,
				why_size);
	if (ret >= 0)
		ret = best_check_imsi(key, imsi, why, why_size);
	if (ret >= 0)
		memcpy(out, imsi, strlen(imsi) + 1);
	return ret;
}

/* text into its canonical form; 0 or -EINVAL. */
static int canonical_ip(const char *text, enum best_family families,
			char out[BEST_ADDRESS_SIZE])
{
	struct in6_addr addr;

	if ((families & BEST_IPV4) && inet_pton(AF_INET, text, &addr) == 1)
		return inet_ntop(AF_INET, &addr, out, BEST_ADDRESS_SIZE) ?
		       0 : -EINVAL;
	if ((families & BEST_IPV6) && inet_pton(AF_INET6, text, &addr) == 1)
		return inet_ntop(AF_INET6, &addr, out, BEST_ADDRESS_SIZE) ?
		       0 : -EINVAL;
	return -EINVAL;
}

static const char *family_words(enum best_family families)
{
	switch (families) {
	case BEST_IPV4:
		return "an IPv4 address";
	case BEST_IPV6:
		return "an IPv6 address";
	default:
		return "an IPv4 or IPv6 address";
	}
}

int best_field_ip(const json_t *obj, const char *key, bool required,
		  enum best_family families, char *out, size_t size,
		  char *why, size_t why_size)
{
	char text[BEST_ADDRESS_SIZE], canonical[BEST_ADDRESS_SIZE];
	int ret;

	ret = json_field_string(obj, key, required, text, sizeof(text), why,
				why_size);
	if (ret <= 0)
		return ret;
	if (canonical_ip(text, families, canonical) ||
	    strlen(canonical) >= size) {
		ub_why(why, why_size, "\"%s\" is not %s", key,
		       family_words(families));
		return -EINVAL;
	}
	memcpy(out, canonical, strlen(canonical) + 1);
	return 1;
}

int best_check_ip(const char *key, const char *text,
		  enum best_family families, char *why, size_t why_size)
{
	char canonical[BEST_ADDRESS_SIZE];

	if (canonical_ip(text, families, canonical) ||
	    strcmp(canonical, text)) {
		ub_why(why, why_size, "\"%s\" is not %s", key,
		       family_words(families));
		return -EINVAL;
	}
	return 0;
}

void best_builder_uint(struct json_builder *b, const char *key,
		       uint64_t value)
{
	if (value > (uint64_t)INT64_MAX) {
		json_builder_fail(b, "\"%s\" out of range", key);
		return;
	}
	json_builder_set(b, key,
			 b->error ? NULL : json_integer((json_int_t)value));
}
