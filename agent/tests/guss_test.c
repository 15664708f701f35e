// SPDX-License-Identifier: GPL-2.0
/*
 * proto/gba/guss.c: a USS into the GUSS the HSS sends and back out on the BSF,
 * null both ways for an empty USS, and what is refused.
 */
#include <errno.h>

#include "store/store.h"
#include "tap.h"
#include "proto/gba/guss.h"
#include "util/why.h"

#define USS	"[{\"naf\":\"naf1.home1.net\",\"flags\":[1,2]},{\"naf\":\"naf2.home1.net\"}]"
#define GUSS	"{\"uss-list\":" USS "}"

int main(void)
{
	char out[STORE_USS_MAX], small[16], why[UB_WHY_MAX];

	ok(guss_from_uss(USS, out, sizeof(out)) == 0 && !strcmp(out, GUSS),
	   "from USS: {\"uss-list\": USS}");
	ok(guss_from_uss("[]", out, sizeof(out)) == 0 && !out[0] &&
	   guss_from_uss("", out, sizeof(out)) == 0 && !out[0],
	   "from USS: an empty USS is null (\"\")");
	ok(guss_from_uss("[{\"flags\":[1]}]", out, sizeof(out)) == -EINVAL &&
	   !out[0], "from USS: an entry without naf is refused");
	ok(guss_from_uss(USS, small, sizeof(small)) == -ENOSPC && !small[0],
	   "from USS: too small a buffer is -ENOSPC");
	ok(guss_to_uss(GUSS, out, sizeof(out), why, sizeof(why)) == 0 &&
	   !strcmp(out, USS), "to USS: the uss-list back, as it was");
	ok(guss_to_uss("{\"uss-list\":" USS ",\"other\":1}", out, sizeof(out),
		       why, sizeof(why)) == 0 && !strcmp(out, USS),
	   "to USS: other members of the GUSS ignored");
	ok(guss_to_uss("", out, sizeof(out), why, sizeof(why)) == 0 &&
	   !out[0] &&
	   guss_to_uss("{\"uss-list\":[]}", out, sizeof(out), why,
		       sizeof(why)) == 0 && !out[0],
	   "to USS: null and an empty list are \"\"");
	ok(guss_to_uss("{}", out, sizeof(out), why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "the GUSS has no \"uss-list\" array"),
	   "to USS: no uss-list: %s", why);
	ok(guss_to_uss("[1]", out, sizeof(out), why, sizeof(why)) == -EINVAL,
	   "to USS: not an object: %s", why);
	ok(guss_to_uss("{\"uss-list\":[{\"naf\":\"bad name!\"}]}", out,
		       sizeof(out), why, sizeof(why)) == -EINVAL && !out[0] &&
	   !strcmp(why, "the GUSS \"uss-list\" is not a USS"),
	   "to USS: a list that is not a USS: %s", why);
	ok(guss_to_uss(GUSS, small, sizeof(small), why, sizeof(why)) ==
	   -ENOSPC, "to USS: too small a buffer: %s", why);
	ok(store_uss_entry_has_flag("{\"naf\":\"maf.test\",\"flags\":[2,1]}", 1) &&
	   !store_uss_entry_has_flag("{\"naf\":\"maf.test\",\"flags\":[2]}", 1) &&
	   !store_uss_entry_has_flag("{\"naf\":\"maf.test\"}", 1) &&
	   !store_uss_entry_has_flag("{\"naf\":\"maf.test\",\"flags\":[\"1\"]}", 1) &&
	   !store_uss_entry_has_flag("", 1) &&
	   !store_uss_entry_has_flag("{\"flags\":[1],\"flags\":[1]}", 1),
	   "entry flags: 1 in [2,1]; not in [2], none, [\"1\"], \"\", a duplicate key");
	return done_testing();
}
