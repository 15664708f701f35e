/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_GTPU_H
#define _E2M_GTPU_H

#include <linux/bits.h>
#include <linux/types.h>

/* GTP-U version 1 (TS 29.281), as far as e2m needs it. */
struct e2m_gtpu_hdr {
	u8 flags;
	u8 type;
	__be16 length;	/* octets after this 8-octet header */
	__be32 teid;
} __packed;

#define E2M_GTPU_V1		0x20	/* version 1 in bits 7-5 */
#define E2M_GTPU_PT		0x10	/* protocol type GTP (not GTP') */
#define E2M_GTPU_E		0x04	/* extension header follows */
#define E2M_GTPU_S		0x02	/* sequence number present */
#define E2M_GTPU_PN		0x01	/* N-PDU number present */
#define E2M_GTPU_OPT_LEN	4	/* seq (2), N-PDU number, next ext type */
#define E2M_GTPU_TYPE_GPDU	255

struct e2m_gtpu_info {
	u8 type;
	u32 teid;
	unsigned int hdr_len;	/* incl. options and extension headers */
	unsigned int msg_len;	/* the whole message, 8 + length field */
};

int e2m_gtpu_parse(const u8 *data, unsigned int len, unsigned int linear,
		   struct e2m_gtpu_info *info);
void e2m_gtpu_build(struct e2m_gtpu_hdr *hdr, u32 teid, unsigned int payload_len);

/*
 * The e2m header in front of every protected N-PDU (packet-format.md):
 * version 1, UP/CP = 1 (user plane), RFU 0, Key ID; then COUNT.
 */
#define E2M_PDU_HDR_LEN		5
#define E2M_PDU_MAC_LEN		4
#define E2M_PDU_OVERHEAD	(E2M_PDU_HDR_LEN + E2M_PDU_MAC_LEN)
#define E2M_PDU_VERSION		BIT(6)
#define E2M_PDU_UP		BIT(5)
#define E2M_PDU_FIXED_MASK	0xf8	/* version, UP/CP, RFU */
#define E2M_PDU_KEY_ID_MASK	0x07

#endif /* _E2M_GTPU_H */
