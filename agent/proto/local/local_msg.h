/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The messages of the local interface between a remote / external device
 * and the UICC hosting device / MT (TS 33.259 4.5.2 steps 2-9 and 18;
 * the MT - external device paper, 8.3), e2m profile: the seeds name the
 * messages and their parameters, not an encoding. Each is one JSON object
 * in one frame (local_frame.h), members in this order, compact:
 *
 *	device -> MT
 *	{"type":"naf-id-list-request","id":N}			step 2
 *	{"type":"btid-request","id":N,"naf-id":FQDN,
 *	 "device-id":DEVICE_ID}					step 5
 *	{"type":"complete","id":N,"btid":B-TID,"naf-id":FQDN,
 *	 "device-id":DEVICE_ID}					step 18
 *	{"type":"rekey-watch","id":N,"naf-id":FQDN,
 *	 "device-id":DEVICE_ID}					seed 001 7.3
 *
 *	MT -> device
 *	{"type":"naf-id-list","id":N,"naf-ids":[FQDN,...]}	step 3
 *	{"type":"btid","id":N,"btid":B-TID,"naf-id":FQDN}	step 9
 *	{"type":"btid","id":N,"btid":B-TID,"naf-id":FQDN,
 *	 "key-id":K}						step 9
 *	{"type":"complete-ack","id":N}				after 18
 *	{"type":"rekey-request","id":N,"btid":B-TID,"naf-id":FQDN,
 *	 "device-id":DEVICE_ID,"reason":TOKEN}			seed 001 7.3
 *	{"type":"error","id":N,"error":TOKEN,"detail":TEXT}	any time
 *
 * rekey-watch asks the MT to answer, on this link and only when it comes
 * to that, that the key of (NAF-ID, Device_ID) must be established again:
 * rekey-request, with the watch's id, the B-TID of the key the MT holds
 * and why (reason: LOCAL_REKEY_MISMATCH, the key mismatch of seed 001
 * 7.3, or another LOCAL_REKEY_* token). Until then the watch has no
 * answer (the MT's caps and rules: daemon/mt/mt_watch.h).
 *
 * key-id (0..LOCAL_KEY_ID_MAX, optional) is where the MT bound the key
 * on its end of the device's local link (the flow's Key ID, the
 * BEARER of the link's protection): the device binds its copy at the
 * same Key ID, whatever its own flow holds, so that the two ends never
 * part (an MT without a flow for the device, or an older one, sends
 * none: the device then picks the Key ID from its own flow).
 *
 * id (0..LOCAL_ID_MAX) is the requester's, echoed in the answer; an error
 * about input whose id could not be read has none. A NAF-ID on this
 * interface is the NAF Key Centre's FQDN; the NAF_Id both ends derive
 * with is FQDN || FF 00 00 00 01 (PROFILE.md 5). naf-ids holds
 * 1..LOCAL_NAF_IDS_MAX FQDNs in the MT's order of preference (EF_NAFKCA's
 * order). Device_ID and B-TID are the store's (store_device_id_valid(),
 * store_btid_valid()); detail is optional, 1..LOCAL_DETAIL_MAX octets.
 *
 * Parsing: one JSON object, no member twice, unknown members ignored (a
 * later version may add some), every listed member required with its
 * type. Returns 0, or
 *
 *	-EBADMSG	not one JSON object		error "bad-json"
 *	-EOPNOTSUPP	a "type" this version lacks	error "unknown-type"
 *	-EINVAL		a member missing or wrong	error "bad-request"
 *
 * with a one-line why naming the member (never its value), and msg's id
 * (has_id) and type set when they could be read, for the error answer.
 */
#ifndef E2M_LOCAL_MSG_H
#define E2M_LOCAL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "local_frame.h"
#include "store/store.h"
#include "util/dns_name.h"

#define LOCAL_ID_MAX		4294967295u
#define LOCAL_NAF_IDS_MAX	8
#define LOCAL_ERROR_MAX		31	/* a token */
#define LOCAL_DETAIL_MAX	127
#define LOCAL_KEY_ID_MAX	7	/* E2M_KEY_ID_MAX: 3 bits */

/* The error tokens (Documentation/local-interface.md says when). */
#define LOCAL_ERR_BAD_FRAME	"bad-frame"	/* the link then ends */
#define LOCAL_ERR_BAD_JSON	"bad-json"
#define LOCAL_ERR_UNKNOWN_TYPE	"unknown-type"
#define LOCAL_ERR_BAD_REQUEST	"bad-request"
#define LOCAL_ERR_UNEXPECTED	"unexpected-message"
#define LOCAL_ERR_UNKNOWN_NAF	"unknown-naf-id"
#define LOCAL_ERR_UNKNOWN_KEY	"unknown-key"
#define LOCAL_ERR_BOOTSTRAP	"bootstrap-failed"
#define LOCAL_ERR_INTERNAL	"internal-error"
#define LOCAL_ERR_WATCHES	"too-many-watches"

/* Why the MT asks for a rekey (rekey-request's reason, a token). */
#define LOCAL_REKEY_MISMATCH	"key-mismatch"
#define LOCAL_REKEY_EXPIRED	"key-expired"	/* the MT's key expired */
#define LOCAL_REKEY_REVOKED	"key-revoked"	/* ... was revoked */
#define LOCAL_REKEY_OPERATOR	"operator"	/* asked on the admin socket */

enum local_type {
	LOCAL_NONE = 0,			/* not read */
	LOCAL_NAF_ID_LIST_REQUEST,
	LOCAL_NAF_ID_LIST,
	LOCAL_BTID_REQUEST,
	LOCAL_BTID,
	LOCAL_COMPLETE,
	LOCAL_COMPLETE_ACK,
	LOCAL_ERROR,
	LOCAL_REKEY_WATCH,
	LOCAL_REKEY_REQUEST,
};

struct local_msg {
	enum local_type type;
	bool has_id;			/* always, but in some errors */
	uint32_t id;
	/* naf_id: btid-request, btid, complete, rekey-watch,
	 * rekey-request; device_id: btid-request, complete, rekey-watch,
	 * rekey-request; btid: btid, complete, rekey-request. */
	char naf_id[DNS_NAME_MAX + 1];
	char device_id[STORE_DEVICE_ID_MAX + 1];
	char btid[STORE_BTID_MAX + 1];
	size_t n_naf_ids;			/* naf-id-list */
	char naf_ids[LOCAL_NAF_IDS_MAX][DNS_NAME_MAX + 1];
	char error[LOCAL_ERROR_MAX + 1];	/* error */
	char detail[LOCAL_DETAIL_MAX + 1];	/* error; "" for none */
	char reason[LOCAL_ERROR_MAX + 1];	/* rekey-request, a token */
	bool has_key_id;			/* btid: key-id given */
	uint8_t key_id;				/* btid: the MT's Key ID */
};

/* "btid-request" and the others; NULL for LOCAL_NONE or out of range. */
const char *local_type_name(enum local_type type);

/* The error token of a local_msg_parse() error. */
const char *local_msg_error_token(int err);

int local_msg_parse(const uint8_t *payload, size_t len,
		    struct local_msg *msg, char *why, size_t why_size);

/*
 * The whole frame (header and payload) of msg into out (size octets,
 * LOCAL_FRAME_BUFFER holds any): its length, or -EINVAL (msg breaks a
 * rule above; why says which), -EMSGSIZE (out too small), -ENOMEM.
 */
int local_msg_frame(const struct local_msg *msg, uint8_t *out, size_t size,
		    char *why, size_t why_size);

#endif /* E2M_LOCAL_MSG_H */
