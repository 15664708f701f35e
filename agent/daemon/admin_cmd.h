/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The admin commands (the protocol is admin.h's). Each request is an
 * object with "command" and the command's members; an unknown member is
 * an error. Each answer has "ok": true and the command's members, or
 * "ok": false and "error", a one-line message.
 *
 *	subscriber-add	imsi, impi: strings; k: 32 hex digits; exactly one
 *			of opc and op: 32 hex digits; amf: 4 hex digits
 *			("0000"); flags: ["e2m", "gba-u"] ([]); ind-bits:
 *			0..5 (5); uss: the USS array of store.h ([])
 *			-> "subscriber": the new subscriber, as in the list
 *	subscriber-list	-> "subscribers": [{imsi, impi, amf, flags,
 *			   ind-bits, seq, next-ind, uss}...]; never K or OPc
 *	subscriber-remove  id: an IMSI or an IMPI
 *	session-list	-> "sessions": [{btid, impi, created, expires}...],
 *			   times as "YYYY-MM-DDThh:mm:ssZ"; never Ks
 *	status		-> version, pid, uptime (seconds), log-level, admin,
 *			   roles: [{name, listen: {name: address}, counters}],
 *			   subscribers and sessions (counts, with a store)
 *
 * seq is SEQ_HE, the SEQ of the last vector handed out; next-ind the IND
 * the next one gets (aka/sqn.h).
 */
#ifndef E2MD_ADMIN_CMD_H
#define E2MD_ADMIN_CMD_H

#include <jansson.h>

/* An admin_handler; arg is the struct daemon. */
json_t *admin_cmd_handle(json_t *request, void *arg);

#endif /* E2MD_ADMIN_CMD_H */
