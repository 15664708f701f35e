#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A service manager's end of sd_notify(3), for service_test.sh.

  notify_listener.py SOCKET LOG

Binds a datagram socket at SOCKET and appends each message it receives to
LOG as one line, its own lines joined with "|" (READY=1|STATUS=...), and
the sender's pid after a tab, from SCM_CREDENTIALS as systemd reads it.
Runs until killed.
"""
import os
import socket
import struct
import sys


def main():
    path, log = sys.argv[1], sys.argv[2]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    sock.bind(path)
    creds_size = struct.calcsize("3i")
    with open(log, "a", buffering=1) as out:
        while True:
            data, anc, _, _ = sock.recvmsg(4096,
                                           socket.CMSG_SPACE(creds_size))
            pid = 0
            for level, kind, payload in anc:
                if level == socket.SOL_SOCKET and \
                        kind == socket.SCM_CREDENTIALS:
                    pid = struct.unpack("3i", payload[:creds_size])[0]
            text = data.decode("utf-8", "replace").rstrip("\n")
            out.write("%s\t%d\n" % (text.replace("\n", "|"), pid))


if __name__ == "__main__":
    sys.exit(main())
