#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A remote device on the MT's local interface for tests/mt_test.sh,
# written apart from e2m's C code (Documentation/local-interface.md):
# frames of a 2-octet big-endian length and a JSON object. Subcommands:
#
#   talk HOST:PORT   runs the lines of stdin on one connection:
#                      > JSON        sends JSON as one frame
#                      >split JSON   the same frame one octet at a time
#                      >raw HEX      sends the octets as they are
#                      <             prints the next frame's JSON, or "eof"
#                      <eof          prints "eof" if the MT closes the
#                                    link, else "open"
#   pair HOST:PORT JSON1 JSON2
#                    two links at once: JSON1 on the first, JSON2 on the
#                    second, back to back, then prints each one's answer
#   unseal DB KEYFILE BTID NAF_ID_HEX DEVICE_ID
#                    prints the Ks_local the MT keeps in its store for
#                    that identity, opened with the store key (AES-256-GCM,
#                    the version 2 AAD of agent/store/seal.h: the label,
#                    table, row and column, then the bound columns iccid,
#                    created and expires, each length-prefixed and typed)
import socket
import sqlite3
import struct
import sys
import time

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

TIMEOUT = 20


def read_exact(sock, n):
    data = b''
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def frame(payload):
    return struct.pack('>H', len(payload)) + payload


def talk(address):
    host, port = address.rsplit(':', 1)
    sock = socket.create_connection((host, int(port)), timeout=TIMEOUT)
    for line in sys.stdin:
        line = line.rstrip('\n')
        if line.startswith('>split '):
            for octet in frame(line[7:].encode()):
                sock.sendall(bytes([octet]))
                time.sleep(0.002)
        elif line.startswith('>raw '):
            sock.sendall(bytes.fromhex(line[5:]))
        elif line.startswith('> '):
            sock.sendall(frame(line[2:].encode()))
        elif line == '<':
            header = read_exact(sock, 2)
            payload = header and read_exact(sock, struct.unpack('>H', header)[0])
            print(payload.decode() if payload else 'eof', flush=True)
        elif line == '<eof':
            try:
                print('eof' if sock.recv(1) == b'' else 'open', flush=True)
            except socket.timeout:
                print('open', flush=True)
    sock.close()


def pair(address, first, second):
    host, port = address.rsplit(':', 1)
    socks = [socket.create_connection((host, int(port)), timeout=TIMEOUT)
             for _ in range(2)]
    for sock, text in zip(socks, (first, second)):
        sock.sendall(frame(text.encode()))
    for sock in socks:
        header = read_exact(sock, 2)
        payload = header and read_exact(sock, struct.unpack('>H', header)[0])
        print(payload.decode() if payload else 'eof', flush=True)
        sock.close()


def unseal(db, keyfile, btid, naf_id_hex, device_id):
    key = open(keyfile, 'rb').read().strip()
    key = bytes.fromhex(key.decode()) if len(key) == 64 else key
    row = sqlite3.connect(db).execute(
        'SELECT key, iccid, created, expires FROM mt_local_keys'
        ' WHERE btid = ? AND naf_id = ? AND device_id = ?',
        (btid, bytes.fromhex(naf_id_hex), device_id)).fetchone()
    if not row:
        print('none')
        return
    blob, iccid, created, expires = row
    place = '%s %s %s' % (btid, naf_id_hex.lower(), device_id)

    def text(s):
        return struct.pack('>I', len(s)) + s

    def field_text(name, value):
        return text(name.encode()) + b'\x02' + text(value.encode())

    def field_int(name, value):
        return text(name.encode()) + b'\x01' + struct.pack('>q', value)

    aad = (b'e2m-store/2' +
           b''.join(text(s.encode()) for s in ('mt_local_keys', place, 'key')) +
           struct.pack('>I', 3) + field_text('iccid', iccid) +
           field_int('created', created) + field_int('expires', expires))
    assert blob[0] == 2
    print(AESGCM(key).decrypt(blob[1:13], blob[13:], aad).hex())


if __name__ == '__main__':
    if sys.argv[1] == 'talk':
        talk(sys.argv[2])
    elif sys.argv[1] == 'pair':
        pair(*sys.argv[2:5])
    elif sys.argv[1] == 'unseal':
        unseal(*sys.argv[2:7])
    else:
        sys.exit('usage: local_peer.py talk HOST:PORT | unseal ...')
