/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the HSE's reconcile at start does (hse_reconcile.h), decided apart
 * from doing it so that it is tested without a kernel or a keyring:
 *
 * hse_reconcile_row_ours() - whether a row of the store is one the plan
 *	is made of: this instance's own (its owner, roles.hse.instance) and
 *	of its device. Another instance's rows are never in a plan, even on
 *	a device of the same name: they are flows of another host's kernel,
 *	which this one's cannot show (issue 18: two gateways on one
 *	PostgreSQL). The store lists the owner's rows only; the owner is
 *	checked here again so that no listing can make a step of theirs.
 *
 * hse_reconcile_plan() - from the TEIDs of the device's rows and those of
 *	its kernel flows, a step for each TEID on one side only: a row
 *	without a flow (drop the row), a flow without a row (delete the
 *	flow); a TEID on both sides is counted as adopted. Both arrays are
 *	sorted in place and a TEID given twice counts once; the steps come
 *	in TEID order.
 *
 * hse_reconcile_plan_keys() - gives each step the keys described for its
 *	TEID, from one reading of the keyring: keys is sorted in place by
 *	TEID (then serial), and each step names its range in it. Keys of
 *	an adopted TEID, and keys of a TEID on neither side (another
 *	device's flow may be theirs: the keyring is shared), are in no
 *	step, so they stay.
 *
 * Sorting makes it n log n in the rows, flows and keys, and the keyring is
 * read once however many steps there are (it was read, and every key in
 * it described, for each step).
 */
#ifndef E2MD_HSE_RECONCILE_PLAN_H
#define E2MD_HSE_RECONCILE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hse_keyring.h"
#include "store/store.h"

enum hse_reconcile_op {
	HSE_RECONCILE_DROP_ROW,		/* a row without a kernel flow */
	HSE_RECONCILE_DELETE_FLOW,	/* a kernel flow without a row */
};

struct hse_reconcile_step {
	uint32_t teid;
	enum hse_reconcile_op op;
	size_t key, nkeys;		/* its keys: keys[key .. key + nkeys) */
};

struct hse_reconcile_plan {
	struct hse_reconcile_step *steps;
	size_t n;
	unsigned long adopted;		/* TEIDs with a row and a flow */
};

bool hse_reconcile_row_ours(const struct store_hse_flow *row,
			    const char *owner, const char *device);

/* 0, or -ENOMEM with *plan empty. */
int hse_reconcile_plan(uint32_t *rows, size_t nrows, uint32_t *flows,
		       size_t nflows, struct hse_reconcile_plan *plan);

void hse_reconcile_plan_keys(struct hse_reconcile_plan *plan,
			     struct hse_key_ref *keys, size_t nkeys);

void hse_reconcile_plan_free(struct hse_reconcile_plan *plan);

#endif /* E2MD_HSE_RECONCILE_PLAN_H */
