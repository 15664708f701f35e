// SPDX-License-Identifier: GPL-2.0
/*
 * The BootstrappingInfo parser on arbitrary octets; what parses must
 * build, and parse back the same.
 */
#include "fuzz.h"
#include "proto/gba/bsf_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bsf_info info, back;
	char out[BSF_XML_MAX];
	int len;

	if (bsf_xml_parse((const char *)data, size, &info, NULL, 0))
		return 0;
	len = bsf_xml_build(out, sizeof(out), &info, NULL, 0);
	FUZZ_ASSERT(len > 0);
	FUZZ_ASSERT(!bsf_xml_parse(out, (size_t)len, &back, NULL, 0));
	FUZZ_ASSERT(!strcmp(info.btid, back.btid));
	FUZZ_ASSERT(info.lifetime == back.lifetime);
	FUZZ_ASSERT(info.currenttime == back.currenttime);
	return 0;
}
