#!/usr/bin/env python3
"""A stand-in for systemd-journald's native socket (tests/integration/journal.sh): binds
/run/systemd/journal/socket (in the test's own mount namespace), and writes each entry a
program sends with sd_journal_send as one JSON object a line to the file given. The native
protocol: KEY=VALUE lines, or KEY, a newline, a little-endian 64-bit length and the value's
bytes, then a newline (for values with newlines)."""
import json, os, socket, struct, sys

path, out = "/run/systemd/journal/socket", sys.argv[1]
os.makedirs(os.path.dirname(path), exist_ok=True)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
open(out + ".ready", "w").close()
with open(out, "a") as f:
    while True:
        data = s.recv(1 << 20)
        entry, i = {}, 0
        while i < len(data):
            nl = data.index(b"\n", i)
            line = data[i:nl]
            if b"=" in line:
                k, v = line.split(b"=", 1)
                i = nl + 1
            else:
                n = struct.unpack("<Q", data[nl + 1:nl + 9])[0]
                k, v = line, data[nl + 9:nl + 9 + n]
                i = nl + 9 + n + 1
            entry[k.decode()] = v.decode("utf-8", "replace")
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        f.flush()
