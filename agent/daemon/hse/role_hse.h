/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSE role of BEST (Documentation/best.md, "The HSE"): the gateway
 * end of e2m. It serves POST /e2m/v1/triplet (hse_triplet.h) on
 * hse.triplet-listen, pulls key sets from the HSS at hse.hss-url, keeps
 * their keys in the "e2m-hse" keyring and its flows on hse.device, an e2m
 * device in role hse, and follows the kernel's key events
 * (hse_events.h). At start it checks the device and reconciles its flows
 * with the store (hse_reconcile.h); a device that is missing or in
 * another role fails the start with event=start-failed.
 *
 * status counters: triplets, pulls, pulls-failed, pull-batches (requests
 * to /e2m/v1/keysets), installs, rekeys,
 * on-demand-pulls, aka-needed, events, and the listener's requests.
 */
#ifndef E2MD_ROLE_HSE_H
#define E2MD_ROLE_HSE_H

#include "daemon/roles.h"

extern const struct role_ops role_hse;

#endif /* E2MD_ROLE_HSE_H */
