// SPDX-License-Identifier: GPL-2.0
/*
 * The GUSS a BSF reads from the HSS (proto/gba/guss.h) on arbitrary octets: a
 * USS taken out must be one, and must go back into a GUSS that gives the
 * same USS again.
 */
#include <errno.h>

#include "fuzz.h"
#include "store/store.h"
#include "proto/gba/guss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *guss = fuzz_string(data, size);
	char uss[STORE_USS_MAX], again[STORE_USS_MAX], back[STORE_USS_MAX];

	if (!guss_to_uss(guss, uss, sizeof(uss), NULL, 0) && uss[0]) {
		FUZZ_ASSERT(!store_uss_check(uss));
		FUZZ_ASSERT(!guss_from_uss(uss, again, sizeof(again)));
		FUZZ_ASSERT(!guss_to_uss(again, back, sizeof(back), NULL, 0));
		FUZZ_ASSERT(!strcmp(uss, back));
	}
	free(guss);
	return 0;
}
