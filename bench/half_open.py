#!/usr/bin/env python3
"""Memory of scripto-server under half-open connections.

Starts the given scripto-server binary on a fresh database, opens N
connections that each send half a request (a request line and one header,
never the blank line), and reports the server's resident memory (VmRSS)
before, with them open, and after they are all closed.

    bench/half_open.py target/debug/scripto-server 15000 [serve flags...]
"""
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    binary, n, extra = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    tmp = tempfile.mkdtemp()
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    server = subprocess.Popen(
        [binary, "serve", "--addr", f"127.0.0.1:{port}", "--db", f"{tmp}/s.db",
         "--anonymous-limit", "1000000", *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    time.sleep(0.5)
    idle = rss_kib(server.pid)
    socks, refused = [], 0
    started = time.time()
    for _ in range(n):
        s = socket.socket()
        s.setblocking(False)
        err = s.connect_ex(("127.0.0.1", port))
        if err not in (0, 115):  # EINPROGRESS
            refused += 1
            s.close()
            continue
        socks.append(s)
    time.sleep(1)
    sent = 0
    for s in socks:
        try:
            s.send(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
            sent += 1
        except OSError:
            pass
    time.sleep(3)
    loaded = rss_kib(server.pid)
    # A real request while they are open.
    t = time.time()
    try:
        real = socket.create_connection(("127.0.0.1", port), timeout=30)
        real.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = real.recv(64).decode(errors="replace").split("\r\n")[0]
        real.close()
    except OSError as e:
        answer = f"failed: {e}"
    real_secs = time.time() - t
    for s in socks:
        s.close()
    time.sleep(5)
    after = rss_kib(server.pid)
    server.terminate()
    server.wait(timeout=30)
    print(f"connections opened {len(socks)} (refused at connect: {refused}), half-requests sent {sent}")
    print(f"RSS idle {idle/1024:.1f} MiB, with them open {loaded/1024:.1f} MiB, "
          f"5 s after closing them {after/1024:.1f} MiB")
    print(f"a real request meanwhile: {answer!r} in {real_secs:.2f} s")


main()
