#!/usr/bin/env python3
"""Load for the failover test (test_failover.sh): keyed writes through
several vhcvd, each retried until it is acknowledged, every attempt logged.

  load.py prepare SOCKS PREFIX N OUT     N cases reported, accepted and
                                         given a council; their numbers in OUT
  load.py burst SOCKS PREFIX CASES STOP OUT WORKERS
                                         keyed reports and keyed decisions of
                                         the prepared CASES until the file STOP
                                         exists; one JSON line per write in OUT;
                                         meanwhile a follower of the change
                                         feed, from its start, through the
                                         failover: every item in OUT.feed
  load.py feed SOCKS OUT                 the whole feed from its start, in OUT

SOCKS is "a.sock,b.sock". A write is retried (same key, same body) after a
broken connection or a 503 until it is acknowledged (2xx) or 120 s pass;
any other answer is a wrong answer and is logged as such.
"""
import datetime
import http.client
import json
import os
import socket
import sys
import threading
import time


class UnixConn(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=30)
        self.path_ = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(30)
        s.connect(self.path_)
        self.sock = s


def call(sock, method, path, body=None):
    """(status, json) or (None, error text) when the connection failed"""
    c = UnixConn(sock)
    try:
        data = json.dumps(body).encode() if body is not None else None
        c.request(method, path, body=data,
                  headers={"Content-Type": "application/json"} if data else {})
        r = c.getresponse()
        raw = r.read()
        try:
            return r.status, json.loads(raw) if raw else {}
        except ValueError:
            return r.status, {"raw": raw.decode(errors="replace")}
    except OSError as e:
        return None, str(e)
    finally:
        c.close()


def now_ms():
    return int(time.time() * 1000)


def until_acked(socks, first, method, path, body, ok=(200, 201), limit_s=120):
    """Retry until 2xx; returns a record of the write."""
    rec = {"t0": now_ms(), "attempts": 0, "failed": 0, "status": None}
    i = first
    deadline = time.time() + limit_s
    while True:
        rec["attempts"] += 1
        status, j = call(socks[i % len(socks)], method, path, body)
        if status in ok:
            rec.update(status=status, ack=now_ms(), answer=j)
            return rec
        if status is not None and status != 503:
            rec.update(status=status, wrong=j)
            return rec
        rec["failed"] += 1
        if time.time() > deadline:
            rec.update(status=status, gave_up=j)
            return rec
        i += 1  # the other vhcvd, then back
        time.sleep(0.05 if status is None else 0.1)


def prepare(socks, prefix, n, out):
    today = datetime.date.today()
    nums, lock = [], threading.Lock()

    base = int(prefix.strip("R") or 0) * 100  # an official of its own per case and round

    def one(k):
        body = {"official": f"P-{base + k}", "rule": "TD-01",
                "occurred_on": (today - datetime.timedelta(days=k % 200 + 1)).isoformat(),
                "source": "inspection", "description": "chuẩn bị",
                "idempotency_key": f"{prefix}-prep-{k}"}
        r = until_acked(socks, k, "POST", "/v1/cases", body)
        case = r.get("answer", {}).get("case")
        if not case:
            sys.exit(f"prepare: report {k}: {r}")
        for step, b in (("accept", {"note": "Tiếp nhận"}),
                        ("council", {"members": ["M-1", "M-2", "M-3"], "recommend": "khien_trach"})):
            s, j = call(socks[k % len(socks)], "POST", f"/v1/cases/{case}/{step}", b)
            if s != 200:
                sys.exit(f"prepare: {step} {case}: {s} {j}")
        with lock:
            nums.append(case)

    threads = [threading.Thread(target=lambda w=w: [one(k) for k in range(w, n, 4)])
               for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if len(nums) != n:
        sys.exit("prepare: some cases were not prepared")
    with open(out, "w") as f:
        f.write("\n".join(nums) + "\n")


def read_feed(socks, items, stop=None, cursor="0"):
    """Follow /v1/changes from cursor, through either vhcvd, until stop()
    is true and the feed is drained; returns the last cursor."""
    i, empty = 0, 0
    while True:
        status, j = call(socks[i % len(socks)], "GET", f"/v1/changes?after={cursor}&limit=1000")
        if status != 200:
            i += 1
            time.sleep(0.1)
            continue
        items.extend(j["items"])
        cursor = j["next"]
        empty = 0 if j["items"] else empty + 1
        if (stop is None or stop()) and empty >= 2:
            return cursor
        if not j["items"]:
            time.sleep(0.05)


def burst(socks, prefix, cases_file, stop, out, workers):
    today = datetime.date.today()
    cases = [l.strip() for l in open(cases_file) if l.strip()]
    lock = threading.Lock()
    counter = [0]
    outf = open(out, "w")
    base = int(prefix.strip("R") or 0) * 10000

    def log(rec):
        with lock:
            outf.write(json.dumps(rec) + "\n")
            outf.flush()

    def worker(w):
        while not os.path.exists(stop):
            with lock:
                n = counter[0]
                counter[0] += 1
            if n % 3 == 2 and cases:
                # a decision on a prepared case, with a key
                case = cases.pop()
                key = f"{prefix}-d-{case}"
                body = {"severity": "it_nghiem_trong", "form": "khien_trach",
                        "number": f"{base + n + 1}/QĐ-UBND", "signed_on": today.isoformat(),
                        "idempotency_key": key}
                r = until_acked(socks, w, "POST", f"/v1/cases/{case}/decide", body, ok=(200,))
                a = r.pop("answer", {}) or {}
                r.update(kind="decide", key=key, case=case,
                         decisions=len(a.get("decisions", [])) if "decisions" in a else None,
                         answered_status=a.get("status"))
            else:
                key = f"{prefix}-r-{n}"
                body = {"official": f"O-{n % 400 + 1}", "rule": f"TD-0{n % 5 + 1}",
                        "occurred_on": (today - datetime.timedelta(days=n // 400 + 1)).isoformat(),
                        "source": "inspection", "description": f"tải {key}",
                        "idempotency_key": key}
                r = until_acked(socks, w, "POST", "/v1/cases", body)
                a = r.pop("answer", {}) or {}
                r.update(kind="report", key=key, case=a.get("case"))
            log(r)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    feed, done = [], threading.Event()
    follower = threading.Thread(target=read_feed, args=(socks, feed, done.is_set))
    follower.start()
    for t in threads:
        t.join()
    outf.close()
    done.set()
    follower.join()
    with open(out + ".feed", "w") as f:
        for it in feed:
            f.write(json.dumps(it) + "\n")


if __name__ == "__main__":
    cmd, socks = sys.argv[1], sys.argv[2].split(",")
    if cmd == "prepare":
        prepare(socks, sys.argv[3], int(sys.argv[4]), sys.argv[5])
    elif cmd == "feed":
        items = []
        read_feed(socks, items)
        with open(sys.argv[3], "w") as f:
            for it in items:
                f.write(json.dumps(it) + "\n")
    elif cmd == "burst":
        burst(socks, sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], int(sys.argv[7]))
    else:
        sys.exit("usage: load.py prepare|burst ...")
