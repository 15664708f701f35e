// SPDX-License-Identifier: GPL-2.0
/*
 * The UE's side of Ub (proto/gba/ub_ue.h) on what a BSF, or whoever sits between,
 * sends: the input is a WWW-Authenticate value, a newline, an
 * Authentication-Info value, a newline, and the 200's body. A challenge
 * that is taken must hold RAND and AUTN that make the nonce again; a 200
 * that is taken must carry a B-TID of that RAND (it cannot, short of the
 * fuzzer finding MD5 preimages, as rspauth must verify first).
 */
#include <errno.h>

#include "fuzz.h"
#include "proto/gba/ub_ue.h"

#define IMPI	"user1_private@home1.net"

static const uint8_t res[AKA_RES_LEN] = {
	0xa5, 0x42, 0x11, 0xd5, 0xe3, 0xba, 0x50, 0xbf,
};

/* The next line of data, NUL-terminated into a new string. */
static char *next_line(const uint8_t **data, size_t *size)
{
	const uint8_t *nl = memchr(*data, '\n', *size);
	size_t len = nl ? (size_t)(nl - *data) : *size;
	char *line = fuzz_string(*data, len);

	*data += nl ? len + 1 : len;
	*size -= nl ? len + 1 : len;
	return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *challenge = next_line(&data, &size);
	char *auth_info = next_line(&data, &size);
	char out[DIGEST_HEADER_MAX], nonce[DIGEST_AKA_NONCE_LEN + 1];
	struct bsf_info info;
	struct ub_ue ue;

	memset(&ue, 0, sizeof(ue));
	FUZZ_ASSERT(!ub_ue_first(&ue, IMPI, "bsf.home1.net", "/", out,
				 sizeof(out)));
	if (ub_ue_challenge(&ue, challenge, strlen(challenge), NULL, 0))
		goto out;
	FUZZ_ASSERT(!digest_aka_nonce_encode(nonce, ue.rand, ue.autn));
	FUZZ_ASSERT(!strcmp(nonce, ue.challenge.nonce));
	FUZZ_ASSERT(!ub_ue_answer(&ue, res, NULL, out, sizeof(out)));
	/* A fixed cnonce: the run depends on the input alone. */
	strcpy(ue.cnonce, "0a4f113b0a4f113b0a4f113b0a4f113b");
	if (!ub_ue_success(&ue, auth_info, BSF_XML_CONTENT_TYPE,
			   (const char *)data, size, &info, NULL, 0))
		FUZZ_ASSERT(ub_ue_btid_of(info.btid, ue.rand));
out:
	ub_ue_wipe(&ue);
	free(challenge);
	free(auth_info);
	return 0;
}
