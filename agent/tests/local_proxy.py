#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# An MT that will not take the completion notice, for
# tests/local_key_test.sh: it stands between a device and the real MT on
# the local interface (Documentation/local-interface.md: a 2-octet
# big-endian length, a JSON object), passes each request to the MT and
# its answer back, one at a time, except a "complete", which it answers
# itself with an "internal-error" and never passes on.
#
#   local_proxy.py PORT_FILE MT_HOST:PORT
#
# Listens on 127.0.0.1, an ephemeral port, written to PORT_FILE once it
# listens; serves links one after another until killed.
import json
import os
import socket
import struct
import sys

TIMEOUT = 30


def read_frame(sock):
    head = read_exact(sock, 2)
    if head is None:
        return None
    return read_exact(sock, struct.unpack('>H', head)[0])


def read_exact(sock, n):
    data = b''
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def send_frame(sock, payload):
    sock.sendall(struct.pack('>H', len(payload)) + payload)


def serve(device, mt_address):
    host, port = mt_address.rsplit(':', 1)
    mt = socket.create_connection((host, int(port)), timeout=TIMEOUT)
    while True:
        request = read_frame(device)
        if request is None:
            break
        msg = json.loads(request)
        if msg.get('type') == 'complete':
            answer = json.dumps({'type': 'error', 'id': msg['id'],
                                 'error': 'internal-error'},
                                separators=(',', ':')).encode()
        else:
            send_frame(mt, request)
            answer = read_frame(mt)
            if answer is None:
                break
        send_frame(device, answer)
    mt.close()


def main():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(('127.0.0.1', 0))
    listener.listen(4)
    with open(sys.argv[1] + '.tmp', 'w') as f:
        f.write('%d\n' % listener.getsockname()[1])
    os.rename(sys.argv[1] + '.tmp', sys.argv[1])
    while True:
        device, _ = listener.accept()
        device.settimeout(TIMEOUT)
        try:
            serve(device, sys.argv[2])
        except (OSError, ValueError):
            pass
        device.close()


main()
