#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A link that loses one message, between `e2mctl usim update` and role
# prov, for the kill -9 rows of tests/keyupdate_prov_test.sh: it passes
# each HTTP request to the server named in UPSTREAM_FILE (HOST:PORT, read
# at each request, so that a server started again on another port is
# found) and the answer back, except request number N:
#
#   ku_hold_proxy.py PORT_FILE UPSTREAM_FILE N request|answer
#
#   request  request N is held: PORT_FILE.held is written, and once
#            PORT_FILE.go exists it is passed on (to the server named
#            then) and its answer back;
#   answer   request N is passed on and its answer held: PORT_FILE.held
#            is written once the answer came, and nothing more is sent.
#
# Listens on 127.0.0.1, an ephemeral port, written to PORT_FILE; serves
# until killed.
import os
import socket
import sys
import threading
import time

TIMEOUT = 30

count = 0
lock = threading.Lock()


def read_message(sock, buf):
    """One HTTP message (head and Content-Length body) from sock."""
    while b'\r\n\r\n' not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b''
        buf += chunk
    head, rest = buf.split(b'\r\n\r\n', 1)
    length = 0
    for line in head.split(b'\r\n')[1:]:
        name, _, value = line.partition(b':')
        if name.strip().lower() == b'content-length':
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b''
        rest += chunk
    return head + b'\r\n\r\n' + rest[:length], rest[length:]


def upstream(upstream_file, request):
    with open(upstream_file) as f:
        host, port = f.read().strip().rsplit(':', 1)
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as s:
        s.sendall(request)
        answer, _ = read_message(s, b'')
    return answer


def touch(path):
    with open(path, 'w'):
        pass


def serve(conn, port_file, upstream_file, held, mode):
    global count
    buf = b''
    conn.settimeout(TIMEOUT * 4)
    with conn:
        while True:
            request, buf = read_message(conn, buf)
            if request is None:
                return
            with lock:
                count += 1
                n = count
            if n == held and mode == 'request':
                touch(port_file + '.held')
                while not os.path.exists(port_file + '.go'):
                    time.sleep(0.05)
            answer = upstream(upstream_file, request)
            if answer is None:
                return
            if n == held and mode == 'answer':
                touch(port_file + '.held')
                time.sleep(TIMEOUT * 4)
                return
            conn.sendall(answer)


def main():
    port_file, upstream_file, held, mode = sys.argv[1:5]
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(('127.0.0.1', 0))
    lsock.listen(8)
    with open(port_file + '.tmp', 'w') as f:
        f.write(str(lsock.getsockname()[1]))
    os.rename(port_file + '.tmp', port_file)
    while True:
        conn, _ = lsock.accept()
        threading.Thread(target=serve, daemon=True,
                         args=(conn, port_file, upstream_file, int(held),
                               mode)).start()


if __name__ == '__main__':
    main()
