#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# The other ends of GBA for tests/bsf_test.sh, written apart from e2m's C
# code so that each side checks the other: Milenage over OpenSSL's AES
# (the openssl command, where e2m has its own AES), HTTP Digest over
# hashlib's MD5, the TS 33.220 KDF over hmac. Subcommands:
#
#   ue      a UE on Ub that may cheat: a wrong RES, a replayed
#           Authorization, its own headers; prints what the BSF answered
#           and, on success, the keys it derives itself; with BSF
#           instances sharing a store, its answer sent to another one
#           (--answer-at), replayed at others (--replay-at), or sent to
#           several at once (--race-at, one per address given)
#   ue-workers a UE on Ub at a BSF e2md of two workers (workers: 2), its
#           requests on kept-alive connections pinned to each worker (a
#           connection's worker told by the per-worker ub-requests of
#           --status, a command printing e2mctl status --json): bootstraps
#           back to back, each challenge answered at the other worker
#           (--rounds A-to-B, then one B-to-A), and the first answer
#           replayed at both
#   proxy   a man in the middle between a UE and the BSF that tampers with
#           the BSF's answers (re-signing them with XRES when told to, as
#           a BSF gone wrong would)
#   zh-loop authentication vectors from the HSS over Zh, again and again,
#           riding out the HSS being killed; writes "rand autn" per vector
#           (--parallel N: N clients at once)
#   sqn     the SQN of each "rand autn" line (AK from Milenage f5)
#   naf-keys the NAF keys of a bootstrap someone else ran (e2mctl
#           bootstrap), from K, OPc, the IMPI and its B-TID alone (RAND is
#           base64 in the B-TID): Ks_NAF (Ks_ext_NAF) and Ks_int_NAF
#   raw     bytes to a TCP port; prints the status line of the answer
#   best-av the e2m keys of a BEST AV response (tests/best_hss_test.sh),
#           from K and OPc alone: SQN, AMF, whether MAC-A and XRES hold,
#           the keys the serving network should get, the e2mKEYSET; of a
#           challenge of the SGW too (no XRES): RES for the UE's answer;
#           with --snn, 5G AKA (RES*, K_AUSF, the key set from K_HSE)
#   hse     a stand-in HSE for tests/best_sgw_test.sh: takes triplets over
#           mutual TLS from the one client it is told, pulls each key set
#           from the HSS with its own certificate, writes both as a JSON
#           line, answers as best.md says (or refuses, if --mode-file says)
#
# Output is name=value lines. Needs python3 and openssl.
import argparse
import base64
import hashlib
import hmac
import http.client
import http.server
import json
import os
import re
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
import time

# ---- Milenage (TS 35.206) ---------------------------------------------------


def aes_ecb(key, blocks):
    """E_K of each 16-octet block, in one openssl run."""
    out = subprocess.run(
        ["openssl", "enc", "-aes-128-ecb", "-nopad", "-K", key.hex()],
        input=b"".join(blocks), capture_output=True, check=True).stdout
    return [out[i:i + 16] for i in range(0, len(out), 16)]


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def rot(x, bits):
    n = int.from_bytes(x, "big")
    bits %= 128
    n = ((n << bits) | (n >> (128 - bits))) & ((1 << 128) - 1)
    return n.to_bytes(16, "big")


def const(i):
    return bytes(15) + bytes([i])


def milenage_many(k, opc, rands):
    """RES, CK, IK, AK for each RAND (f2, f3, f4, f5)."""
    temps = aes_ecb(k, [xor(r, opc) for r in rands])
    ins = []
    for t in temps:
        x = xor(t, opc)
        ins += [xor(rot(x, 0), const(1)), xor(rot(x, 32), const(2)),
                xor(rot(x, 64), const(4))]
    outs = [xor(o, opc) for o in aes_ecb(k, ins)]
    result = []
    for i in range(len(rands)):
        out2, out3, out4 = outs[3 * i:3 * i + 3]
        result.append({"res": out2[8:16], "ck": out3, "ik": out4,
                       "ak": out2[0:6]})
    return result


def milenage(k, opc, rand):
    return milenage_many(k, opc, [rand])[0]


def milenage_f1(k, opc, rand, sqn, amf):
    """MAC-A: f1 with r1 = 64, c1 = 0."""
    temp = aes_ecb(k, [xor(rand, opc)])[0]
    in1 = sqn + amf + sqn + amf
    x = xor(temp, rot(xor(in1, opc), 64))
    return xor(aes_ecb(k, [x])[0], opc)[0:8]


# ---- GBA (TS 33.220 B.2, B.3) --------------------------------------------------


def kdf(key, fc, *params):
    # One octet, or the two-octet form FF xx of TS 33.220 B.2.0.
    s = bytes([fc]) if fc <= 0xfe else fc.to_bytes(2, "big")
    for p in params:
        s += p + len(p).to_bytes(2, "big")
    return hmac.new(key, s, hashlib.sha256).digest()


def ks_naf(ck, ik, rand, impi, naf_id, label=b"gba-me"):
    return kdf(ck + ik, 0x01, label, rand, impi.encode(), naf_id)


# ---- HTTP Digest (RFC 2617, RFC 3310) ------------------------------------------


def md5(data):
    return hashlib.md5(data).hexdigest()


def digest(user, realm, password, method, uri, nonce, nc, cnonce, body):
    ha1 = md5(user.encode() + b":" + realm.encode() + b":" + password)
    ha2 = md5(method.encode() + b":" + uri.encode() + b":" +
              md5(body).encode())
    return md5(":".join([ha1, nonce, nc, cnonce, "auth-int", ha2]).encode())


def params(value):
    """The auth-params of a Digest header value, as a dict."""
    value = re.sub(r"^\s*Digest\s+", "", value)
    out = {}
    for m in re.finditer(r'([A-Za-z-]+)=("((?:[^"\\]|\\.)*)"|[^,\s]*)', value):
        out[m.group(1).lower()] = (m.group(3) if m.group(3) is not None
                                   else m.group(2))
    return out


def credentials(fields):
    quoted = {"username", "realm", "nonce", "uri", "response", "cnonce",
              "opaque", "auts"}
    return "Digest " + ", ".join(
        '%s="%s"' % (k, v) if k in quoted else "%s=%s" % (k, v)
        for k, v in fields.items())


# ---- ue ------------------------------------------------------------------------


def get(host, port, auth, extra=None, body=None):
    conn = http.client.HTTPConnection(host, port, timeout=15)
    headers = {"Authorization": auth} if auth is not None else {}
    headers.update(extra or {})
    conn.request("GET", "/", body=body, headers=headers)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r, body


def error_token(body):
    try:
        return json.loads(body)["error"]
    except (ValueError, KeyError, TypeError):
        return "-"


def cmd_ue(a):
    host, port = a.addr.rsplit(":", 1)
    k, opc = bytes.fromhex(a.k), bytes.fromhex(a.opc)
    first = credentials({"username": a.impi, "realm": a.realm, "nonce": "",
                         "uri": "/", "response": ""})
    r, body = get(host, port, first)
    print("challenge=%d" % r.status)
    if r.status != 401:
        return
    ch = params(r.getheader("WWW-Authenticate"))
    print("algorithm=%s qop=%s stale=%s" % (ch.get("algorithm"),
                                            ch.get("qop"),
                                            ch.get("stale", "-")))
    nonce = ch["nonce"]
    raw = base64.b64decode(nonce)
    rand = raw[:16]
    v = milenage(k, opc, rand)
    res = v["res"]
    if a.wrong_res:
        res = bytes([res[0] ^ 1]) + res[1:]
    cnonce = os.urandom(16).hex()
    # auth-int: the digest covers the body (--body), which may then be
    # changed on the way (--send-body).
    signed = (a.body or "").encode()
    sent = a.send_body.encode() if a.send_body is not None else signed
    response = digest(a.impi, ch["realm"], res, "GET", "/", nonce,
                      "00000001", cnonce, signed)
    fields = {"username": a.impi, "realm": ch["realm"], "nonce": nonce,
              "uri": "/", "qop": "auth-int", "nc": "00000001",
              "cnonce": cnonce, "response": response,
              "opaque": ch.get("opaque", ""), "algorithm": "AKAv1-MD5"}
    for override in a.set or []:
        name, _, value = override.partition("=")
        fields[name] = value
    auth = credentials(fields)
    if a.race_at:
        race(a.race_at, auth)
        return
    if a.answer_at:     # another BSF instance than the challenge's
        host, port = a.answer_at.rsplit(":", 1)
    r, body = get(host, port, auth, body=sent or None)
    print("answer=%d error=%s" % (r.status, error_token(body)))
    if a.print_body:
        print("body=%s" % body.decode("latin-1"))
    if r.status == 200:
        info = params(r.getheader("Authentication-Info") or "")
        want = digest(a.impi, ch["realm"], v["res"], "", "/", nonce,
                      "00000001", cnonce, body)
        print("rspauth=%s" % ("ok" if info.get("rspauth") == want
                              else "bad"))
        btid = re.search(rb"<btid>([^<]*)</btid>", body)
        print("btid=%s" % (btid.group(1).decode() if btid else "-"))
        print("rand=%s" % rand.hex())
        if a.naf_id:
            naf_id = bytes.fromhex(a.naf_id)
            print("ks_naf=%s" % ks_naf(v["ck"], v["ik"], rand, a.impi,
                                       naf_id).hex())
            print("ks_int_naf=%s" % ks_naf(v["ck"], v["ik"], rand, a.impi,
                                           naf_id, b"gba-u").hex())
    if a.replay:
        r, body = get(host, port, auth)
        print("replay=%d error=%s" % (r.status, error_token(body)))
    for addr in a.replay_at or []:
        h, p = addr.rsplit(":", 1)
        r, body = get(h, p, auth)
        print("replay_at=%d error=%s" % (r.status, error_token(body)))


def race(addrs, auth):
    """The same answer sent to every addr at once (one thread each);
    prints how many answers of each status and error token."""
    outcomes, btids = [], []
    start = threading.Barrier(len(addrs))

    def send(addr):
        h, p = addr.rsplit(":", 1)
        start.wait()
        r, body = get(h, p, auth)
        outcomes.append("%d/%s" % (r.status, error_token(body)))
        btid = re.search(rb"<btid>([^<]*)</btid>", body)
        if r.status == 200 and btid:
            btids.append(btid.group(1).decode())
    threads = [threading.Thread(target=send, args=(addr,)) for addr in addrs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("race=%s" % " ".join("%s:%d" % (o, outcomes.count(o))
                               for o in sorted(set(outcomes))))
    print("btid=%s" % " ".join(btids))


# ---- proxy ---------------------------------------------------------------------


def tamper_challenge(mode, value):
    if mode == "challenge-md5":
        return value.replace("AKAv1-MD5", "MD5")
    if mode == "nonce-short":
        nonce = params(value)["nonce"]
        short = base64.b64encode(base64.b64decode(nonce)[:16]).decode()
        return value.replace(nonce, short)
    return value


BROKEN_BODIES = {
    "xml-broken": b'<?xml version="1.0"?><BootstrappingInfo '
                  b'xmlns="uri:3gpp-gba"><btid>',
    "xml-dtd": b'<?xml version="1.0"?><!DOCTYPE BootstrappingInfo '
               b'[<!ENTITY x "y">]><BootstrappingInfo xmlns="uri:3gpp-gba">'
               b'<btid>&x;</btid><lifetime>2099-01-01T00:00:00Z</lifetime>'
               b'</BootstrappingInfo>',
    "xml-no-lifetime": b'<?xml version="1.0"?><BootstrappingInfo '
                       b'xmlns="uri:3gpp-gba"><btid>%s</btid>'
                       b'</BootstrappingInfo>',
}


def tamper_success(a, auth, headers, body):
    """The 200 as the mode wants it: (headers, body)."""
    mode = a.mode
    info = headers.get("Authentication-Info", "")
    if mode == "rspauth":
        want = params(info)["rspauth"]
        flipped = want[:-1] + ("0" if want[-1] != "0" else "1")
        headers["Authentication-Info"] = info.replace(want, flipped)
        return headers, body
    if mode == "no-auth-info":
        headers.pop("Authentication-Info", None)
        return headers, body
    btid = re.search(rb"<btid>([^<]*)</btid>", body).group(1)
    if mode == "btid-rand":
        other = base64.b64encode(os.urandom(16)) + b"@" + \
            btid.split(b"@", 1)[1]
        body = body.replace(btid, other)
    elif mode == "content-type":
        headers["Content-Type"] = "text/xml"
    elif mode in BROKEN_BODIES:
        body = BROKEN_BODIES[mode].replace(b"%s", btid)
    # Re-signed with XRES, as only a BSF could: the UE's own checks must
    # catch what is wrong.
    cred = params(auth)
    rand = base64.b64decode(cred["nonce"])[:16]
    res = milenage(bytes.fromhex(a.k), bytes.fromhex(a.opc), rand)["res"]
    rspauth = digest(cred["username"], cred["realm"], res, "", cred["uri"],
                     cred["nonce"], cred["nc"], cred["cnonce"], body)
    headers["Authentication-Info"] = re.sub(
        r'rspauth="[0-9a-f]*"', 'rspauth="%s"' % rspauth, info)
    return headers, body


def proxy_handler(a):
    upstream_host, upstream_port = a.upstream.rsplit(":", 1)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            auth = self.headers.get("Authorization")
            r, body = get(upstream_host, upstream_port, auth)
            headers = {k: v for k, v in r.getheaders()
                       if k.lower() not in ("content-length", "connection",
                                            "date")}
            if r.status == 401 and "WWW-Authenticate" in headers:
                headers["WWW-Authenticate"] = tamper_challenge(
                    a.mode, headers["WWW-Authenticate"])
            if r.status == 200 and a.mode != "none":
                headers, body = tamper_success(a, auth, headers, body)
            self.send_response(r.status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
    return Handler


def cmd_proxy(a):
    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

    server = Server(("127.0.0.1", 0), proxy_handler(a))
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(a.port_file + ".tmp", a.port_file)
    server.serve_forever()


# ---- zh-loop, sqn ---------------------------------------------------------------


def cmd_zh_loop(a):
    host, port = a.addr.rsplit(":", 1)
    ctx = ssl.create_default_context(cafile=a.ca)
    ctx.load_cert_chain(a.cert, a.key)
    body = json.dumps({"impi": a.impi})
    counts = {"ok": 0, "attempts": 0, "errors": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + a.max_seconds

    # --parallel N: N clients at once, so that the HSS's group commit
    # has several SQNs in one commit when it is killed.
    def fetch(out):
        while time.monotonic() < deadline:
            with lock:
                if counts["ok"] + inflight[0] >= a.count:
                    return
                counts["attempts"] += 1
                inflight[0] += 1
            try:
                conn = http.client.HTTPSConnection(host, int(port),
                                                   context=ctx, timeout=5)
                conn.request("POST", "/zh/v1/av", body=body,
                             headers={"Content-Type": "application/json"})
                r = conn.getresponse()
                data = r.read()
                conn.close()
            except (OSError, http.client.HTTPException):
                with lock:
                    counts["errors"] += 1
                    inflight[0] -= 1
                time.sleep(0.01)
                continue
            with lock:
                inflight[0] -= 1
                if r.status != 200:
                    counts["errors"] += 1
                    continue
                v = json.loads(data)
                out.write("%s %s\n" % (v["rand"], v["autn"]))
                out.flush()
                counts["ok"] += 1

    inflight = [0]
    with open(a.out, "w") as out:
        threads = [threading.Thread(target=fetch, args=(out,))
                   for _ in range(a.parallel)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    print("attempts=%d ok=%d errors=%d" % (counts["attempts"], counts["ok"],
                                           counts["errors"]))


def cmd_naf_keys(a):
    k, opc = bytes.fromhex(a.k), bytes.fromhex(a.opc)
    rand = base64.b64decode(a.btid.split("@", 1)[0])
    v = milenage(k, opc, rand)
    naf_id = bytes.fromhex(a.naf_id)
    print("ks_naf=%s" % ks_naf(v["ck"], v["ik"], rand, a.impi, naf_id).hex())
    print("ks_int_naf=%s" % ks_naf(v["ck"], v["ik"], rand, a.impi, naf_id,
                                   b"gba-u").hex())


def cmd_sqn(a):
    k, opc = bytes.fromhex(a.k), bytes.fromhex(a.opc)
    lines = [l.split() for l in sys.stdin if l.strip()]
    rands = [bytes.fromhex(r) for r, _ in lines]
    for (r, autn), v in zip(lines, milenage_many(k, opc, rands)):
        print(xor(bytes.fromhex(autn)[:6], v["ak"]).hex())


# ---- BEST (Documentation/best.md, derivations.md) --------------------------------


def keyset(k_e2m, alg):
    return (kdf(k_e2m, 0xffe3, b"\x01", bytes([alg]))[16:],
            kdf(k_e2m, 0xffe3, b"\x02", bytes([alg]))[16:])


def cmd_best_av(a):
    k, opc = bytes.fromhex(a.k), bytes.fromhex(a.opc)
    av = json.load(sys.stdin)
    rand, autn = bytes.fromhex(av["rand"]), bytes.fromhex(av["autn"])
    v = milenage(k, opc, rand)
    sqn, amf = xor(autn[:6], v["ak"]), autn[6:8]
    ck, ik, sqn_ak = v["ck"], v["ik"], autn[:6]
    out = {"sqn": sqn.hex(), "amf": amf.hex(),
           "mac_ok": int(milenage_f1(k, opc, rand, sqn, amf) == autn[8:]),
           "res": v["res"].hex()}
    if "xres" in av:
        out["xres_ok"] = int(bytes.fromhex(av["xres"]) == v["res"])
    air = kdf(ck + ik, 0xffe4, b"air", rand)
    if a.snn:
        # 5G AKA: TS 33.501 A.2 (K_AUSF), A.4 (RES*); K_e2m = K_HSE.
        snn = a.snn.encode()
        res_star = kdf(ck + ik, 0x6b, snn, rand, v["res"])[16:]
        out["res_star"] = res_star.hex()
        if "xres-star" in av:
            out["xres_star_ok"] = int(bytes.fromhex(av["xres-star"]) ==
                                      res_star)
        out["kausf"] = kdf(ck + ik, 0x6a, snn, sqn_ak).hex()
        k_e2m = kdf(ck + ik, 0x63, snn, sqn_ak)
        out["k_hse"] = k_e2m.hex()
    elif a.sn_id:
        sn_id = bytes.fromhex(a.sn_id)
        kasme = kdf(ck + ik, 0x10, sn_id, sqn_ak)
        out["kasme"] = kasme.hex()
        out["kasme_prime"] = kdf(air, 0x10, sn_id, sqn_ak).hex()
        k_e2m = kasme
    else:
        out["ck"], out["ik"] = ck.hex(), ik.hex()
        out["ck_prime"], out["ik_prime"] = air[:16].hex(), air[16:].hex()
        k_e2m = kdf(ck + ik, 0xffe2, b"e2mKEYSET", rand)
    k_enc, k_int = keyset(k_e2m, 2)
    out["k_enc"], out["k_int"] = k_enc.hex(), k_int.hex()
    for name, value in out.items():
        print("%s=%s" % (name, value))


# ---- hse: the HSE's end of the triplet (best.md) ---------------------------------


def https_context(a, purpose):
    ctx = ssl.create_default_context(purpose, cafile=a.ca)
    ctx.load_cert_chain(a.cert, a.key)
    if purpose == ssl.Purpose.CLIENT_AUTH:
        ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def peer_name(sock):
    for field in sock.getpeercert().get("subject", ()):
        for key, value in field:
            if key == "commonName":
                return value
    return ""


def pull_keyset(a, triplet):
    """The key set of the triplet's run from the HSS: (status, body)."""
    host, port = a.hss.rsplit(":", 1)
    by = "sqn" if "sqn" in triplet else "rand"
    conn = http.client.HTTPSConnection(
        host, int(port), timeout=5,
        context=https_context(a, ssl.Purpose.SERVER_AUTH))
    conn.request("POST", "/e2m/v1/keyset",
                 body=json.dumps({"imsi": triplet["imsi"],
                                  by: triplet[by]}),
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, json.loads(body or b"{}")


def hse_handler(a):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status, obj):
            body = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            data = self.rfile.read(int(self.headers["Content-Length"]))
            if peer_name(self.connection) != a.client:
                return self.answer(403, {"error": "forbidden",
                                         "detail": "client not listed"})
            mode = open(a.mode_file).read().strip() \
                if os.path.exists(a.mode_file) else "ok"
            if mode == "refuse":
                return self.answer(409, {"error": "teid-in-use",
                                         "detail": "the stand-in refuses"})
            triplet = json.loads(data)
            status, keyset = pull_keyset(a, triplet)
            with open(a.out, "a") as out:
                out.write(json.dumps({"path": self.path,
                                      "triplet": triplet,
                                      "keyset-status": status,
                                      "keyset": keyset}) + "\n")
            if status != 200:
                return self.answer(502, {"error": "keyset-unavailable",
                                         "detail": "HSS %d" % status})
            teid = triplet["teid"]["hse"]
            self.answer(200, {"imsi": triplet["imsi"], "teid": teid,
                              "key-id": triplet["ksi"],
                              "key-description": "imsi:%s ksi:%d teid:%x" %
                              (triplet["imsi"], triplet["ksi"], teid)})
    return Handler


def cmd_hse(a):
    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

    server = Server(("127.0.0.1", 0), hse_handler(a))
    server.socket = https_context(a, ssl.Purpose.CLIENT_AUTH).wrap_socket(
        server.socket, server_side=True)
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(a.port_file + ".tmp", a.port_file)
    server.serve_forever()


# ---- raw -------------------------------------------------------------------------


def cmd_raw(a):
    host, port = a.addr.rsplit(":", 1)
    data = open(a.data_file, "rb").read()
    s = socket.create_connection((host, int(port)), timeout=10)
    try:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        answer = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    except OSError:
        answer = b""
    s.close()
    line = answer.split(b"\r\n", 1)[0].decode("latin-1")
    print("status=%s" % (line.split(" ")[1] if line.startswith("HTTP/")
                         else "closed"))



# ---- ue-workers -----------------------------------------------------------------


def worker_ub_requests(status_cmd):
    out = subprocess.run(status_cmd, shell=True, check=True,
                         capture_output=True).stdout
    return [[r for r in w["roles"] if r["name"] == "bsf"][0]["counters"]
            ["ub-requests"] for w in json.loads(out)["workers"]]


class Pinned:
    """A kept-alive connection to one worker; a closed one is an error,
    never quietly opened again (it could land at the other worker)."""

    def __init__(self, host, port):
        self.conn = http.client.HTTPConnection(host, port, timeout=15)
        self.conn.connect()
        self.sock = self.conn.sock

    def get(self, auth):
        headers = {"Authorization": auth} if auth is not None else {}
        self.conn.request("GET", "/", headers=headers)
        if self.conn.sock is not self.sock:
            raise SystemExit("ue-workers: the connection was opened again")
        r = self.conn.getresponse()
        body = r.read()
        if r.getheader("Connection", "").lower() == "close":
            raise SystemExit("ue-workers: the BSF closed the connection")
        return r, body


def pin_workers(host, port, status_cmd):
    """Connections until one is at worker 0 and one at worker 1."""
    pinned = {}
    for _ in range(64):
        c = Pinned(host, port)
        before = worker_ub_requests(status_cmd)
        c.get(None)             # 400, counted by the worker it reached
        after = worker_ub_requests(status_cmd)
        moved = [i for i in range(len(after)) if after[i] != before[i]]
        if len(moved) == 1 and moved[0] not in pinned:
            pinned[moved[0]] = c
        else:
            c.conn.close()
        if len(pinned) == 2:
            return pinned[0], pinned[1]
    raise SystemExit("ue-workers: no connection to each of two workers")


def bootstrap_across(a, at, to):
    """First request at one connection, the answer at the other: the
    statuses, whether rspauth held, and the answer's Authorization."""
    k, opc = bytes.fromhex(a.k), bytes.fromhex(a.opc)
    first = credentials({"username": a.impi, "realm": a.realm, "nonce": "",
                         "uri": "/", "response": ""})
    r, body = at.get(first)
    if r.status != 401:
        return "%d:%s" % (r.status, error_token(body)), None
    ch = params(r.getheader("WWW-Authenticate"))
    nonce = ch["nonce"]
    v = milenage(k, opc, base64.b64decode(nonce)[:16])
    cnonce = os.urandom(16).hex()
    response = digest(a.impi, ch["realm"], v["res"], "GET", "/", nonce,
                      "00000001", cnonce, b"")
    auth = credentials({"username": a.impi, "realm": ch["realm"],
                        "nonce": nonce, "uri": "/", "qop": "auth-int",
                        "nc": "00000001", "cnonce": cnonce,
                        "response": response,
                        "opaque": ch.get("opaque", ""),
                        "algorithm": "AKAv1-MD5"})
    r, body = to.get(auth)
    if r.status != 200:
        return "401-%d:%s" % (r.status, error_token(body)), auth
    info = params(r.getheader("Authentication-Info") or "")
    want = digest(a.impi, ch["realm"], v["res"], "", "/", nonce,
                  "00000001", cnonce, body)
    return "401-200-%s" % ("ok" if info.get("rspauth") == want
                           else "bad"), auth


def cmd_ue_workers(a):
    host, port = a.addr.rsplit(":", 1)
    w0, w1 = pin_workers(host, port, a.status)
    print("pinned=0,1")
    outcomes, replay = [], None
    for i in range(a.rounds):
        outcome, auth = bootstrap_across(a, w0, w1)
        outcomes.append(outcome)
        replay = replay or auth
    outcome, _ = bootstrap_across(a, w1, w0)
    outcomes.append(outcome)
    print("across=%s" % " ".join(outcomes))
    got = []
    for c in (w0, w1):
        r, body = c.get(replay)
        got.append("%d:%s" % (r.status, error_token(body)))
    print("replay=%s" % " ".join(got))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    # What every UE command needs: the BSF and the subscriber.
    subscriber = argparse.ArgumentParser(add_help=False)
    subscriber.add_argument("--addr", required=True)
    subscriber.add_argument("--impi", required=True)
    subscriber.add_argument("--realm", default="bsf")
    subscriber.add_argument("--k", required=True)
    subscriber.add_argument("--opc", required=True)
    ue = sub.add_parser("ue", parents=[subscriber])
    ue.add_argument("--naf-id")
    ue.add_argument("--wrong-res", action="store_true")
    ue.add_argument("--replay", action="store_true")
    ue.add_argument("--set", action="append")
    ue.add_argument("--body")
    ue.add_argument("--send-body")
    ue.add_argument("--print-body", action="store_true")
    ue.add_argument("--answer-at")
    ue.add_argument("--replay-at", action="append")
    ue.add_argument("--race-at", action="append")
    uew = sub.add_parser("ue-workers", parents=[subscriber])
    uew.add_argument("--status", required=True)
    uew.add_argument("--rounds", type=int, default=3)
    proxy = sub.add_parser("proxy")
    proxy.add_argument("--upstream", required=True)
    proxy.add_argument("--port-file", required=True)
    proxy.add_argument("--mode", required=True)
    proxy.add_argument("--k", default="00" * 16)
    proxy.add_argument("--opc", default="00" * 16)
    loop = sub.add_parser("zh-loop")
    for name in ("addr", "impi", "cert", "key", "ca", "out"):
        loop.add_argument("--" + name, required=True)
    loop.add_argument("--count", type=int, default=1000)
    loop.add_argument("--max-seconds", type=float, default=300)
    loop.add_argument("--parallel", type=int, default=1)
    sqn = sub.add_parser("sqn")
    sqn.add_argument("--k", required=True)
    sqn.add_argument("--opc", required=True)
    naf = sub.add_parser("naf-keys")
    for name in ("k", "opc", "impi", "btid", "naf-id"):
        naf.add_argument("--" + name, required=True)
    raw = sub.add_parser("raw")
    raw.add_argument("--addr", required=True)
    raw.add_argument("--data-file", required=True)
    best = sub.add_parser("best-av")
    best.add_argument("--k", required=True)
    best.add_argument("--opc", required=True)
    best.add_argument("--sn-id")
    best.add_argument("--snn")
    hse = sub.add_parser("hse")
    for name in ("cert", "key", "ca", "hss", "client", "out", "port-file",
                 "mode-file"):
        hse.add_argument("--" + name, required=True)
    a = p.parse_args()
    {"ue": cmd_ue, "proxy": cmd_proxy, "zh-loop": cmd_zh_loop,
     "sqn": cmd_sqn, "naf-keys": cmd_naf_keys, "raw": cmd_raw, "best-av": cmd_best_av,
     "hse": cmd_hse, "ue-workers": cmd_ue_workers}[a.cmd](a)


if __name__ == "__main__":
    main()
