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

  conn_flood.py firsts ADDR IMPI N
      Sends N first requests of a Ub bootstrap for IMPI (Authorization
      with an empty nonce) on one kept-alive connection; prints
      "401=A 503=B other=C nonces=D retry-after=R": how many of each
      status, how many distinct nonces the 401s carried, the last
      Retry-After ("-" for none).

  conn_flood.py spend ADDR IMPI
      A first request, then a wrong answer to its challenge (spent);
      prints the two statuses.

  conn_flood.py unknowns ADDR PREFIX N
      Sends one first request each for the N IMPIs PREFIX0@home1.net to
      PREFIX<N-1>@home1.net, over 8 kept-alive connections at once, then
      answers the challenge of the first one wrongly; prints
      "401=A 503=B other=C nonces=D first-answer=S[ stale]": the statuses
      of the first requests, how many distinct nonces their 401s carried,
      and the status of the late answer (stale when its 401 says
      stale=true: the nonce was forgotten).

ADDR is IPv4:PORT. The open-file limit is raised to its hard limit.
"""
import http.client
import re
import resource
import select
import socket
import sys
import threading
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


def first_request(conn, impi):
    auth = ('Digest username="%s", realm="bsf.test", nonce="", uri="/", '
            'response=""' % impi)
    conn.request("GET", "/", headers={"Authorization": auth})
    resp = conn.getresponse()
    resp.read()
    return resp


def firsts(addr, impi, count):
    host, port = address(addr)
    conn = http.client.HTTPConnection(host, port, timeout=10)
    statuses = {}
    nonces = set()
    retry = "-"
    for _ in range(count):
        resp = first_request(conn, impi)
        statuses[resp.status] = statuses.get(resp.status, 0) + 1
        found = re.search(r'nonce="([^"]*)"',
                          resp.getheader("WWW-Authenticate") or "")
        if found:
            nonces.add(found.group(1))
        retry = resp.getheader("Retry-After") or retry
    other = count - statuses.get(401, 0) - statuses.get(503, 0)
    print("401=%d 503=%d other=%d nonces=%d retry-after=%s"
          % (statuses.get(401, 0), statuses.get(503, 0), other,
             len(nonces), retry))


def wrong_answer(conn, impi, challenge):
    """Answers challenge (a WWW-Authenticate) wrongly; the response."""
    nonce = re.search(r'nonce="([^"]*)"', challenge)
    opaque = re.search(r'opaque="([^"]*)"', challenge)
    if not nonce or not opaque:
        return None
    auth = ('Digest username="%s", realm="bsf.test", nonce="%s", uri="/", '
            'qop=auth-int, nc=00000001, cnonce="0a4f113b", '
            'algorithm=AKAv1-MD5, opaque="%s", response="%s"'
            % (impi, nonce.group(1), opaque.group(1), "0" * 32))
    conn.request("GET", "/", headers={"Authorization": auth})
    answer = conn.getresponse()
    answer.read()
    return answer


def spend(addr, impi):
    host, port = address(addr)
    conn = http.client.HTTPConnection(host, port, timeout=10)
    resp = first_request(conn, impi)
    answer = wrong_answer(conn, impi,
                          resp.getheader("WWW-Authenticate") or "")
    if not answer:
        print("%d -" % resp.status)
        return
    print("%d %d" % (resp.status, answer.status))


def unknowns(addr, prefix, count):
    host, port = address(addr)
    statuses = {}
    challenges = {}
    lock = threading.Lock()

    def worker(first):
        conn = http.client.HTTPConnection(host, port, timeout=30)
        for i in range(first, count, 8):
            resp = first_request(conn, "%s%d@home1.net" % (prefix, i))
            with lock:
                statuses[resp.status] = statuses.get(resp.status, 0) + 1
                challenges[i] = resp.getheader("WWW-Authenticate") or ""
        conn.close()

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    nonces = set()
    for challenge in challenges.values():
        found = re.search(r'nonce="([^"]*)"', challenge)
        if found:
            nonces.add(found.group(1))
    conn = http.client.HTTPConnection(host, port, timeout=10)
    answer = wrong_answer(conn, "%s0@home1.net" % prefix, challenges.get(0, ""))
    late = "-"
    if answer:
        late = str(answer.status)
        if 'stale=true' in (answer.getheader("WWW-Authenticate") or ""):
            late += " stale"
    other = count - statuses.get(401, 0) - statuses.get(503, 0)
    print("401=%d 503=%d other=%d nonces=%d first-answer=%s"
          % (statuses.get(401, 0), statuses.get(503, 0), other,
             len(nonces), late))


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if sys.argv[1] == "slowloris":
        slowloris(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "hold":
        hold(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "firsts":
        firsts(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1] == "spend":
        spend(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "unknowns":
        unknowns(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit("usage: conn_flood.py slowloris ADDR PATH | hold ADDR N"
                 " | firsts ADDR IMPI N | spend ADDR IMPI"
                 " | unknowns ADDR PREFIX N")


if __name__ == "__main__":
    main()
