#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""UDP and TCP traffic of known content for selftests/e2m/gso.sh, and what
a capture sees of it.

  gso.py udp-send --to ADDR --port P --size S --count N [--more K]
                  one sendto() of N datagrams of S octets as one buffer
                  with UDP_SEGMENT S (N > 1), or (--more) one datagram of
                  S octets in two sends, the first K octets with MSG_MORE:
                  over a device with scatter-gather the rest travels in
                  page fragments
  gso.py udp-recv --bind ADDR --port P --size S --count N [--timeout T]
                  -> "RECEIVED EXACT": datagrams received until N or 2 s of
                     silence, and how many were datagram i of udp-send's
                     buffer in order, octet for octet
  gso.py tcp-send --to ADDR --port P --bytes B [--write W [--pause S]]
                  B octets in writes of 64 KiB, or of W octets S s apart
                  (default 0.02) with TCP_NODELAY: each small write then
                  goes alone, in the head of an skb of its own
  gso.py tcp-recv --bind ADDR --port P
                  -> "OCTETS SHA256" of what arrived until the peer closed
  gso.py sha --bytes B
                  -> "B SHA256" of what tcp-send sends
  gso.py capture --ready FILE --outer IF --port P --inner DEV [--timeout T]
                 [--sizes]
                  the packets received in the namespace until T s
                  (default 2) after the last one counted, or 30 s
                  without one
                  -> "packets=N max=L fragments=F inner=I tcp=T udp=U
                     csum-ok=C": on IF, the IPv4 or IPv6 packets on UDP
                     port P (the GTP-U), the largest of them (octets of
                     IP), and every IP fragment, whatever it holds; on
                     the e2m device DEV, the inner packets it delivered,
                     of them TCP and UDP, and those whose checksum (over
                     the pseudo-header) holds; with --sizes, then
                     " inner-max=M", the largest inner packet (octets of
                     IP): above the device's MTU only where GRO merged
"""
import argparse
import hashlib
import socket
import struct
import sys
import time

SOL_UDP = 17
UDP_SEGMENT = 103
ETH_P_ALL = 3
SO_RCVBUFFORCE = 33
FIRST_WAIT = 30		# s: python starting the sender on a loaded TCG host


def pattern(index, size):
    """Datagram index of a udp-send buffer: its own octets, none alike."""
    return bytes((index * 7 + j) % 251 for j in range(size))


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def udp_send(a):
    s = socket.socket(family(a.to), socket.SOCK_DGRAM)
    dst = (a.to, a.port)
    if a.more:
        data = pattern(0, a.size)
        s.sendto(data[:a.more], socket.MSG_MORE, dst)
        s.sendto(data[a.more:], dst)
        return
    buf = b"".join(pattern(i, a.size) for i in range(a.count))
    s.setsockopt(SOL_UDP, UDP_SEGMENT, a.size)
    if s.sendto(buf, dst) != len(buf):
        sys.exit("udp-send: short send")


def udp_recv(a):
    s = socket.socket(family(a.bind), socket.SOCK_DGRAM)
    s.bind((a.bind, a.port))
    s.settimeout(a.timeout)
    got = exact = 0
    try:
        while got < a.count:
            data = s.recv(65536)
            if data == pattern(got, a.size):
                exact += 1
            got += 1
            s.settimeout(2)
    except socket.timeout:
        pass
    print(got, exact)


def tcp_data(total):
    block = bytes(range(256)) * 256
    for off in range(0, total, len(block)):
        yield block[:min(len(block), total - off)]


def tcp_send(a):
    s = socket.create_connection((a.to, a.port), timeout=120)
    if a.write:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for block in tcp_data(a.bytes):
        if not a.write:
            s.sendall(block)
            continue
        for off in range(0, len(block), a.write):
            s.sendall(block[off:off + a.write])
            time.sleep(a.pause)
    s.close()


def tcp_recv(a):
    s = socket.socket(family(a.bind), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.bind, a.port))
    s.listen(1)
    s.settimeout(120)
    c, _ = s.accept()
    c.settimeout(120)
    h = hashlib.sha256()
    n = 0
    while True:
        b = c.recv(65536)
        if not b:
            break
        h.update(b)
        n += len(b)
    print(n, h.hexdigest())


def sha(a):
    h = hashlib.sha256()
    for chunk in tcp_data(a.bytes):
        h.update(chunk)
    print(a.bytes, h.hexdigest())


def csum_ok(pseudo, seg):
    """The ones' complement sum of pseudo-header and segment is 0xffff."""
    data = pseudo + seg + (b"\0" if len(seg) % 2 else b"")
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return total == 0xffff


def l4(pkt):
    """(protocol, pseudo-header, segment) of an IP packet, or None for a
    fragment; (None, ...) for anything else."""
    if pkt[0] >> 4 == 4:
        ihl = (pkt[0] & 0x0f) * 4
        total, frag, proto = struct.unpack("!H2xH1xB", pkt[2:10])
        if frag & 0x3fff:
            return None
        seg = pkt[ihl:total]
        return proto, pkt[12:20] + struct.pack("!xBH", proto, len(seg)), seg
    proto = pkt[6]
    if proto == 44:
        return None
    seg = pkt[40:40 + struct.unpack("!H", pkt[4:6])[0]]
    return proto, pkt[8:40] + struct.pack("!I3xB", len(seg), proto), seg


def capture(a):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                         socket.htons(ETH_P_ALL))
    sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 1 << 24)
    open(a.ready, "w").close()
    n = biggest = frags = inner = inner_max = tcp = udp = good = 0
    # Until the first packet counted, then until a.timeout after the last:
    # other packets (neighbour discovery, ...) do not shorten the wait.
    deadline = time.monotonic() + FIRST_WAIT
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        sock.settimeout(left)
        try:
            pkt, addr = sock.recvfrom(65535)
        except socket.timeout:
            break
        if addr[2] == socket.PACKET_OUTGOING or pkt[0] >> 4 not in (4, 6):
            continue
        parts = l4(pkt)
        if addr[0] == a.outer:
            if parts is None:
                frags += 1
            elif parts[0] == 17 and \
                    a.port in struct.unpack("!HH", parts[2][:4]):
                n += 1
                biggest = max(biggest, len(pkt))
            else:
                continue
        elif addr[0] == a.inner:
            inner += 1
            inner_max = max(inner_max, len(pkt))
            if parts is not None and parts[0] in (6, 17):
                proto, pseudo, seg = parts
                tcp += proto == 6
                udp += proto == 17
                good += csum_ok(pseudo, seg)
        else:
            continue
        deadline = time.monotonic() + a.timeout
    print("packets=%d max=%d fragments=%d inner=%d tcp=%d udp=%d csum-ok=%d"
          % (n, biggest, frags, inner, tcp, udp, good)
          + (" inner-max=%d" % inner_max if a.sizes else ""))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("udp-send")
    c.add_argument("--to", required=True)
    c.add_argument("--more", type=int, default=0)
    c = sub.add_parser("udp-recv")
    c.add_argument("--bind", required=True)
    c.add_argument("--timeout", type=float, default=30)
    for name in ("udp-send", "udp-recv"):
        c = sub.choices[name]
        c.add_argument("--port", type=int, required=True)
        c.add_argument("--size", type=int, required=True)
        c.add_argument("--count", type=int, default=1)
    c = sub.add_parser("tcp-send")
    c.add_argument("--to", required=True)
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--bytes", type=int, required=True)
    c.add_argument("--write", type=int, default=0)
    c.add_argument("--pause", type=float, default=0.02)
    c = sub.add_parser("tcp-recv")
    c.add_argument("--bind", required=True)
    c.add_argument("--port", type=int, required=True)
    c = sub.add_parser("sha")
    c.add_argument("--bytes", type=int, required=True)
    c = sub.add_parser("capture")
    c.add_argument("--ready", required=True)
    c.add_argument("--outer", required=True)
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--inner", required=True)
    c.add_argument("--timeout", type=float, default=2)
    c.add_argument("--sizes", action="store_true")
    a = p.parse_args()
    {"udp-send": udp_send, "udp-recv": udp_recv, "tcp-send": tcp_send,
     "tcp-recv": tcp_recv, "sha": sha, "capture": capture}[a.cmd](a)


if __name__ == "__main__":
    main()
