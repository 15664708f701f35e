#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Clients that hold a listener's sockets, for the tests of its bounds.

  conn_flood.py slowloris ADDR PATH
      Sends a GET of PATH one byte a second, never ending its head, until
      the server closes the connection; prints "cut-after=SECONDS sent=N".

  conn_flood.py hold ADDR N
      Opens N idle connections, one after the other, and prints "open N".
      Then for each line "count" on stdin prints "closed C oldest O": how
      many the server has closed, and how many of them are the oldest
      ones (the first C opened); at EOF closes them all.

ADDR is IPv4:PORT. The open-file limit is raised to its hard limit.
"""
import resource
import select
import socket
import sys
import time


def address(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


def closed_by_server(sock):
    try:
        while True:
            data = sock.recv(4096, socket.MSG_DONTWAIT)
            if not data:
                return True
    except BlockingIOError:
        return False
    except ConnectionError:
        return True


def slowloris(addr, path):
    request = ("GET %s HTTP/1.1\r\nHost: x\r\nX-Slow: %s\r\n"
               % (path, "a" * 200)).encode()
    sock = socket.create_connection(address(addr))
    began = time.monotonic()
    sent = 0
    while sent < len(request):
        try:
            sock.send(request[sent:sent + 1])
        except ConnectionError:
            break
        sent += 1
        readable, _, _ = select.select([sock], [], [], 1.0)
        if readable and closed_by_server(sock):
            break
    print("cut-after=%.1f sent=%d" % (time.monotonic() - began, sent))


def hold(addr, count):
    socks = [socket.create_connection(address(addr)) for _ in range(count)]
    print("open %d" % len(socks), flush=True)
    for line in sys.stdin:
        if line.strip() != "count":
            continue
        closed = [closed_by_server(s) for s in socks]
        total = sum(closed)
        oldest = sum(closed[:total])
        print("closed %d oldest %d" % (total, oldest), flush=True)
    for s in socks:
        s.close()


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if sys.argv[1] == "slowloris":
        slowloris(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "hold":
        hold(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit("usage: conn_flood.py slowloris ADDR PATH | hold ADDR N")


if __name__ == "__main__":
    main()
