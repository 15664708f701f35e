// SPDX-License-Identifier: GPL-2.0
/*
 * The sums of the workers' counters: see worker_status.h.
 */
#include <errno.h>
#include <string.h>

#include "worker_status.h"

static int sum_object(json_t *into, const json_t *from)
{
	const char *key;
	json_t *value, *mine;

	json_object_foreach((json_t *)from, key, value) {
		mine = json_object_get(into, key);
		if (json_is_integer(mine) && json_is_integer(value)) {
			if (json_integer_set(mine, json_integer_value(mine) +
						   json_integer_value(value)))
				return -ENOMEM;
		} else if (json_is_object(mine) && json_is_object(value)) {
			if (sum_object(mine, value))
				return -ENOMEM;
		}
	}
	return 0;
}

static json_t *role_named(json_t *roles, const char *name)
{
	json_t *role;
	size_t i;

	json_array_foreach(roles, i, role) {
		const char *its = json_string_value(json_object_get(role,
								    "name"));

		if (its && !strcmp(its, name))
			return role;
	}
	return NULL;
}

int worker_status_sum(json_t *into, const json_t *roles)
{
	json_t *role, *mine, *counters, *my_counters;
	const char *name;
	size_t i;

	json_array_foreach((json_t *)roles, i, role) {
		name = json_string_value(json_object_get(role, "name"));
		mine = name ? role_named(into, name) : NULL;
		counters = json_object_get(role, "counters");
		my_counters = mine ? json_object_get(mine, "counters") : NULL;
		if (json_is_object(counters) && json_is_object(my_counters) &&
		    sum_object(my_counters, counters))
			return -ENOMEM;
	}
	return 0;
}
