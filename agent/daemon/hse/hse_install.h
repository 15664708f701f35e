/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pulled key set into the HSE's kernel (Documentation/best.md, "The
 * HSE"): the e2mkeyset key into the "e2m-hse" keyring, then what
 * hse_plan_install() says to the flow of the row's TEID on the device:
 * create it, rekey it (tx-on-rx), or bind in place of its dead slot.
 * Nothing is left half done: a failure revokes and unlinks the key and
 * deletes a flow made on the way. hse_install_undo() takes back a
 * success, for a caller that fails after it (the store).
 */
#ifndef E2MD_HSE_INSTALL_H
#define E2MD_HSE_INSTALL_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/best/keyset_msg.h"
#include "hse.h"
#include "kernel/e2m_flow.h"
#include "store/store.h"

enum hse_install_kind {
	HSE_INSTALL_CREATED,		/* a new flow with its first key */
	HSE_INSTALL_REKEYED,		/* a new key set, tx on rx */
	HSE_INSTALL_REBOUND,		/* in place of the dead slot */
	HSE_INSTALL_ALREADY,		/* that key set is live: nothing done */
};

struct hse_installed {
	enum hse_install_kind kind;
	key_serial_t serial;		/* the key added; 0 for ALREADY */
	uint8_t key_id;
	bool endpoint_set;		/* FLOW_SET done: endpoint_was holds */
	struct e2m_flow endpoint_was;	/* the flow before it */
};

/*
 * What the caller knows of the key set's run (hse_plan.h says what each
 * allows). An event pulls the flow's own run again: SAME_RUN, which binds
 * only in place of the dead slot of the KSI, the one that carries COUNT
 * on; without it the key set's COUNT position is lost and binding it
 * again would send a COUNT twice (-ESTALE).
 */
enum hse_install_mode {
	/* A triplet of an AKA run newer than the flow's. */
	HSE_INSTALL_NEW_RUN,
	/* The flow's own run again (a triplet repeated, or an event). */
	HSE_INSTALL_SAME_RUN,
	/*
	 * A triplet for a TEID the store has no row of (committed: the
	 * caller commits a waiting one first). Its kernel flow is then gone
	 * too, but for a crash's leftover that reconciliation has not seen
	 * or an undo that failed, so FLOW_NEW goes first, without reading
	 * the flow (a netlink round trip a triplet in three); where it says
	 * -EEXIST the flow is read and planned as under NEW_RUN, which
	 * refuses or installs exactly as if it had been read first.
	 */
	HSE_INSTALL_NO_ROW,
};

/*
 * Installs ks for row (its TEID, KSI and UE addresses; a flow whose
 * endpoint differs is changed to the row's, and set back on a failure).
 * 0 and *done, or a negative errno with why (the kernel's extack when it
 * said one): -EKEYEXPIRED when the slot of the KSI has used its COUNT up,
 * -EBUSY when a new run's KSI names the slot that transmits, -ESTALE
 * (above, and hse_plan.h).
 */
int hse_install(struct hse *hse, const struct store_hse_flow *row,
		const struct keyset_response *ks, enum hse_install_mode mode,
		struct hse_installed *done, char *why, size_t why_size);

/*
 * Takes back what hse_install() did: the flow's endpoint as it was, the
 * key bound; a slot it unbound stays unbound.
 */
void hse_install_undo(struct hse *hse, const struct store_hse_flow *row,
		      const struct hse_installed *done);

#endif /* E2MD_HSE_INSTALL_H */
