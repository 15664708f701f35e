#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A DNS server that never answers, for tests/dns_test.sh.

    dns_blackhole.py ADDRESS

Binds a UDP socket on ADDRESS and any free port, prints the port on
stdout, then reads queries forever and answers none: one line per query
on stderr, "query NAME TYPE" (NAME in lower case: resolvers randomise
the case of the names they ask, RFC 5452's 0x20 bit).
"""
import socket
import struct
import sys


def question(packet):
    """The name and type of a query's first question, or None."""
    labels, at = [], 12
    try:
        while packet[at]:
            n = packet[at]
            labels.append(packet[at + 1:at + 1 + n].decode('ascii', 'replace'))
            at += 1 + n
        (qtype,) = struct.unpack('>H', packet[at + 1:at + 3])
    except (IndexError, struct.error):
        return None
    return '.'.join(labels).lower(), qtype


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((sys.argv[1], 0))
    print(sock.getsockname()[1], flush=True)
    while True:
        packet, _ = sock.recvfrom(4096)
        q = question(packet)
        if q:
            print('query %s %d' % q, file=sys.stderr, flush=True)


if __name__ == '__main__':
    main()
