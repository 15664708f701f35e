/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IPA multiplex that carries GSUP over TCP (Osmocom's use of the
 * ip.access framing, as osmo-hlr speaks it):
 *
 *	LEN (2 octets, big-endian) || PROTO (1) || LEN octets of payload
 *
 * PROTO 0xfe is IPA's own connection management (CCM): the payload's
 * first octet is the message type (PING, PONG, ID_GET, ID_RESP, ID_ACK,
 * ...). PROTO 0xee is Osmocom's extension: the payload's first octet
 * names the protocol (0x05 GSUP) and the rest is that protocol's message.
 *
 * The server opens with ID_GET; the client answers ID_RESP with its
 * identity, each element LEN (2, counting TAG and VALUE) || TAG (1) ||
 * VALUE (a NUL-terminated string), and may send GSUP from then on:
 * osmo-hlr 1.5 sends no ID_ACK (a server that does gets ID_ACK back).
 * osmo-hlr refuses an ID_RESP without a unit id ("SITE/BTS/TRX", 0/0/0
 * for a unit that is none of those), routes by the serial number (SERNR)
 * and gives each distinct one its own IND (TS 33.102 C.1.2); the BSF
 * sends its name as both SERNR and UNITNAME.
 *
 * Nothing here allocates; the parser reads only the octets it is given.
 */
#ifndef E2M_GSUP_IPA_H
#define E2M_GSUP_IPA_H

#include <stddef.h>
#include <stdint.h>

#define IPA_HEADER_LEN		3
#define IPA_PAYLOAD_MAX		0xffff

#define IPA_PROTO_CCM		0xfe
#define IPA_PROTO_OSMO		0xee
#define IPA_EXT_GSUP		0x05

#define IPA_CCM_PING		0x00
#define IPA_CCM_PONG		0x01
#define IPA_CCM_ID_GET		0x04
#define IPA_CCM_ID_RESP		0x05
#define IPA_CCM_ID_ACK		0x06
#define IPA_CCM_ID_NACK		0x07

#define IPA_IDTAG_SERNR		0x00
#define IPA_IDTAG_UNITNAME	0x01
#define IPA_IDTAG_UNIT		0x08
#define IPA_UNIT_ID		"0/0/0"

/* The longest unit name ipa_id_resp_build() takes. */
#define IPA_UNIT_NAME_MAX	255

/*
 * One frame: proto, and for IPA_PROTO_CCM and IPA_PROTO_OSMO the first
 * octet of the payload in kind; body is the rest of the payload.
 */
struct ipa_frame {
	uint8_t proto;
	uint8_t kind;
	const uint8_t *body;
	size_t body_len;
};

/*
 * The first frame of buf: its size (header and payload) with *frame
 * filled, 0 when buf does not hold all of it yet, or -EBADMSG when a CCM
 * or Osmocom frame has an empty payload.
 */
int ipa_frame_next(const uint8_t *buf, size_t len, struct ipa_frame *frame);

/* A CCM message without body (PING, PONG, ID_ACK): its length, 4. */
size_t ipa_ccm_build(uint8_t out[4], uint8_t type);

/*
 * ID_RESP naming the unit (SERNR and UNITNAME both unit_name, UNIT
 * IPA_UNIT_ID): its length,
 * or -EINVAL for a name empty or over IPA_UNIT_NAME_MAX, -ENOSPC when out
 * is too small.
 */
int ipa_id_resp_build(uint8_t *out, size_t size, const char *unit_name);

/*
 * The header of a GSUP message of gsup_len octets (the Osmocom header and
 * the GSUP extension octet), in front of it: 4 octets; -EMSGSIZE when
 * gsup_len does not fit one frame.
 */
int ipa_gsup_header(uint8_t out[4], size_t gsup_len);

#endif /* E2M_GSUP_IPA_H */
