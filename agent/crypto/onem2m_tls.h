/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ke from a live (D)TLS session (PROFILE.md 6): the RFC 5705 exporter,
 * label ONEM2M_KE_LABEL, no context, 32 octets. Both sides call it once
 * the handshake is done; the pre-provisioned framework takes it only of
 * a TLS 1.2 or DTLS 1.2 session (onem2m_tls_version_ok()).
 */
#ifndef E2M_ONEM2M_TLS_H
#define E2M_ONEM2M_TLS_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "onem2m.h"

/* 0, or -EIO when OpenSSL cannot export (no finished handshake). */
int onem2m_ke_export(SSL *ssl, uint8_t ke[ONEM2M_KEY_LEN]);

/* Whether ssl runs TLS 1.2 or DTLS 1.2, the framework's versions. */
bool onem2m_tls_version_ok(const SSL *ssl);

#endif /* E2M_ONEM2M_TLS_H */
