#!/usr/bin/env python3
"""Attacks on a vhcvd listener for test_abuse.sh; each prints its figures.

  abuse.py idle   HOST PORT SRC N SECONDS   hold N idle connections from SRC
  abuse.py slow   HOST PORT SRC N SECONDS   N clients sending a header byte every 0.5 s
  abuse.py body   HOST PORT NSRC PER PATH   NSRC*PER clients POST 1 MB to PATH
  abuse.py health HOST PORT|unix:PATH SECONDS   health every 0.2 s, prints the slowest
  abuse.py keepalive HOST PORT SRC N HOLD   kept-alive GETs from SRC (limit N), hold two
  abuse.py tokens HOST PORT SRC PATH TOKEN...   GET PATH with each token (- none) on one connection
"""
import socket
import sys
import threading
import time


def connect(host, port, src):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((src, 0))
    s.settimeout(5)
    s.connect((host, port))
    return s


def closed_by_peer(s):
    """True once the server closed (or reset) the connection."""
    s.setblocking(False)
    try:
        return s.recv(4096) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        s.setblocking(True)


def idle(host, port, src, n, seconds):
    socks = []
    refused = 0
    for _ in range(n):
        try:
            socks.append(connect(host, port, src))
        except OSError:
            refused += 1
    time.sleep(0.5)
    early = sum(closed_by_peer(s) for s in socks)
    time.sleep(seconds)
    late = sum(closed_by_peer(s) for s in socks)
    print(f"idle: {n} connections from {src}: {refused} refused at connect, "
          f"{early} closed at once (per-address limit), {late} closed after {seconds:.0f} s")
    for s in socks:
        s.close()


def slow(host, port, src, n, seconds):
    socks = [connect(host, port, src) for _ in range(n)]
    for s in socks:
        s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
    start = time.time()
    cut_at = [None] * n
    i = 0
    while time.time() - start < seconds and None in cut_at:
        for k, s in enumerate(socks):
            if cut_at[k] is not None:
                continue
            try:
                s.sendall(b"X-a: " if i % 2 == 0 else b"b\r\n")
            except OSError:
                cut_at[k] = time.time() - start
                continue
            if closed_by_peer(s):
                cut_at[k] = time.time() - start
        i += 1
        time.sleep(0.5)
    cut = [c for c in cut_at if c is not None]
    print(f"slow: {n} clients sending a byte every 0.5 s: {len(cut)} cut, "
          f"the last after {max(cut) if cut else 0:.1f} s")
    for s in socks:
        s.close()


def body(host, port, nsrc, per, path):
    answers = {}
    lock = threading.Lock()

    def one(src):
        try:
            s = connect(host, port, src)
            s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {1 << 20}\r\n\r\n".encode())
            chunk = b"x" * 65536
            try:
                for _ in range(16):
                    s.sendall(chunk)
            except OSError:
                pass
            data = b""
            s.settimeout(10)
            while b"\r\n" not in data:
                more = s.recv(4096)
                if not more:
                    break
                data += more
            code = data.split(b" ")[1].decode() if data.startswith(b"HTTP/") else "none"
            s.close()
        except OSError as e:
            code = type(e).__name__
        with lock:
            answers[code] = answers.get(code, 0) + 1

    threads = [threading.Thread(target=one, args=(f"127.0.{1 + k // 200}.{1 + k % 200}",))
               for k in range(nsrc) for _ in range(per)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("body: " + " ".join(f"{k}={v}" for k, v in sorted(answers.items())))


def health(target, seconds):
    worst, n, bad = 0.0, 0, 0
    end = time.time() + seconds
    while time.time() < end:
        t0 = time.time()
        try:
            if target.startswith("unix:"):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.settimeout(5)
                s.connect(target[5:])
            else:
                host, port = target.rsplit(":", 1)
                s = socket.create_connection((host, int(port)), timeout=5)
            s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                more = s.recv(4096)
                if not more:
                    break
                data += more
            s.close()
            if not data.startswith(b"HTTP/1.1 200"):
                bad += 1
        except OSError:
            bad += 1
        worst = max(worst, time.time() - t0)
        n += 1
        time.sleep(0.2)
    print(f"health {target}: {n} requests, {bad} failed, slowest {worst * 1000:.0f} ms")


PENDING = {}  # bytes read past an answer, by socket


def get(s, extra=b""):
    """One GET /v1/health on s: (status, whether the answer says Connection: close)."""
    s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n")
    return answer(s)


def answer(s):
    data = b""
    while b"\r\n\r\n" not in data:
        more = s.recv(4096)
        if not more:
            return ("none", False)
        data += more
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode().lower().split("\r\n")
    length = next((int(h.split(":")[1]) for h in lines if h.startswith("content-length:")), 0)
    while len(rest) < length:
        more = s.recv(4096)
        if not more:
            break
        rest += more
    PENDING[s] = rest[length:]
    return (lines[0].split(" ")[1], "connection: close" in lines)


def keepalive(host, port, src, limit, hold):
    """Keep-alive from one address with per_ip_connections = limit: the
    connections past three quarters of it are closed after their answer,
    so that a next client from that address still gets in; prints what
    each saw, then holds the first two idle for `hold` seconds."""
    socks, closing = [], set()
    for k in range(limit):
        s = connect(host, port, src)
        code, close = get(s)
        print(f"keepalive: connection {k + 1}: {code}{' close' if close else ''}")
        socks.append(s)
        if close:
            closing.add(k)
    # vhcvd counts a connection until it is closed: wait until those it
    # answered with "close" are gone (else the next answer on the first
    # may close it too, the address still counting four)
    gone = set()
    for _ in range(100):
        gone |= {k for k in closing - gone if closed_by_peer(socks[k])}
        if gone == closing:
            break
        time.sleep(0.02)
    time.sleep(0.1)
    code, close = get(socks[0])
    print(f"keepalive: connection 1 again: {code}{' close' if close else ''}")
    time.sleep(0.3)
    shut = sum(k in gone or closed_by_peer(s) for k, s in enumerate(socks))
    print(f"keepalive: {shut} closed by vhcvd")
    time.sleep(0.3)
    try:
        code = get(connect(host, port, src))[0]
    except OSError as e:
        code = type(e).__name__
    print(f"keepalive: a new connection: {code}")
    s = connect(host, port, "127.0.0.1")
    s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n" * 2)
    first = answer(s)[0]
    print(f"keepalive: two pipelined: {first} {get_pending(s)}")
    s.close()
    s = connect(host, port, "127.0.0.1")
    s.sendall(b"GET /v1/health HTTP/1.0\r\n\r\n")
    code = answer(s)[0]
    s.settimeout(2)
    print(f"keepalive: HTTP/1.0: {code}, then {'closed' if s.recv(1) == b'' else 'open'}")
    s.close()
    print("keepalive: holding", flush=True)
    time.sleep(hold)


def tokens(host, port, src, path, toks):
    """Each request on a kept-alive connection is identified by its own
    token, never by the connection's first one."""
    s = connect(host, port, src)
    codes = []
    for t in toks:
        auth = b"" if t == "-" else f"Authorization: Bearer {t}\r\n".encode()
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n".encode() + auth + b"\r\n")
        codes.append(answer(s)[0])
    print("tokens: " + " ".join(codes))


def get_pending(s):
    """the answer after the one read, from what came with it"""
    data = PENDING.get(s, b"")
    s.settimeout(5)
    while b"\r\n" not in data:
        more = s.recv(4096)
        if not more:
            return "none"
        data += more
    return data.split(b" ")[1].decode()


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "idle":
        idle(args[0], int(args[1]), args[2], int(args[3]), float(args[4]))
    elif cmd == "slow":
        slow(args[0], int(args[1]), args[2], int(args[3]), float(args[4]))
    elif cmd == "body":
        body(args[0], int(args[1]), int(args[2]), int(args[3]), args[4])
    elif cmd == "keepalive":
        keepalive(args[0], int(args[1]), args[2], int(args[3]), float(args[4]))
    elif cmd == "tokens":
        tokens(args[0], int(args[1]), args[2], args[3], args[4:])
    elif cmd == "health":
        health(args[0], float(args[1]))
