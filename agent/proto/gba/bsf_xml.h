/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The body of the BSF's 200 OK on Ub: the BootstrappingInfo document of
 * TS 24.109 Annex C, in namespace "uri:3gpp-gba" (elements qualified),
 * media type application/vnd.3gpp.bsf+xml:
 *
 *	<?xml version="1.0" encoding="UTF-8"?>
 *	<BootstrappingInfo xmlns="uri:3gpp-gba">
 *	  <btid>I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net</btid>
 *	  <lifetime>2024-05-01T12:00:00Z</lifetime>
 *	  <Extension><currenttime>2024-04-30T12:00:00Z</currenttime></Extension>
 *	</BootstrappingInfo>
 *
 * lifetime is the expiry time of the key, in UTC with "Z"; currenttime
 * (optional, in Extension) is the BSF's clock, so that a UE whose clock is
 * off can still tell how long the B-TID holds. Unknown elements and
 * attributes are ignored, as C.1 requires.
 */
#ifndef E2M_UB_BSF_XML_H
#define E2M_UB_BSF_XML_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define BSF_XML_CONTENT_TYPE	"application/vnd.3gpp.bsf+xml"
#define BSF_XML_NS		"uri:3gpp-gba"
#define BSF_XML_MAX		8192	/* the largest body parsed, octets */

struct bsf_info {
	char btid[STORE_BTID_MAX + 1];	/* as store_btid_valid() */
	int64_t lifetime;		/* expiry, seconds since the epoch */
	int64_t currenttime;		/* 0: not sent */
};

/*
 * The document for info into out (size octets), NUL-terminated. Returns
 * its length, -EINVAL (an invalid B-TID or a time outside utc.h's range,
 * with why), -ENOSPC or -ENOMEM.
 */
int bsf_xml_build(char *out, size_t size, const struct bsf_info *info,
		  char *why, size_t why_size);

/*
 * Parses a body of len octets (at most BSF_XML_MAX) with libxml2, as
 * UTF-8 whatever encoding it declares, without network access, DTD
 * loading or entity substitution (a document with a DTD is refused
 * outright, before its declarations are read). The root must be BootstrappingInfo in
 * BSF_XML_NS, with exactly one btid and one lifetime child in that
 * namespace and at most one Extension, whose currenttime is read if
 * present. Text may have surrounding whitespace; lifetime and currenttime
 * are utc_parse_xs() times. 0 or -EINVAL (or -ENOMEM), info untouched on
 * error.
 */
int bsf_xml_parse(const char *body, size_t len, struct bsf_info *info,
		  char *why, size_t why_size);

#endif /* E2M_UB_BSF_XML_H */
