#!/usr/bin/env python3
"""booksmart bench-crown and the bench's PyTorch CROWN (bench/crown_peer.py) bound the same margins: each of
the first 300 test images' smallest certified margin agrees within 1e-3, so the bench times the same work for
both, and the page's bounds are checked against an independent implementation. A bad radius is refused.

Usage: crown_matches_pytorch.py BOOKSMART MNIST_DIR MODEL
"""
import json
import os
import subprocess
import sys

booksmart, mnist, model = sys.argv[1:4]
peer = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "crown_peer.py")
for eps in ("0.01", "0.05"):
    ours = json.loads(subprocess.check_output([booksmart, "bench-crown", "--model", model, "--data", mnist,
                                               "--count", "300", "--eps", eps, "--repeat", "1", "--json"]))
    theirs = json.loads(subprocess.check_output([sys.executable, peer, mnist, model, "--count", "300", "--eps", eps,
                                                 "--repeat", "1", "--batch", "100"]))
    diff = max(abs(a - b) for a, b in zip(ours["margins"], theirs["margins"]))
    assert len(ours["margins"]) == len(theirs["margins"]) == 300
    assert diff <= 1e-3, f"eps {eps}: margins differ by up to {diff}"
    assert 0 < ours["certified"] < 300, f"eps {eps}: {ours['certified']} certified: the check would be vacuous"
    assert ours["certified"] == theirs["certified"], (ours["certified"], theirs["certified"])
    print(f"eps {eps}: {ours['certified']} of 300 certified by both, margins within {diff:.1e}")
bad = subprocess.run([booksmart, "bench-crown", "--model", model, "--data", mnist, "--eps", "0"],
                     capture_output=True, text=True)
assert bad.returncode != 0 and "--eps must be in (0, 1]" in bad.stderr, bad.stderr
