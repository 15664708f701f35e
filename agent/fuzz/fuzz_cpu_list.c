// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU list parser (util/cpu_list.h) on arbitrary octets, as e2mctl
 * reads them from its command line: what parses formats, and the format
 * parses back to the same bitmap.
 */
#include "util/cpu_list.h"
#include "fuzz.h"

#define WORDS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t words[WORDS], back[WORDS];
	size_t n = 0, n_back = 0;
	char *text = fuzz_string(data, size), out[4096];
	int len;

	if (!cpu_list_parse(text, words, WORDS, &n)) {
		FUZZ_ASSERT(n >= 1 && n <= WORDS && words[n - 1]);
		len = cpu_list_format(words, n, out, sizeof(out));
		FUZZ_ASSERT(len > 0 && (size_t)len == strlen(out));
		FUZZ_ASSERT(!cpu_list_parse(out, back, WORDS, &n_back));
		FUZZ_ASSERT(n_back == n && !memcmp(words, back, n * 4));
	}
	free(text);
	return 0;
}
