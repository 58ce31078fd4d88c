#!/usr/bin/env python3
"""Report a violation to vhcvd through libvhcv, from Python, with ctypes.

    report.py [--lib PATH] ENDPOINT OFFICIAL RULE OCCURRED_ON SOURCE TEXT [KEY]

Prints the case as JSON. Shows how an HR system in another language links
libvhcv: the option structs are mirrored as ctypes structures, and results
are read through their first member, "json" (every result struct starts with
it), so no other struct layout needs mirroring. Exit status: 0, or the
library's error code negated (3 not found, 6 conflict, ...; see errors.h).
"""
import ctypes
import ctypes.util
import json
import sys


class ReportOptions(ctypes.Structure):
    """vhcv_report_options (vhcv/cases.h), version 1."""
    _fields_ = [
        ("version", ctypes.c_uint),
        ("official", ctypes.c_char_p),
        ("rule", ctypes.c_char_p),
        ("occurred_on", ctypes.c_char_p),
        ("detected_on", ctypes.c_char_p),
        ("source", ctypes.c_char_p),
        ("description", ctypes.c_char_p),
        ("place", ctypes.c_char_p),
        ("idempotency_key", ctypes.c_char_p),
    ]


class JsonFirst(ctypes.Structure):
    """The first member of every libvhcv result struct."""
    _fields_ = [("json", ctypes.c_char_p)]


def load(path=None):
    lib = ctypes.CDLL(path or ctypes.util.find_library("vhcv") or "libvhcv.so.1")
    lib.vhcv_client_open.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_char_p,
                                     ctypes.c_void_p]
    lib.vhcv_client_open.restype = ctypes.c_int
    lib.vhcv_client_close.argtypes = [ctypes.c_void_p]
    lib.vhcv_client_errmsg.argtypes = [ctypes.c_void_p]
    lib.vhcv_client_errmsg.restype = ctypes.c_char_p
    lib.vhcv_strerror.argtypes = [ctypes.c_int]
    lib.vhcv_strerror.restype = ctypes.c_char_p
    lib.vhcv_case_report.argtypes = [ctypes.POINTER(ctypes.POINTER(JsonFirst)),
                                     ctypes.c_void_p, ctypes.POINTER(ReportOptions)]
    lib.vhcv_case_report.restype = ctypes.c_int
    lib.vhcv_case_free.argtypes = [ctypes.POINTER(JsonFirst)]
    return lib


class VhcvError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def report(lib, endpoint, official, rule, occurred_on, source, text, key=None):
    """Report a violation; returns the case as a dict."""
    client = ctypes.c_void_p()
    rc = lib.vhcv_client_open(ctypes.byref(client), endpoint.encode(), None)
    if rc != 0:
        raise VhcvError(rc, lib.vhcv_strerror(rc).decode())
    try:
        enc = lambda s: s.encode() if s is not None else None
        opts = ReportOptions(1, enc(official), enc(rule), enc(occurred_on), None,
                             enc(source), enc(text), None, enc(key))
        case = ctypes.POINTER(JsonFirst)()
        rc = lib.vhcv_case_report(ctypes.byref(case), client, ctypes.byref(opts))
        if rc != 0:
            raise VhcvError(rc, lib.vhcv_client_errmsg(client).decode())
        try:
            return json.loads(case.contents.json.decode())
        finally:
            lib.vhcv_case_free(case)
    finally:
        lib.vhcv_client_close(client)


def main(argv):
    path = None
    if len(argv) > 2 and argv[1] == "--lib":
        path = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) not in (7, 8):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        case = report(load(path), *argv[1:])
    except VhcvError as e:
        print(f"vhcv: {e}", file=sys.stderr)
        return -e.code
    print(json.dumps(case, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
