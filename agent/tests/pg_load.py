#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Load on HSS instances sharing one PostgreSQL database, for
# tests/pg_test.sh: BEST AV requests (POST /e2m/v1/av, as the SGW) from
# THREADS clients, each with a connection of its own kept open, half of
# them starting at the first HSS and half at the second, the subscribers
# taken in turn. With --kill-pid, the first HSS gets SIGKILL once it has
# answered --kill-after vectors, its other requests still in flight; a
# client whose request fails there goes on at the second HSS, as behind a
# load balancer, and sends that request again. Every request is sent
# until a 200 answers it, or it is given up (any answer but a 200 from
# the second HSS, or a failure there).
#
# Writes one line per vector answered, "INSTANCE IMSI SQN" (SQN in hex,
# from the AUTN and Milenage's AK, gba_peer.py's), and prints name=value:
# (With --fresh, each request on a connection of its own: the kernel
# hands each to any process of an e2md with several workers.)
# answered (200s), answered_a, answered_b, given_up, killed (0/1).
#
#   pg_load.py --hss ADDR_A --hss ADDR_B --ca CA --cert CRT --key KEY
#              --k K --opc OPC --imsi IMSI [--imsi ...] --requests N
#              [--threads T] [--kill-pid PID --kill-after M] [--fresh]
#              --out FILE
import argparse
import http.client
import json
import os
import signal
import ssl
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gba_peer import milenage_many, xor  # noqa: E402


class Load:
    def __init__(self, a):
        self.a = a
        self.ctx = ssl.create_default_context(cafile=a.ca)
        self.ctx.load_cert_chain(a.cert, a.key)
        self.lock = threading.Lock()
        self.next = 0               # the next request's number
        self.vectors = []           # (instance, imsi, rand, autn)
        self.answered = [0, 0]
        self.given_up = 0
        self.killed = False

    def take(self):
        with self.lock:
            if self.next >= self.a.requests:
                return None
            self.next += 1
            return self.next - 1

    def connect(self, instance):
        host, port = self.a.hss[instance].rsplit(":", 1)
        return http.client.HTTPSConnection(host, int(port), context=self.ctx,
                                           timeout=20)

    # One request on conn: the vector, or None (failed, or not a 200).
    def ask(self, conn, imsi):
        body = json.dumps({"imsi": imsi, "aka": "umts"})
        try:
            conn.request("POST", "/e2m/v1/av", body=body,
                         headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            data = r.read()
        except (OSError, http.client.HTTPException):
            return None
        if r.status != 200:
            return None
        v = json.loads(data)
        return v["rand"], v["autn"]

    def answered_by(self, instance, imsi, vector):
        with self.lock:
            self.vectors.append((instance, imsi) + vector)
            self.answered[instance] += 1
            kill = (instance == 0 and self.a.kill_pid and not self.killed and
                    self.answered[0] >= self.a.kill_after)
            if kill:
                self.killed = True
        if kill:
            os.kill(self.a.kill_pid, signal.SIGKILL)

    def client(self, instance):
        conn = self.connect(instance)
        n = self.take()
        while n is not None:
            imsi = self.a.imsi[n % len(self.a.imsi)]
            vector = self.ask(conn, imsi)
            if vector:
                self.answered_by(instance, imsi, vector)
                n = self.take()
                if self.a.fresh:
                    conn.close()
                    conn = self.connect(instance)
                continue
            conn.close()
            if instance == 1:
                with self.lock:
                    self.given_up += 1
                n = self.take()
            instance = 1    # the first HSS failed: on to the second
            conn = self.connect(instance)
        conn.close()

    def run(self):
        threads = [threading.Thread(target=self.client, args=(i % 2,))
                   for i in range(self.a.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    # "INSTANCE IMSI SQN" per vector, SQN = AUTN's first 6 octets ^ AK.
    def write(self, path):
        k, opc = bytes.fromhex(self.a.k), bytes.fromhex(self.a.opc)
        rands = [bytes.fromhex(v[2]) for v in self.vectors]
        aks = milenage_many(k, opc, rands) if rands else []
        with open(path, "w") as out:
            for (instance, imsi, _, autn), m in zip(self.vectors, aks):
                sqn = xor(bytes.fromhex(autn)[:6], m["ak"]).hex()
                out.write("%s %s %s\n" % ("ab"[instance], imsi, sqn))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hss", action="append", required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--k", required=True)
    p.add_argument("--opc", required=True)
    p.add_argument("--imsi", action="append", required=True)
    p.add_argument("--requests", type=int, required=True)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--kill-pid", type=int, default=0)
    p.add_argument("--kill-after", type=int, default=0)
    p.add_argument("--out", required=True)
    p.add_argument("--fresh", action="store_true")
    a = p.parse_args()
    if len(a.hss) != 2:
        p.error("two --hss, the first the one that may be killed")
    load = Load(a)
    load.run()
    load.write(a.out)
    print("answered=%d" % sum(load.answered))
    print("answered_a=%d" % load.answered[0])
    print("answered_b=%d" % load.answered[1])
    print("given_up=%d" % load.given_up)
    print("killed=%d" % load.killed)


if __name__ == "__main__":
    main()
