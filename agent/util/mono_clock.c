// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's monotonic clock, see mono_clock.h.
 */
#include <time.h>

#include "mono_clock.h"

uint64_t mono_clock_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}
