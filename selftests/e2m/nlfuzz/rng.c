// SPDX-License-Identifier: GPL-2.0
#include "rng.h"

uint64_t rng;

uint64_t rng;

uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

bool chance(unsigned int percent)
{
	return below(100) < percent;
}
