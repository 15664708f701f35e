/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSS's admin commands, over the subscribers of the store (the
 * protocol is daemon/admin_cmd.h's):
 *
 *	subscriber-add	imsi, impi: strings; k: 32 hex digits; exactly one
 *			of opc and op: 32 hex digits; amf: 4 hex digits
 *			("0000"); flags: ["e2m", "gba-u"] ([]); ind-bits:
 *			0..5 (5); uss: the USS array of store.h ([])
 *			-> "subscriber": the new subscriber, as in the list
 *	subscriber-list	-> "subscribers": [{imsi, impi, amf, flags,
 *			   ind-bits, seq, next-ind, uss}...]; never K or OPc
 *	subscriber-remove  id: an IMSI or an IMPI
 *
 * seq is SEQ_HE, the SEQ of the last vector handed out; next-ind the IND
 * the next one gets (aka/sqn.h).
 */
#ifndef E2MD_HSS_ADMIN_H
#define E2MD_HSS_ADMIN_H

#include "daemon/roles.h"

/* Ended by a row whose name is NULL. */
extern const struct role_admin_command hss_admin_commands[];

#endif /* E2MD_HSS_ADMIN_H */
