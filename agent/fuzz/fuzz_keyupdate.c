// SPDX-License-Identifier: GPL-2.0
/*
 * What a USIM or a provisioning server reads from the other end of a key
 * update (Documentation/key-update.md) on arbitrary octets: the profile
 * update request and result (what parses must build, and build the same
 * octets: the layout is strict), and secure messaging's unwrapping of a
 * command and of a response under fixed session keys (whatever comes
 * must be refused or unwrapped, never read out of bounds).
 */
#include "crypto/scp11a_sm.h"
#include "proto/keyupdate/profile_update.h"
#include "fuzz.h"

static void request(const uint8_t *data, size_t size)
{
	struct ku_update_request v;
	uint8_t out[KU_REQUEST_MAX];
	size_t len;

	if (ku_update_request_parse(&v, data, size))
		return;
	FUZZ_ASSERT(!ku_update_request_build(&v, out, sizeof(out), &len));
	FUZZ_ASSERT(len == size && !memcmp(out, data, size));
}

static void result(const uint8_t *data, size_t size)
{
	struct ku_update_result v;
	uint8_t out[KU_RESULT_MAX];
	size_t len;

	if (ku_update_result_parse(&v, data, size))
		return;
	FUZZ_ASSERT(!ku_update_result_build(&v, out, sizeof(out), &len));
	FUZZ_ASSERT(len == size && !memcmp(out, data, size));
}

static void session(struct scp_sm *sm)
{
	struct scp11a_keys keys;
	uint8_t receipt[SCP11A_RECEIPT_LEN];

	memset(&keys, 0x11, sizeof(keys));
	memset(receipt, 0x22, sizeof(receipt));
	scp_sm_init(sm, &keys, receipt);
}

static void secure_messaging(const uint8_t *data, size_t size)
{
	uint8_t buf[SCP_SM_PADDED_MAX], apdu[SCP_SM_APDU_MAX];
	struct scp_apdu cmd = { .cla = 0x80, .ins = 0xd8 };
	struct scp_sm sd, oce;
	size_t len;
	uint16_t sw;
	int ret;

	session(&sd);
	ret = scp_sm_unwrap_command(&sd, data, size, &cmd, buf);
	FUZZ_ASSERT(ret || cmd.len <= SCP_SM_DATA_MAX);
	scp_sm_wipe(&sd);

	session(&oce);
	cmd = (struct scp_apdu){ .cla = 0x80, .ins = 0xd8 };
	FUZZ_ASSERT(!scp_sm_wrap_command(&oce, &cmd, apdu, sizeof(apdu),
					 &len));
	ret = scp_sm_unwrap_response(&oce, data, size, buf, &len, &sw);
	FUZZ_ASSERT(ret || len <= SCP_SM_DATA_MAX);
	scp_sm_wipe(&oce);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	request(data, size);
	result(data, size);
	secure_messaging(data, size);
	return 0;
}
