#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The cookie exchange of a DTLS 1.2 server (RFC 6347 4.2.1), from two
UDP sockets of our own, with DTLS 1.2 ClientHellos built here from the
RFC's record and handshake layouts (PSK suites 0xC0A8 and 0x00A8, no
extensions). Prints one line per step, what the server's first record
was:

  no-cookie A: hvr COOKIE-HEX        a HelloVerifyRequest and its cookie
  forged A: hvr|server-hello|alert|none
  replayed-from-B: ...               A's cookie sent from socket B
  own-cookie A: ...                  A's cookie sent from A

With --bound N, N + 1 sockets each return their own cookie once (no
retransmission, so a server's refusals can be counted exactly):

  session I: server-hello|none|...  (I = 1..N + 1)

usage: dtls_cookie.py [--bound N] HOST PORT
"""
import os
import socket
import struct
import sys

SUITES = bytes.fromhex("c0a800a8")


def client_hello(cookie, random, seq):
    body = (b"\xfe\xfd" + random + b"\x00" + bytes([len(cookie)]) + cookie
            + struct.pack(">H", len(SUITES)) + SUITES + b"\x01\x00")
    n = len(body)
    hs = (b"\x01" + n.to_bytes(3, "big") + struct.pack(">H", seq)
          + (0).to_bytes(3, "big") + n.to_bytes(3, "big") + body)
    return (b"\x16\xfe\xfd" + b"\x00\x00" + seq.to_bytes(6, "big")
            + struct.pack(">H", len(hs)) + hs)


def first_record(sock):
    """What the server's answer begins with: (kind, cookie)."""
    try:
        data = sock.recv(65536)
    except socket.timeout:
        return "none", b""
    if len(data) < 13 + 12:
        return "alert" if data[:1] == b"\x15" else "short", b""
    if data[0] == 21:
        return "alert", b""
    if data[0] != 22:
        return "type-%d" % data[0], b""
    msg = data[13:]
    if msg[0] == 3:		# HelloVerifyRequest: version, cookie
        n = msg[12 + 2]
        return "hvr", msg[12 + 3:12 + 3 + n]
    if msg[0] == 2:
        return "server-hello", b""
    return "handshake-%d" % msg[0], b""


def peer(host, port, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    s.connect((host, port))
    return s


def bound(host, port, n):
    """N + 1 peers, each with its own cookie, one ClientHello each."""
    socks = []
    for i in range(n + 1):
        s = peer(host, port, 1)
        socks.append(s)	# held open: the server keeps the session
        random = os.urandom(32)
        s.send(client_hello(b"", random, 0))
        kind, cookie = first_record(s)
        if kind != "hvr":
            print("session %d: no cookie (%s)" % (i + 1, kind))
            continue
        s.send(client_hello(cookie, random, 1))
        print("session %d: %s" % (i + 1, first_record(s)[0]))


def main():
    if sys.argv[1] == "--bound":
        bound(sys.argv[3], int(sys.argv[4]), int(sys.argv[2]))
        return
    host, port = sys.argv[1], int(sys.argv[2])
    a = peer(host, port, 2)
    b = peer(host, port, 2)
    random = os.urandom(32)

    a.send(client_hello(b"", random, 0))
    kind, cookie = first_record(a)
    print("no-cookie A: %s %s" % (kind, cookie.hex()))
    forged = bytes(x ^ 0x5a for x in cookie) if cookie else os.urandom(16)
    a.send(client_hello(forged, random, 1))
    print("forged A: %s" % first_record(a)[0])
    b.send(client_hello(cookie, random, 1))
    kind, cookie_b = first_record(b)
    print("replayed-from-B: %s %s" % (kind, cookie_b.hex()))
    a.send(client_hello(cookie, random, 1))
    print("own-cookie A: %s" % first_record(a)[0])


if __name__ == "__main__":
    main()
