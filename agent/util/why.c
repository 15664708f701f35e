// SPDX-License-Identifier: GPL-2.0
/*
 * Reasons for refused input.
 */
#include <stdarg.h>
#include <stdio.h>

#include "why.h"

void ub_why(char *why, size_t why_size, const char *fmt, ...)
{
	va_list ap;

	if (!why || !why_size)
		return;
	va_start(ap, fmt);
	vsnprintf(why, why_size, fmt, ap);
	va_end(ap);
}
