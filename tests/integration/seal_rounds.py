#!/usr/bin/env python3
"""Seal rounds for test_seals.sh over one keep-alive connection to the
Unix socket: a note on a case, then a seal; prints the seals' figures.

  seal_rounds.py SOCKET ROUNDS CASE...
"""
import http.client
import json
import socket
import sys
import time


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=60)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(60)
        self.sock.connect(self.path)


def call(conn, method, path, body=None):
    conn.request(method, path, body=json.dumps(body) if body is not None else None,
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    return r.status, data


def main():
    sock, rounds, cases = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    conn = UnixConnection(sock)
    times, bad = [], 0
    for i in range(rounds):
        st, _ = call(conn, "POST", f"/v1/cases/{cases[i % len(cases)]}/notes", {"text": f"vòng {i}"})
        t0 = time.time()
        st2, data = call(conn, "POST", "/v1/audit/seal")
        times.append(time.time() - t0)
        if st != 200 or st2 != 201:
            bad += 1
    times.sort()
    print(f"seal rounds: {rounds}, {bad} failed; a seal takes {1000 * sum(times) / len(times):.1f} ms"
          f" on average, {1000 * times[len(times) // 2]:.1f} median,"
          f" {1000 * times[int(len(times) * 0.99)]:.1f} at the 99th percentile")


main()
