// SPDX-License-Identifier: GPL-2.0
/*
 * The local interface's framing, see local_frame.h.
 */
#include <errno.h>

#include "local_frame.h"

enum local_frame_status local_frame_peek(const uint8_t *buf, size_t len,
					 size_t *payload_len)
{
	size_t n;

	*payload_len = 0;
	if (len < LOCAL_FRAME_HEADER)
		return LOCAL_FRAME_PARTIAL;
	n = (size_t)buf[0] << 8 | buf[1];
	if (!n || n > LOCAL_FRAME_MAX)
		return LOCAL_FRAME_BAD_LENGTH;
	if (len - LOCAL_FRAME_HEADER < n)
		return LOCAL_FRAME_PARTIAL;
	*payload_len = n;
	return LOCAL_FRAME_READY;
}

int local_frame_header(uint8_t out[LOCAL_FRAME_HEADER], size_t payload_len)
{
	if (!payload_len || payload_len > LOCAL_FRAME_MAX)
		return -EMSGSIZE;
	out[0] = (uint8_t)(payload_len >> 8);
	out[1] = (uint8_t)payload_len;
	return 0;
}
