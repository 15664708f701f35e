/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_KS_LINK_H
#define _E2M_KS_LINK_H

#include <linux/types.h>
#include <linux/e2m.h>

/*
 * The keys of a local link protected with a ks_local key (e2m profile,
 * uapi E2M_KS_LINK_FC): K_enc and K_int for algorithm @alg, derived from
 * the 256-bit Ks_local with the kernel's hmac(sha256). May sleep: it
 * allocates the transform (and may load its module). Returns 0 or a
 * negative errno; on error @k_enc and @k_int are zero.
 */
int e2m_ks_link_derive(const u8 *ks_local, u8 alg, u8 *k_enc, u8 *k_int);

#endif /* _E2M_KS_LINK_H */
