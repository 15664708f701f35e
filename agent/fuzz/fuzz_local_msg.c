// SPDX-License-Identifier: GPL-2.0
/*
 * The local interface on arbitrary octets, as the MT reads them off a
 * link: frames cut by local_frame_peek() until the input ends or a bad
 * length would end the link; each payload parsed, and what parses must
 * build to a frame that parses back the same.
 */
#include "fuzz.h"
#include "proto/local/local_msg.h"

static void message(const uint8_t *payload, size_t len)
{
	static uint8_t frame[LOCAL_FRAME_BUFFER];
	struct local_msg msg, back;
	size_t n;
	int built;

	if (local_msg_parse(payload, len, &msg, NULL, 0))
		return;
	FUZZ_ASSERT(msg.type != LOCAL_NONE && local_type_name(msg.type));
	FUZZ_ASSERT(msg.has_id || msg.type == LOCAL_ERROR);
	built = local_msg_frame(&msg, frame, sizeof(frame), NULL, 0);
	FUZZ_ASSERT(built > LOCAL_FRAME_HEADER);
	FUZZ_ASSERT(local_frame_peek(frame, (size_t)built, &n) ==
		    LOCAL_FRAME_READY &&
		    n + LOCAL_FRAME_HEADER == (size_t)built);
	FUZZ_ASSERT(!local_msg_parse(frame + LOCAL_FRAME_HEADER, n, &back,
				     NULL, 0));
	FUZZ_ASSERT(!memcmp(&msg, &back, sizeof(msg)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;

	while (local_frame_peek(data, size, &len) == LOCAL_FRAME_READY) {
		FUZZ_ASSERT(len >= 1 && len <= LOCAL_FRAME_MAX &&
			    LOCAL_FRAME_HEADER + len <= size);
		message(data + LOCAL_FRAME_HEADER, len);
		data += LOCAL_FRAME_HEADER + len;
		size -= LOCAL_FRAME_HEADER + len;
	}
	return 0;
}
