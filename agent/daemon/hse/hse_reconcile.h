/* SPDX-License-Identifier: GPL-2.0 */
/*
 * At start, the HSE makes the kernel's flows on its device and the
 * store's rows (hse_flows) agree (Documentation/best.md, "The HSE"):
 *
 *	a flow in both		adopted: traffic and COUNT go on
 *	a kernel flow only	deleted (nobody can pull its key set again)
 *	a row only		dropped, logged aka-needed: its COUNT position
 *				is lost, its key set must not be used again
 *
 * Rows of other devices are left alone. Logs event=reconciled with the
 * three numbers.
 */
#ifndef E2MD_HSE_RECONCILE_H
#define E2MD_HSE_RECONCILE_H

#include "hse.h"

/* 0, or a negative errno after logging why. */
int hse_reconcile(struct hse *hse);

#endif /* E2MD_HSE_RECONCILE_H */
