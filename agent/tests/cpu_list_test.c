// SPDX-License-Identifier: GPL-2.0
/*
 * cpu_list.c: the kernel's CPU list format in and out, exact bitmaps, and
 * every malformed list refused with nothing written.
 */
#include <errno.h>

#include "util/cpu_list.h"
#include "tap.h"

static int parse(const char *text, uint32_t *words, size_t *nwords)
{
	return cpu_list_parse(text, words, 4, nwords);
}

static void test_parse(void)
{
	uint32_t w[4] = { 0 };
	size_t n = 0;

	ok(!parse("0", w, &n) && n == 1 && w[0] == 0x1, "\"0\": CPU 0");
	ok(!parse("1,3-5", w, &n) && n == 1 && w[0] == 0x3a,
	   "\"1,3-5\": 0x3a in one word");
	ok(!parse("31-32", w, &n) && n == 2 && w[0] == 0x80000000u &&
	   w[1] == 0x1, "\"31-32\": across two words");
	ok(!parse("127", w, &n) && n == 4 && !w[0] && !w[1] && !w[2] &&
	   w[3] == 0x80000000u, "\"127\": the last of four words, the rest 0");
	ok(!parse("5,1,5", w, &n) && n == 1 && w[0] == 0x22,
	   "out of order and twice: each CPU once");
}

static void test_refused(void)
{
	static const char *const bad[] = {
		"", ",", "1,", ",1", "1,,2", "a", "1-", "-1", "3-1", "1 ",
		" 1", "01", "1-02", "1--2", "0x1", "+1", "1,2-3-4",
	};
	uint32_t w[4] = { 7, 7, 7, 7 };
	size_t i, n = 9, refused = 0;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], w, &n) == -EINVAL)
			refused++;
		else
			printf("# not refused: \"%s\"\n", bad[i]);
	ok(refused == sizeof(bad) / sizeof(bad[0]) && n == 9 && w[0] == 7 &&
	   w[3] == 7, "17 malformed lists: -EINVAL, nothing written");
	ok(parse("128", w, &n) == -ERANGE && parse("0-128", w, &n) == -ERANGE &&
	   parse("99999999999999999999999", w, &n) == -ERANGE && n == 9 &&
	   w[0] == 7, "a CPU past the bitmap: -ERANGE, nothing written");
	ok(cpu_list_parse("0", w, 0, &n) == -ERANGE, "no room at all: -ERANGE");
}

static void test_format(void)
{
	const uint32_t a[] = { 0x3a }, b[] = { 0x80000000u, 0x1 }, none[] = { 0 };
	const uint32_t all[] = { 0xffffffffu, 0xffffffffu };
	char out[32];

	ok(cpu_list_format(a, 1, out, sizeof(out)) == 5 &&
	   !strcmp(out, "1,3-5"), "0x3a: \"1,3-5\"");
	ok(cpu_list_format(b, 2, out, sizeof(out)) == 5 &&
	   !strcmp(out, "31,32"), "two in a row: \"31,32\", not a range");
	ok(cpu_list_format(all, 2, out, sizeof(out)) == 4 &&
	   !strcmp(out, "0-63"), "64 CPUs: \"0-63\"");
	ok(cpu_list_format(none, 1, out, sizeof(out)) == 0 && !strcmp(out, ""),
	   "none: \"\"");
	ok(cpu_list_format(a, 1, out, 5) == -ENOSPC && !strcmp(out, ""),
	   "no room for \"1,3-5\": -ENOSPC, \"\"");
}

int main(void)
{
	test_parse();
	test_refused();
	test_format();
	return done_testing();
}
