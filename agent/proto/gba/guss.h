/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GBA User Security Settings as they travel on Zh (e2m profile): the
 * HSS wraps a subscriber's USS (store.h's JSON array, one object per NAF)
 * into the GUSS object
 *
 *	{"uss-list": [{"naf": "naf1.home1.net", "flags": [1, 2]}, ...]}
 *
 * and the BSF takes the array out again to keep it with the bootstrap
 * session, where store_uss_find() picks a NAF's entry for Zn. An empty
 * USS travels as null: no GUSS at all.
 *
 * Texts here are NUL-terminated; "" stands for null on both sides.
 * Functions return 0, -EINVAL (with a one-line why where they take one),
 * -ENOSPC (out too small) or -ENOMEM; out is "" on error.
 */
#ifndef E2M_UB_GUSS_H
#define E2M_UB_GUSS_H

#include <stddef.h>

#define GUSS_USS_LIST	"uss-list"

/* The GUSS of a USS: "" for "[]" (or ""), else {"uss-list": USS}. */
int guss_from_uss(const char *uss, char *out, size_t size);

/*
 * The USS of a GUSS as zh_msg.h hands it over ("" for null): the
 * "uss-list" member, which must be a USS store_uss_check() accepts;
 * other members of the GUSS are ignored. "" for "" and for an empty list.
 */
int guss_to_uss(const char *guss, char *out, size_t size, char *why,
		size_t why_size);

#endif /* E2M_UB_GUSS_H */
