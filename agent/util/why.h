/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one-line reason every parser of ub/ gives for refusing its input, in
 * a caller's buffer; the store gives its reasons the same way. The text
 * names the field and the fault, never a value: a value may be key
 * material.
 */
#ifndef E2M_UB_WHY_H
#define E2M_UB_WHY_H

#include <stddef.h>

#define UB_WHY_MAX	128	/* a buffer of this size holds every reason */

/* snprintf() into why (why_size octets); nothing when why is NULL. */
void ub_why(char *why, size_t why_size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* E2M_UB_WHY_H */
