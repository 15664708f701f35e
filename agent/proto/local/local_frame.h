/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The framing of the local interface between a remote / external device
 * and the UICC hosting device / MT (TS 33.259 4.5.2 steps 2-9 and 18,
 * Documentation/local-interface.md), e2m profile: any ordered octet
 * stream carries it (TCP, a serial line, an RFCOMM or USB CDC channel):
 *
 *	length	2 octets, big-endian: the payload's length, 1..LOCAL_FRAME_MAX
 *	payload	that many octets: one UTF-8 JSON object (local_msg.h)
 *
 * A length of 0 or above LOCAL_FRAME_MAX cannot be told from line noise
 * and a stream has no marker to find the next frame by, so it ends the
 * link (the MT answers "bad-frame" first); anything wrong inside a frame
 * whose length is good is answered and the link goes on.
 *
 * No I/O here: the caller buffers what it read and asks whether a whole
 * frame is there yet, which is how partial reads are handled.
 */
#ifndef E2M_LOCAL_FRAME_H
#define E2M_LOCAL_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define LOCAL_FRAME_HEADER	2
#define LOCAL_FRAME_MAX		4096	/* payload octets */
#define LOCAL_FRAME_BUFFER	(LOCAL_FRAME_HEADER + LOCAL_FRAME_MAX)

enum local_frame_status {
	LOCAL_FRAME_PARTIAL = 0,	/* read on: no whole frame yet */
	LOCAL_FRAME_READY = 1,		/* a whole frame at buf */
	LOCAL_FRAME_BAD_LENGTH = -1,	/* 0 or too long: end the link */
};

/*
 * Looks at the len octets buffered at buf (len may be 0). READY sets
 * *payload_len; the frame is LOCAL_FRAME_HEADER + *payload_len octets
 * and its payload starts at buf + LOCAL_FRAME_HEADER. PARTIAL and
 * BAD_LENGTH set it to 0.
 */
enum local_frame_status local_frame_peek(const uint8_t *buf, size_t len,
					 size_t *payload_len);

/*
 * Writes the header of a payload of payload_len octets into out:
 * 0, or -EMSGSIZE when payload_len is 0 or above LOCAL_FRAME_MAX.
 */
int local_frame_header(uint8_t out[LOCAL_FRAME_HEADER], size_t payload_len);

#endif /* E2M_LOCAL_FRAME_H */
