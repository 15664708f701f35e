#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# The oneM2M bootstrap's ids and keys (PROFILE.md 6, e2m profile) from Ke,
# with Python's hmac, hashlib and base64 only: an implementation
# independent of crypto/onem2m.c. tests/onem2m_test.sh runs it against
# e2mctl onem2m-ids; tests/onem2m_crypto_test.c holds its values.
#
#   onem2m_vectors.py KE_HEX MEF MAF_ID ENROLEE_ID ENROLEE_B_ID|- TARGET
#   -> the lines of e2mctl onem2m-ids
#
#   onem2m_vectors.py --km-id KM_HEX TARGET
#   -> km_id= of a Km given (the GBA framework's Km is Ks_(ext)_NAF)
#
#   onem2m_vectors.py --kpsa-id KPSA_HEX TARGET
#   -> kpsa_id= of a Kpsa given (Enrolee B as NAF: Ks_(ext)_NAF)
import base64
import hashlib
import hmac
import sys


def kdf(key, fc, *params):
    """TS 33.220 B.2.0: HMAC-SHA-256(key, FC || P0 || L0 || P1 || L1 ...)."""
    s = bytes(fc)
    for p in params:
        s += p + len(p).to_bytes(2, 'big')
    return hmac.new(key, s, hashlib.sha256).digest()


def key_id(key, label, fqdn):
    return base64.b64encode(kdf(key, [0xff, 0xe6], label)[:16]).decode() + \
        '@' + fqdn


if sys.argv[1] == '--km-id':
    print('km_id=' + key_id(bytes.fromhex(sys.argv[2]), b'KmId', sys.argv[3]))
    sys.exit(0)
if sys.argv[1] == '--kpsa-id':
    print('kpsa_id=' + key_id(bytes.fromhex(sys.argv[2]), b'KpsaId',
                              sys.argv[3]))
    sys.exit(0)

ke_hex, mef, maf_id, enrolee_id, enrolee_b_id, target = sys.argv[1:7]
ke = bytes.fromhex(ke_hex)
print('ke_id=' + key_id(ke, b'KeId', mef))
km = kdf(ke, [0xff, 0xe7], b'Km', maf_id.encode(), enrolee_id.encode())
print('km=' + km.hex())
print('km_id=' + key_id(km, b'KmId', target))
if enrolee_b_id != '-':
    kpsa = kdf(ke, [0xff, 0xe7], b'Kpsa', enrolee_b_id.encode(),
               enrolee_id.encode())
    print('kpsa=' + kpsa.hex())
    print('kpsa_id=' + key_id(kpsa, b'KpsaId', target))
