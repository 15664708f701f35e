/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Members the BEST bodies (best.md) have beyond those of Zh and Zn
 * (util/json_field.h): numbers, IMSIs and IP addresses, read and written
 * with the same rules: readers return 1 when the member is there and good,
 * 0 when it is absent and optional, or -EINVAL with a why that names the
 * member, never its value; nothing is written to out on error.
 */
#ifndef E2M_BEST_MSG_FIELD_H
#define E2M_BEST_MSG_FIELD_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store/store.h"
#include "util/json_field.h"

#define BEST_IMSI_SIZE		(STORE_IMSI_MAX + 1)
#define BEST_ADDRESS_SIZE	INET6_ADDRSTRLEN
#define BEST_IPV4_SIZE		INET_ADDRSTRLEN

/* Which address families an address member may be. */
enum best_family {
	BEST_IPV4 = 1,
	BEST_IPV6 = 2,
	BEST_IP_ANY = BEST_IPV4 | BEST_IPV6,
};

/*
 * An integer (a JSON integer, not a real or a string) in min..max. JSON
 * integers beyond what jansson holds fail to parse before this.
 */
int best_field_uint(const json_t *obj, const char *key, bool required,
		    uint64_t min, uint64_t max, uint64_t *out, char *why,
		    size_t why_size);

/* An IMSI as store_imsi_valid() has it: 6 to 15 digits. */
int best_field_imsi(const json_t *obj, const char *key,
		    char out[BEST_IMSI_SIZE], char *why, size_t why_size);

/*
 * An IP address of the families allowed, written back into out in the
 * canonical form of inet_ntop() (so "::0001" reads as "::1"), of at
 * most size - 1 characters.
 */
int best_field_ip(const json_t *obj, const char *key, bool required,
		  enum best_family families, char *out, size_t size,
		  char *why, size_t why_size);

/* 0 if text is an address of families in canonical form, else -EINVAL. */
int best_check_ip(const char *key, const char *text,
		  enum best_family families, char *why, size_t why_size);
/* 0 if imsi is an IMSI, else -EINVAL with why naming key. */
int best_check_imsi(const char *key, const char *imsi, char *why,
		    size_t why_size);

void best_builder_uint(struct json_builder *b, const char *key,
		       uint64_t value);

#endif /* E2M_BEST_MSG_FIELD_H */
