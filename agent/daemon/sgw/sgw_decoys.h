/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the SGW needs to answer an IMSI the HSS does not know as it
 * answers a known one (sgw_attach.h): a decoy challenge whose RAND and
 * AUTN look like a vector's, and a KSI that moves on each attach of that
 * IMSI as a real one's does.
 *
 * Both come from a random secret made at sgw_decoys_new() (32 octets in
 * secure memory, util/secure_alloc.h, never out of the process):
 *
 *	RAND || AUTN	aka/decoy.h (as the BSF's): HMAC-SHA-256(secret,
 *			IMSI || NUL || time || number), the AUTN's AMF set
 *			to the one real AUTNs carry; no one without the
 *			secret tells it from a vector, and no RES answers it
 *	slot, tag	HMAC-SHA-256(secret, "k" || IMSI || NUL), an input
 *			no vector's has (an IMSI starts with a digit): a slot of a
 *			fixed table of slots (a power of two) and a 64-bit
 *			tag of the IMSI in it, holding its last KSI
 *	first KSI	from the same MAC, 0 to 6: what an IMSI not in its
 *			slot starts from (a real IMSI's KSI is whatever its
 *			attaches made it, so a fixed 0 would set decoys
 *			apart)
 *
 * The next KSI of an IMSI in its slot is its last + 1 mod 7, as
 * sgw_ues.h has it for a real one. An IMSI not in its slot takes the slot
 * over at its first KSI. So the table is bounded (slots * 16 octets) and
 * keeps nothing an outsider can use:
 *	- which slot an IMSI has is the secret's: a prober cannot pick IMSIs
 *	  that push a given one out, only flood; to push out one IMSI with
 *	  a good chance it takes several times as many attaches of unknown
 *	  IMSIs as there are slots (each a round trip to the HSS);
 *	- pushed out, or after a restart (a new secret), an IMSI's decoy KSI
 *	  starts again from a first KSI the prober cannot predict: a jump
 *	  where a real IMSI's would go on by 1 (the one thing a prober who
 *	  floods, or who sees the SGW restart, can learn: 6 times in 7 the
 *	  jump shows, written down in Documentation/e2md.md);
 *	- the table holds no IMSI, only tags, and is never written to disk.
 */
#ifndef E2MD_SGW_DECOYS_H
#define E2MD_SGW_DECOYS_H

#include <stddef.h>
#include <stdint.h>

#include "aka/aka.h"

#define SGW_DECOY_KSI_SLOTS	65536	/* a power of two; 1 MiB */

struct sgw_decoys;

/* slots a power of two: 0, or -ENOMEM, -EINVAL, -EIO (no randomness). */
int sgw_decoys_new(struct sgw_decoys **decoys, size_t slots);
/* Wipes the secret, frees the table. NULL is fine. */
void sgw_decoys_free(struct sgw_decoys *decoys);

/*
 * The KSI a decoy for imsi carries now: the one after its last, or its
 * first (see above); the slot remembers it. 0 to 6.
 */
uint8_t sgw_decoy_next_ksi(struct sgw_decoys *decoys, const char *imsi);

/*
 * RAND and AUTN of a decoy for imsi at now_ms, AUTN carrying amf: 0, or
 * -EINVAL (imsi too long), -EIO.
 */
int sgw_decoy_vector(struct sgw_decoys *decoys, const char *imsi,
		     const uint8_t amf[AKA_AMF_LEN], uint64_t now_ms,
		     uint8_t rand[AKA_RAND_LEN], uint8_t autn[AKA_AUTN_LEN]);

/* How many slots hold an IMSI's KSI (for the tests). */
size_t sgw_decoys_held(const struct sgw_decoys *decoys);

#endif /* E2MD_SGW_DECOYS_H */
