/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The network side's keys handed to an application (a CSE that runs
 * its own (D)TLS), roles.maf.handoff: { uid: N, gid: N }. Each Km (or,
 * as: enrolee-b, Kpsa) the role keeps (km-fetch, a handshake's pull, a
 * restart with live rows) is also a "user" key described
 *
 *	onem2m:<Km-Id or Kpsa-Id>
 *
 * in the persistent keyring of uid, the description the Enrolee's e2mctl
 * onem2m handoff gives its own, made as kernel/user_key_handoff.h says
 * (the uid's own key, 0x0b0b0000, e2md needing CAP_SETUID and
 * CAP_SETGID). Its timeout is the row's expiry, so the purge of expired
 * rows has nothing to do in the keyring. A key a row no longer holds
 * otherwise (another Km-Id replaced it, km-remove) is invalidated.
 *
 * The uid the live keys were handed to is recorded in the store
 * (store_onem2m_handoff_get()): a start under another uid, or without
 * handoff, first invalidates them in the old uid's keyring, then records
 * the new one (a take that failed keeps the old record, so that the
 * next start tries again).
 *
 * The uid's persistent keyring expires with every key in it after
 * persistent_keyring_expiry seconds (3 days) without a get_persistent:
 * the purge timer renews it at start, then every
 * MAF_HANDOFF_RENEW_SECONDS, or half that expiry when shorter (one child
 * then, nothing per request; an expiry under two of the timer's
 * MAF_PURGE_SECONDS cannot be kept). Logged event=keyring-renewed,
 * counted keyring-renewals; one that fails is logged and counted as a
 * hand-off that fails, and tried again a period later.
 *
 * The store stays the reference: a hand-off that fails (no such uid's
 * keyring, quota, no capability) is logged (event=handoff-failed, with
 * the step and errno), counted (status: handoff-failed), and the row
 * kept and served. Key bytes never reach the log; the child's copy and
 * the parent's are wiped.
 */
#ifndef E2MD_MAF_HANDOFF_H
#define E2MD_MAF_HANDOFF_H

#include <stdint.h>

#include "role_maf.h"

#define MAF_HANDOFF_DESC_PREFIX	"onem2m:"
#define MAF_HANDOFF_RENEW_SECONDS	3600

/* Hands km (live at now, its id set) to the uid; none without handoff. */
void maf_handoff_give(struct maf *maf, const struct store_onem2m_km *km,
		      int64_t now);

/* Invalidates the key of key_id in the uid's keyring, if there. */
void maf_handoff_take(struct maf *maf, const char *key_id);

/*
 * The id of the row a put of info would replace under another id (the
 * same KeId and Enrolee-ID), into gone; "" when none or without handoff.
 */
void maf_handoff_replaced(struct maf *maf,
			  const struct store_onem2m_km_info *info,
			  char *gone, size_t size);

/*
 * At start: the keys handed to a previous uid taken back (the store's
 * record), then every live row handed again (the keyring may be new).
 */
void maf_handoff_restore(struct maf *maf);

/* On the purge timer: the uid's persistent keyring renewed when due. */
void maf_handoff_renew(struct maf *maf, int64_t now);

#endif /* E2MD_MAF_HANDOFF_H */
