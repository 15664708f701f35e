// SPDX-License-Identifier: GPL-2.0
/*
 * proto/gba/ub_json.c: the error body of Zh and Zn, and the wiping of what held
 * keys.
 */
#include <errno.h>
#include <stdlib.h>

#include <jansson.h>

#include "tap.h"
#include "proto/gba/ub_json.h"
#include "util/why.h"

struct reject {
	const char *body;
	const char *why;
};

static void test_build(void)
{
	char *text = NULL, detail[UB_ERROR_DETAIL_MAX + 2];

	ok(ub_error_build(UB_ERR_UNKNOWN_SUBSCRIBER, "no such IMPI", &text) ==
	   0 && text && !strcmp(text, "{\"error\":\"unknown-subscriber\","
				"\"detail\":\"no such IMPI\"}"),
	   "error body built");
	ub_json_text_free(text);
	ok(ub_error_build(UB_ERR_BAD_REQUEST, NULL, &text) == 0 && text &&
	   !strcmp(text, "{\"error\":\"bad-request\"}"), "without detail");
	ub_json_text_free(text);
	ok(ub_error_build(UB_ERR_EXPIRED_BTID, "", &text) == 0 && text &&
	   !strcmp(text, "{\"error\":\"expired-btid\"}"),
	   "an empty detail is left out");
	ub_json_text_free(text);
	ok(ub_error_build("Bad token", NULL, &text) == -EINVAL && !text &&
	   ub_error_build("", NULL, &text) == -EINVAL &&
	   ub_error_build(NULL, NULL, &text) == -EINVAL,
	   "a bad or missing token refused");
	ok(ub_error_build(UB_ERR_INTERNAL, "two\nlines", &text) == -EINVAL &&
	   ub_error_build(UB_ERR_INTERNAL, "bad \xff utf-8", &text) == -EINVAL,
	   "a detail of two lines or bad UTF-8 refused");
	memset(detail, 'x', sizeof(detail));
	detail[UB_ERROR_DETAIL_MAX] = '\0';
	ok(ub_error_build(UB_ERR_INTERNAL, detail, &text) == 0,
	   "a detail of %d octets is fine", UB_ERROR_DETAIL_MAX);
	ub_json_text_free(text);
	detail[UB_ERROR_DETAIL_MAX] = 'x';
	detail[UB_ERROR_DETAIL_MAX + 1] = '\0';
	ok(ub_error_build(UB_ERR_INTERNAL, detail, &text) == -EINVAL,
	   "one of %d is not", UB_ERROR_DETAIL_MAX + 1);
	ub_json_text_free(NULL);
}

static void test_parse(void)
{
	static const struct reject rejects[] = {
		{ "", "empty body" },
		{ "null", "not JSON" },
		{ "{\"detail\":\"d\"}", "\"error\" missing" },
		{ "{\"error\":1}", "\"error\" is not a string" },
		{ "{\"error\":\"\"}", "\"error\" is empty" },
		{ "{\"error\":\"Not-Found\"}", "\"error\" is not a token" },
		{ "{\"error\":\"a b\"}", "\"error\" is not a token" },
		{ "{\"error\":\"x\",\"detail\":2}", "\"detail\" is not a string" },
		{ "{\"error\":\"x\",\"detail\":\"a\\nb\"}",
		  "\"detail\" is not one line" },
		{ "{\"error\":\"x\",\"error\":\"y\"}", "not JSON" },
	};
	static const char full[] = "{\"error\":\"naf-not-authorised\","
		"\"detail\":\"USS has no entry\",\"code\":7}";
	static const char empty[] = "{\"error\":\"resync-failed\",\"detail\":\"\"}";
	struct ub_error err;
	char why[UB_WHY_MAX], big[600];
	size_t i, n = sizeof(rejects) / sizeof(rejects[0]);

	ok(ub_error_parse(full, strlen(full), &err, why, sizeof(why)) == 0 &&
	   !strcmp(err.error, UB_ERR_NAF_NOT_AUTHORISED) &&
	   !strcmp(err.detail, "USS has no entry"),
	   "error body parsed, unknown members ignored");
	ok(ub_error_parse(empty, strlen(empty), &err, why, sizeof(why)) == 0 &&
	   !strcmp(err.error, UB_ERR_RESYNC_FAILED) && !err.detail[0],
	   "an empty detail is none");
	memset(&err, 0x5a, sizeof(err));
	for (i = 0; i < n; i++) {
		why[0] = '\0';
		ok(ub_error_parse(rejects[i].body, strlen(rejects[i].body),
				  &err, why, sizeof(why)) == -EINVAL &&
		   !strncmp(why, rejects[i].why, strlen(rejects[i].why)),
		   "error body refused: %s", rejects[i].why);
		if (strncmp(why, rejects[i].why, strlen(rejects[i].why)))
			printf("#   why: %s\n", why);
	}
	snprintf(big, sizeof(big), "{\"error\":\"x\",\"detail\":\"%0*d\"}",
		 UB_ERROR_DETAIL_MAX + 1, 0);
	ok(ub_error_parse(big, strlen(big), &err, why, sizeof(why)) ==
	   -EINVAL && strstr(why, "longer than 255"),
	   "error body refused: a detail too long");
	ok(((unsigned char *)&err)[0] == 0x5a &&
	   ((unsigned char *)&err)[sizeof(err) - 1] == 0x5a,
	   "a refused error body leaves the struct untouched");
}

static void test_wiping(void)
{
	json_malloc_t m = NULL;
	json_free_t f = NULL;

	json_get_alloc_funcs(&m, &f);
	ok(m && f && m != malloc && f != free,
	   "jansson frees through the wiping allocator");
}

int main(void)
{
	plan(22);
	test_build();
	test_parse();
	test_wiping();
	return done_testing();
}
