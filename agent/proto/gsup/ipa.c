// SPDX-License-Identifier: GPL-2.0
/*
 * The IPA multiplex, see ipa.h.
 */
#include <errno.h>
#include <string.h>

#include "ipa.h"

int ipa_frame_next(const uint8_t *buf, size_t len, struct ipa_frame *frame)
{
	size_t payload;

	if (len < IPA_HEADER_LEN)
		return 0;
	payload = (size_t)buf[0] << 8 | buf[1];
	if (len < IPA_HEADER_LEN + payload)
		return 0;
	memset(frame, 0, sizeof(*frame));
	frame->proto = buf[2];
	frame->body = buf + IPA_HEADER_LEN;
	frame->body_len = payload;
	if (frame->proto == IPA_PROTO_CCM || frame->proto == IPA_PROTO_OSMO) {
		/* These two always name what follows. */
		if (!payload)
			return -EBADMSG;
		frame->kind = frame->body[0];
		frame->body++;
		frame->body_len--;
	}
	return (int)(IPA_HEADER_LEN + payload);
}

size_t ipa_ccm_build(uint8_t out[4], uint8_t type)
{
	out[0] = 0;
	out[1] = 1;
	out[2] = IPA_PROTO_CCM;
	out[3] = type;
	return 4;
}

/* One identity element: LEN (tag and value) || TAG || VALUE with its NUL. */
static size_t put_id(uint8_t *out, uint8_t tag, const char *value,
		     size_t value_len)
{
	size_t n = value_len + 1;

	out[0] = (uint8_t)((n + 1) >> 8);
	out[1] = (uint8_t)(n + 1);
	out[2] = tag;
	memcpy(out + 3, value, value_len);
	out[3 + value_len] = '\0';
	return 3 + n;
}

int ipa_id_resp_build(uint8_t *out, size_t size, const char *unit_name)
{
	size_t name_len = strlen(unit_name);
	size_t unit_len = strlen(IPA_UNIT_ID);
	size_t payload = 1 + 2 * (3 + name_len + 1) + 3 + unit_len + 1, n;

	if (!name_len || name_len > IPA_UNIT_NAME_MAX)
		return -EINVAL;
	if (size < IPA_HEADER_LEN + payload)
		return -ENOSPC;
	out[0] = (uint8_t)(payload >> 8);
	out[1] = (uint8_t)payload;
	out[2] = IPA_PROTO_CCM;
	out[3] = IPA_CCM_ID_RESP;
	n = 4;
	n += put_id(out + n, IPA_IDTAG_SERNR, unit_name, name_len);
	n += put_id(out + n, IPA_IDTAG_UNITNAME, unit_name, name_len);
	n += put_id(out + n, IPA_IDTAG_UNIT, IPA_UNIT_ID, unit_len);
	return (int)n;
}

int ipa_gsup_header(uint8_t out[4], size_t gsup_len)
{
	size_t payload = gsup_len + 1;

	if (payload > IPA_PAYLOAD_MAX)
		return -EMSGSIZE;
	out[0] = (uint8_t)(payload >> 8);
	out[1] = (uint8_t)payload;
	out[2] = IPA_PROTO_OSMO;
	out[3] = IPA_EXT_GSUP;
	return 4;
}
