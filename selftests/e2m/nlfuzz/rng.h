/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzzer's seeded PRNG (xorshift64*): the same seed and iteration count
 * send the same messages, so a failure can be replayed with --seed.
 */
#ifndef NLFUZZ_RNG_H
#define NLFUZZ_RNG_H

#include <stdbool.h>
#include <stdint.h>

extern uint64_t rng;

uint64_t rnd(void);
uint32_t below(uint32_t n);
bool chance(unsigned int percent);

#endif
