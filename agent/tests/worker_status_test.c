// SPDX-License-Identifier: GPL-2.0
/*
 * worker_status.c: the workers' counters summed into the first's status,
 * exactly, role by role and member by member; nothing else touched.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/worker_status.h"
#include "tap.h"

static json_t *load(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	if (!j) {
		printf("Bail out! bad JSON in the test: %s\n", text);
		exit(1);
	}
	return j;
}

/* Whether a and b are equal JSON; else both printed. */
static bool same(json_t *a, const char *b_text, const char *name)
{
	json_t *b = load(b_text);
	bool eq = json_equal(a, b);

	if (!eq) {
		char *got = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);

		printf("# %s: got %s\n", name, got);
		free(got);
	}
	json_decref(b);
	return eq;
}

static void test_sums(void)
{
	json_t *into = load(
		"[{\"name\":\"hss\",\"listen\":{\"zh\":\"127.0.0.1:1\"},"
		"\"counters\":{\"requests\":3,\"best-vectors\":2,\"window\":1,"
		"\"nested\":{\"a\":1},\"text\":\"x\"}},"
		"{\"name\":\"sgw\",\"counters\":{\"requests\":7}}]");
	json_t *worker = load(
		"[{\"name\":\"hss\",\"listen\":{\"zh\":\"127.0.0.1:2\"},"
		"\"counters\":{\"requests\":5,\"best-vectors\":4,\"window\":2,"
		"\"nested\":{\"a\":10,\"b\":1},\"text\":\"y\",\"only-here\":9}},"
		"{\"name\":\"bsf\",\"counters\":{\"requests\":100}}]");

	ok(worker_status_sum(into, worker) == 0, "a worker's roles summed");
	ok(same(into,
		"[{\"name\":\"hss\",\"listen\":{\"zh\":\"127.0.0.1:1\"},"
		"\"counters\":{\"requests\":8,\"best-vectors\":6,\"window\":3,"
		"\"nested\":{\"a\":11},\"text\":\"x\"}},"
		"{\"name\":\"sgw\",\"counters\":{\"requests\":7}}]",
		"sums"),
	   "integers summed, nested objects member by member; the first's listen, strings and members kept; a role or member the first lacks ignored");
	ok(worker_status_sum(into, worker) == 0 &&
	   json_integer_value(json_object_get(json_object_get(
		json_array_get(into, 0), "counters"), "requests")) == 13,
	   "a second worker adds on: 3 + 5 + 5");
	json_decref(into);
	json_decref(worker);
}

static void test_odd_shapes(void)
{
	json_t *into = load("[{\"name\":\"hss\",\"counters\":{\"requests\":1}}]");
	json_t *odd = load("[1, {\"counters\":{\"requests\":5}},"
			   "{\"name\":\"hss\",\"counters\":[1]},"
			   "{\"name\":\"hss\",\"counters\":{\"requests\":\"5\"}}]");

	ok(worker_status_sum(into, odd) == 0 &&
	   same(into, "[{\"name\":\"hss\",\"counters\":{\"requests\":1}}]",
		"odd"),
	   "a role without a name, counters not an object, a counter not an integer: nothing added");
	json_decref(into);
	json_decref(odd);
}

int main(void)
{
	plan(4);
	test_sums();
	test_odd_shapes();
	return done_testing();
}
