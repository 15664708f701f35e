// SPDX-License-Identifier: GPL-2.0
/*
 * Ke by the RFC 5705 exporter, see onem2m_tls.h.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "onem2m_tls.h"

int onem2m_ke_export(SSL *ssl, uint8_t ke[ONEM2M_KEY_LEN])
{
	/* use_context 0: "no context", not an empty one (RFC 5705 4). */
	if (SSL_export_keying_material(ssl, ke, ONEM2M_KEY_LEN,
				       ONEM2M_KE_LABEL,
				       strlen(ONEM2M_KE_LABEL), NULL, 0,
				       0) != 1) {
		OPENSSL_cleanse(ke, ONEM2M_KEY_LEN);
		return -EIO;
	}
	return 0;
}

bool onem2m_tls_version_ok(const SSL *ssl)
{
	int version = SSL_version(ssl);

	return version == TLS1_2_VERSION || version == DTLS1_2_VERSION;
}
