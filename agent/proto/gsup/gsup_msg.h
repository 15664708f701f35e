/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GSUP messages the BSF exchanges with an HLR (Osmocom's Generic
 * Subscriber Update Protocol, carried in IPA frames, ipa.h): a
 * SendAuthInfo request, and its result or error.
 *
 *	message	= TYPE (1 octet) || IE*
 *	IE	= IEI (1) || LEN (1) || LEN octets
 *
 * Types used: 0x08 SendAuthInfo request, 0x09 its error, 0x0a its result.
 * IEs used:
 *
 *	0x01 IMSI	BCD digits, first digit in the low nibble, 0xf filling
 *			the high nibble of the last octet of an odd count
 *	0x02 cause	one octet, a GMM cause (TS 24.008 10.5.5.14)
 *	0x03 auth tuple	nested IEs: 0x20 RAND (16), 0x21 SRES (4), 0x22 Kc
 *			(8), 0x23 IK (16), 0x24 CK (16), 0x25 AUTN (16), 0x27
 *			RES (4..16)
 *	0x20 RAND, 0x26 AUTS (14)  at the top of a request: resynchronise
 *	0x52 number of vectors wanted (one octet); the BSF asks for one
 *
 * Every other IE is skipped, in a tuple too (GSUP is extended by adding
 * IEs). The parser refuses a message whose IEs overrun it, an IE of the
 * wrong length, the IMSI, the cause or a tuple's member twice, and a
 * message with no valid IMSI; it keeps the first tuple that is a UMTS
 * vector (RAND, AUTN, CK, IK and RES all there) and counts the rest.
 * GSM triplets and everything else GSUP carries (location updates,
 * subscriber data, SMS, USSD, handover) are of no use to a BSF.
 */
#ifndef E2M_GSUP_MSG_H
#define E2M_GSUP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GSUP_MSGT_SAI_REQUEST	0x08
#define GSUP_MSGT_SAI_ERROR	0x09
#define GSUP_MSGT_SAI_RESULT	0x0a

#define GSUP_IE_IMSI		0x01
#define GSUP_IE_CAUSE		0x02
#define GSUP_IE_AUTH_TUPLE	0x03
#define GSUP_IE_RAND		0x20
#define GSUP_IE_SRES		0x21
#define GSUP_IE_KC		0x22
#define GSUP_IE_IK		0x23
#define GSUP_IE_CK		0x24
#define GSUP_IE_AUTN		0x25
#define GSUP_IE_AUTS		0x26
#define GSUP_IE_RES		0x27
#define GSUP_IE_NUM_VECTORS	0x52

/* GMM causes an HLR answers SendAuthInfo with. */
#define GSUP_CAUSE_IMSI_UNKNOWN	0x02
#define GSUP_CAUSE_NET_FAIL	0x11
#define GSUP_CAUSE_MAC_FAIL	0x14
#define GSUP_CAUSE_SYNC_FAIL	0x15

#define GSUP_IMSI_MIN		5
#define GSUP_IMSI_MAX		15	/* digits */
#define GSUP_RAND_LEN		16
#define GSUP_AUTN_LEN		16
#define GSUP_AUTS_LEN		14
#define GSUP_KEY_LEN		16	/* CK, IK */
#define GSUP_RES_MIN		4
#define GSUP_RES_MAX		16
/* The longest request gsup_sai_request_build() makes. */
#define GSUP_SAI_REQUEST_MAX	(1 + 2 + 8 + 2 + GSUP_RAND_LEN + 2 + \
				 GSUP_AUTS_LEN + 3)

struct gsup_sai_request {
	char imsi[GSUP_IMSI_MAX + 1];
	bool resync;			/* rand and auts are set */
	uint8_t rand[GSUP_RAND_LEN];
	uint8_t auts[GSUP_AUTS_LEN];
};

/* A UMTS vector; ck, ik and res are secrets. */
struct gsup_vector {
	uint8_t rand[GSUP_RAND_LEN];
	uint8_t autn[GSUP_AUTN_LEN];
	uint8_t ck[GSUP_KEY_LEN];
	uint8_t ik[GSUP_KEY_LEN];
	uint8_t res[GSUP_RES_MAX];
	size_t res_len;
};

struct gsup_message {
	uint8_t type;
	char imsi[GSUP_IMSI_MAX + 1];
	bool has_cause;
	uint8_t cause;
	unsigned int tuples;		/* auth tuples in the message */
	bool has_vector;		/* one of them a UMTS vector */
	struct gsup_vector vector;	/* the first such */
};

/* Whether imsi is GSUP_IMSI_MIN to GSUP_IMSI_MAX decimal digits. */
bool gsup_imsi_valid(const char *imsi);

/*
 * The SendAuthInfo request for req into out: its length, or -EINVAL for
 * an invalid IMSI, -ENOSPC when out is too small.
 */
int gsup_sai_request_build(const struct gsup_sai_request *req, uint8_t *out,
			   size_t size);

/*
 * One GSUP message (without the IPA headers) into *msg: 0, or -EBADMSG
 * with why (UB_WHY_MAX is enough). *msg holds secrets: gsup_message_wipe().
 */
int gsup_message_parse(const uint8_t *buf, size_t len,
		       struct gsup_message *msg, char *why, size_t why_size);

void gsup_message_wipe(struct gsup_message *msg);

#endif /* E2M_GSUP_MSG_H */
