/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's one clock for deadlines and windows: CLOCK_MONOTONIC in
 * milliseconds, which a change of the wall clock does not move.
 */
#ifndef E2MD_MONO_CLOCK_H
#define E2MD_MONO_CLOCK_H

#include <stdint.h>

uint64_t mono_clock_ms(void);

#endif /* E2MD_MONO_CLOCK_H */
