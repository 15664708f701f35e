#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Protected N-PDUs in userspace, for the data path tests.

Builds G-PDUs exactly as Documentation/packet-format.md describes, with the
cryptography done by `e2mctl nea2` / `e2mctl nia2` (so a packet the kernel
accepts proves the kernel and the userspace implementation agree), sends
them over UDP, captures what the kernel sends, and checks a captured packet
against the keys.

  pdu.py craft  --teid T --key-id K --count C[,C...] --k-enc HEX --k-int HEX
                --direction D --src A --dst B [--seq N] [--size N]
                -> hex, a line per COUNT (an echo request of sequence
                   number N, or of the COUNT without --seq; with --size,
                   N octets of echo data, else a 16-octet string)
  pdu.py send   --to ADDR [--port P] [--split N] HEX...
                (--split: each datagram in two sends, the first N octets
                 with MSG_MORE: over a device with scatter-gather the
                 rest travels in page fragments)
  pdu.py capture --iface IF [--count N] [--timeout S] [--inner]
                -> hex lines (--inner: whole IPv4 packets received on IF,
                   not GTP-U payloads)
  pdu.py open   --k-enc HEX --k-int HEX --direction D HEX
                -> "teid= key_id= count= mac_ok= inner=" (decrypts one)
  pdu.py flips  HEX [--from N] [--to M]
                -> each variant with one bit flipped, one per octet N..M-1
  pdu.py json   PATH... < JSON   -> the value at a path (keys or [n])
  pdu.py stat   DEV [TEID] NAME < `e2mctl show -j`
                -> a counter of the device, or of its flow with local TEID
"""
import argparse
import json
import os
import socket
import struct
import subprocess
import sys
import time

E2MCTL = os.environ.get("E2MCTL", os.path.join(os.path.dirname(__file__),
                                               "..", "..", "agent", "e2mctl"))
GTPU_PORT = 2152
E2M_HDR_LEN = 5
MAC_LEN = 4


def e2mctl(*args):
    out = subprocess.run([E2MCTL, *args], check=True, capture_output=True,
                         text=True).stdout
    return dict(line.split("=", 1) for line in out.split())


def nea2(key, count, bearer, direction, data):
    if not data:
        return b""
    out = e2mctl("nea2", "--key", key, "--count", "%08x" % count,
                 "--bearer", str(bearer), "--direction", str(direction),
                 "--length", str(len(data) * 8), "--in", data.hex())
    return bytes.fromhex(out["out"])


def nia2(key, count, bearer, direction, data):
    out = e2mctl("nia2", "--key", key, "--count", "%08x" % count,
                 "--bearer", str(bearer), "--direction", str(direction),
                 "--length", str(len(data) * 8), "--in", data.hex())
    return bytes.fromhex(out["mac"])


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def icmp_echo(src, dst, ident, seq, payload=b"e2m-test-payload"):
    """An IPv4 ICMP echo request from src to dst."""
    icmp = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + payload
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), seq, 0, 64, 1,
                     0, socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + icmp


def craft(teid, key_id, count, k_enc, k_int, direction, inner):
    hdr = bytes([0x40 | 0x20 | key_id]) + struct.pack("!I", count)
    ct = nea2(k_enc, count, key_id, direction, inner)
    mac = nia2(k_int, count, key_id, direction, hdr + ct)
    pdu = hdr + ct + mac
    return struct.pack("!BBHI", 0x30, 0xff, len(pdu), teid) + pdu


def open_pdu(k_enc, k_int, direction, msg):
    """Parses a G-PDU without options (what e2m sends) and checks it."""
    flags, mtype, length, teid = struct.unpack("!BBHI", msg[:8])
    pdu = msg[8:8 + length]
    key_id = pdu[0] & 7
    count = struct.unpack("!I", pdu[1:5])[0]
    body, mac = pdu[:-MAC_LEN], pdu[-MAC_LEN:]
    mac_ok = nia2(k_int, count, key_id, direction, body) == mac
    inner = nea2(k_enc, count, key_id, direction, body[E2M_HDR_LEN:])
    return {"flags": "%02x" % flags, "type": mtype, "teid": teid,
            "key_id": key_id, "count": count, "mac_ok": int(mac_ok),
            "inner": inner.hex()}


def capture(iface, count, timeout, ready=None, pcap=None, inner=False):
    """UDP payloads of GTP-U packets (either port 2152) seen on iface; with
    pcap, the whole IPv4 packets also go to that file (LINKTYPE_IPV4).
    With inner, every whole IPv4 packet received on iface instead."""
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                         socket.ntohs(0x0800))
    sock.bind((iface, 0x0800))
    if ready:
        open(ready, "w").close()
    sock.settimeout(0.2)
    got = []
    deadline = time.monotonic() + timeout
    while len(got) < count and time.monotonic() < deadline:
        try:
            pkt, addr = sock.recvfrom(65535)
        except socket.timeout:
            continue
        if inner:
            if addr[2] != socket.PACKET_OUTGOING:
                got.append(pkt)
            continue
        ihl = (pkt[0] & 0x0f) * 4
        if pkt[9] != 17:
            continue
        sport, dport = struct.unpack("!HH", pkt[ihl:ihl + 4])
        if GTPU_PORT in (sport, dport):
            got.append(pkt[ihl + 8:])
            if pcap:
                pcap_record(pcap, pkt)
    return got


def pcap_open(path):
    f = open(path, "wb")
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 228))
    return f


def pcap_record(f, pkt):
    now = time.time()
    f.write(struct.pack("<IIII", int(now), int(now % 1 * 1e6), len(pkt),
                        len(pkt)) + pkt)
    f.flush()


def counter(obj, name):
    """A counter of a device or flow object of `e2mctl show -j`."""
    for holder in (obj, obj.get("counters", {}), obj.get("stats", {}),
                   obj.get("drops", {})):
        if isinstance(holder, dict) and name in holder:
            return holder[name]
    raise KeyError(name)


def stat(devices, dev, where):
    device = next(d for d in devices if d.get("name", d.get("ifname")) == dev)
    if len(where) == 1:
        return counter(device, where[0])
    teid, name = int(where[0], 0), where[1]
    flow = next(f for f in device["flows"]
                if f.get("teid", f.get("local-teid")) == teid)
    if name in ("tx-key-id",):
        return flow[name]
    return counter(flow, name)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("craft")
    for name in ("teid", "key-id", "direction", "seq", "size"):
        c.add_argument("--" + name, type=lambda v: int(v, 0),
                       required=name not in ("seq", "size"))
    c.add_argument("--count", required=True,
                   type=lambda v: [int(c, 0) for c in v.split(",")])
    for name in ("k-enc", "k-int", "src", "dst"):
        c.add_argument("--" + name, required=True)
    s = sub.add_parser("send")
    s.add_argument("--to", required=True)
    s.add_argument("--port", type=int, default=GTPU_PORT)
    s.add_argument("--split", type=int)
    s.add_argument("hex", nargs="+")
    cap = sub.add_parser("capture")
    cap.add_argument("--iface", required=True)
    cap.add_argument("--count", type=int, default=1)
    cap.add_argument("--timeout", type=float, default=5)
    cap.add_argument("--ready", help="file created once capturing")
    cap.add_argument("--pcap", help="also write the packets to this file")
    cap.add_argument("--inner", action="store_true",
                     help="whole IPv4 packets received, not GTP-U payloads")
    o = sub.add_parser("open")
    o.add_argument("--k-enc", required=True)
    o.add_argument("--k-int", required=True)
    o.add_argument("--direction", type=int, required=True)
    o.add_argument("hex")
    f = sub.add_parser("flips")
    f.add_argument("hex")
    f.add_argument("--from", dest="start", type=int, default=0)
    f.add_argument("--to", dest="end", type=int)
    j = sub.add_parser("json")
    j.add_argument("path", nargs="+")
    st = sub.add_parser("stat")
    st.add_argument("dev")
    st.add_argument("where", nargs="+")
    a = p.parse_args()

    if a.cmd == "craft":
        for count in a.count:
            seq = count if a.seq is None else a.seq
            if a.size is None:
                inner = icmp_echo(a.src, a.dst, 0xe2, seq & 0xffff)
            else:
                data = bytes((i * 7 + 3) & 0xff for i in range(a.size))
                inner = icmp_echo(a.src, a.dst, 0xe2, seq & 0xffff, data)
            print(craft(a.teid, a.key_id, count, a.k_enc, a.k_int,
                        a.direction, inner).hex())
    elif a.cmd == "send":
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for h in a.hex:
            msg = bytes.fromhex(h)
            if a.split:
                sock.sendto(msg[:a.split], socket.MSG_MORE, (a.to, a.port))
                msg = msg[a.split:]
            sock.sendto(msg, (a.to, a.port))
    elif a.cmd == "capture":
        pcap = pcap_open(a.pcap) if a.pcap else None
        for pkt in capture(a.iface, a.count, a.timeout, a.ready, pcap,
                           a.inner):
            print(pkt.hex())
    elif a.cmd == "open":
        r = open_pdu(a.k_enc, a.k_int, a.direction, bytes.fromhex(a.hex))
        print(" ".join("%s=%s" % kv for kv in r.items()))
    elif a.cmd == "flips":
        msg = bytes.fromhex(a.hex)
        for i in range(a.start, len(msg) if a.end is None else a.end):
            print((msg[:i] + bytes([msg[i] ^ 0x01]) + msg[i + 1:]).hex())
    elif a.cmd == "json":
        value = json.load(sys.stdin)
        for step in a.path:
            value = value[int(step)] if step.lstrip("-").isdigit() else value[step]
        print(json.dumps(value) if isinstance(value, (dict, list)) else value)
    elif a.cmd == "stat":
        print(stat(json.load(sys.stdin), a.dev, a.where))


if __name__ == "__main__":
    main()
