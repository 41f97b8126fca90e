#!/usr/bin/env python3
"""What an attacker on the network does to a listener open to anyone (the enrollment
listener): many slow connections, large bodies, a huge header, a request trickled byte by byte.
Each mode prints one line of JSON with what it saw, for the test to check.

  flood.py slow HOST PORT N SECONDS       N TCP connections that send a byte now and then
  flood.py bodies HOST PORT N BYTES       N TLS connections each posting a body of BYTES
  flood.py header HOST PORT BYTES         one TLS request with a header of BYTES
  flood.py trickle HOST PORT SECONDS      a TLS request sent one byte a second: when is it cut?
"""
import json
import resource
import socket
import ssl
import sys
import threading
import time


def tls(host, port):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection((host, port), timeout=30)
    return ctx.wrap_socket(raw, server_hostname=host)


def slow(host, port, n, seconds):
    # as many descriptors as the hard limit allows: the flood is meant to outnumber registryd's
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    socks, failed = [], 0
    for _ in range(n):  # connecting all at once, without waiting for each
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex((host, port))
            socks.append(s)
        except OSError:
            failed += 1
    end = time.time() + seconds
    while time.time() < end:
        for s in socks:
            try:
                s.send(b"\x16")  # the first byte of a TLS record, and never the rest
            except OSError:
                pass
        time.sleep(1)
    open_now = 0
    for s in socks:
        try:
            s.send(b"\x03")
            open_now += 1
        except OSError:
            pass
        s.close()
    print(json.dumps({"opened": len(socks), "failed": failed, "still_open": open_now}))


def post_body(host, port, size, out, i):
    sent = 0
    try:
        s = tls(host, port)
        s.sendall(b"POST /v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: %d\r\n\r\n" % size)
        chunk = b"{" + b" " * 65535
        while sent < size:
            s.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass
    out[i] = sent


def bodies(host, port, n, size):
    out = [0] * n
    ts = [threading.Thread(target=post_body, args=(host, port, size, out, i)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(json.dumps({"connections": n, "max_sent": max(out), "total_sent": sum(out)}))


def header(host, port, size):
    sent, answer, s = 0, b"", None
    try:
        s = tls(host, port)
        s.sendall(b"POST /v1/enroll HTTP/1.1\r\nHost: x\r\nX-Pad: ")
        chunk = b"a" * 65536
        while sent < size:
            s.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass
    try:
        answer = s.recv(200) if s else b""
    except OSError:
        pass
    print(json.dumps({"sent": sent, "answer": answer.decode("latin-1")[:40]}))


def trickle(host, port, seconds):
    start = time.time()
    cut = None
    try:
        s = tls(host, port)
        for b in b"POST /v1/enroll HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200:
            s.sendall(bytes([b]))
            time.sleep(1)
            if time.time() - start > seconds:
                break
    except OSError:
        cut = time.time() - start
    print(json.dumps({"cut_after_s": None if cut is None else round(cut, 1)}))


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "slow":
        slow(host, port, int(sys.argv[4]), float(sys.argv[5]))
    elif mode == "bodies":
        bodies(host, port, int(sys.argv[4]), int(sys.argv[5]))
    elif mode == "header":
        header(host, port, int(sys.argv[4]))
    elif mode == "trickle":
        trickle(host, port, float(sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
