// SPDX-License-Identifier: GPL-2.0
/*
 * GTP-U header parsing and building. Pure functions over a buffer, so the
 * self-tests can feed them every malformed header there is.
 */
#include <linux/errno.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "compat.h"
#include "gtpu.h"

/*
 * Parses the GTP-U message of @len octets of UDP payload, the first
 * @linear (at most @len) of which are at @data. Returns 0 and fills @info,
 * -EINVAL if the header is malformed or claims more than @len, or -ENODATA
 * if it runs past @linear (the caller may make more linear and ask again).
 * Extension headers are walked and skipped: each is a length
 * octet (in units of 4 octets, never 0), its content, and the type of the
 * next one (0 for none) in its last octet.
 */
int e2m_gtpu_parse(const u8 *data, unsigned int len, unsigned int linear,
		   struct e2m_gtpu_info *info)
{
	const struct e2m_gtpu_hdr *hdr = (const void *)data;
	unsigned int off = sizeof(*hdr);
	u8 next;

	if (len < sizeof(*hdr))
		return -EINVAL;
	if (linear < sizeof(*hdr))
		return -ENODATA;
	if ((hdr->flags & 0xf0) != (E2M_GTPU_V1 | E2M_GTPU_PT))
		return -EINVAL;
	info->type = hdr->type;
	info->teid = get_unaligned_be32(&hdr->teid);
	info->msg_len = sizeof(*hdr) + get_unaligned_be16(&hdr->length);
	if (info->msg_len > len)
		return -EINVAL;

	if (hdr->flags & (E2M_GTPU_E | E2M_GTPU_S | E2M_GTPU_PN)) {
		if (info->msg_len < off + E2M_GTPU_OPT_LEN)
			return -EINVAL;
		if (linear < off + E2M_GTPU_OPT_LEN)
			return -ENODATA;
		next = (hdr->flags & E2M_GTPU_E) ? data[off + 3] : 0;
		off += E2M_GTPU_OPT_LEN;
		while (next) {
			unsigned int ext_len;

			if (off >= info->msg_len)
				return -EINVAL;
			if (off >= linear)
				return -ENODATA;
			ext_len = data[off] * 4;
			if (!ext_len || off + ext_len > info->msg_len)
				return -EINVAL;
			if (off + ext_len > linear)
				return -ENODATA;
			next = data[off + ext_len - 1];
			off += ext_len;
		}
	}
	info->hdr_len = off;
	return 0;
}

/* A G-PDU header without options for a T-PDU of @payload_len octets. */
void e2m_gtpu_build(struct e2m_gtpu_hdr *hdr, u32 teid, unsigned int payload_len)
{
	hdr->flags = E2M_GTPU_V1 | E2M_GTPU_PT;
	hdr->type = E2M_GTPU_TYPE_GPDU;
	put_unaligned_be16(payload_len, &hdr->length);
	put_unaligned_be32(teid, &hdr->teid);
}
