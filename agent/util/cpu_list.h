/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU lists as the kernel writes them (cpuset.cpus, /sys/.../cpulist):
 * "0-3,8,10-11", into and out of a bitmap of 32-bit words, CPU n being
 * bit n % 32 of word n / 32 (the layout of E2M_A_RX_CPUS).
 */
#ifndef E2M_CPU_LIST_H
#define E2M_CPU_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Parses text (CPU numbers and ranges A-B with A <= B, separated by
 * commas, no spaces, not empty) into words[0..max_words); *nwords is the
 * number of words up to the last with a CPU. Returns 0, -EINVAL for
 * anything else, -ERANGE for a CPU at or above 32 * max_words; on error
 * words and *nwords are left as they were.
 */
int cpu_list_parse(const char *text, uint32_t *words, size_t max_words,
		   size_t *nwords);

/* Whether CPU cpu is in words[0..nwords). */
bool cpu_list_has(const uint32_t *words, size_t nwords, size_t cpu);

/*
 * Writes the CPUs of words[0..nwords) as a list, ranges where three or
 * more follow each other ("" when none). Returns the length, or -ENOSPC
 * when it does not fit in size octets with its NUL.
 */
int cpu_list_format(const uint32_t *words, size_t nwords, char *out,
		    size_t size);

#endif /* E2M_CPU_LIST_H */
