"""Compares a freshly computed JSON document with a committed asset: the same keys, lists and strings, and numbers
that agree to 1e-6 (plus 1e-6 relative). The assets' models are the same bit for bit on every x86-64 CPU
(--kernels portable), but figures computed from them differ in their last bits between CPUs (measured: off-span
shares by up to 2e-7, drifts by 7e-8, between two AMD EPYC machines with the same build). Any change to the
code moves them by far more.
   json_close.py FRESH COMMITTED 'the command that makes it'"""
import json
import sys


def same(x, y):
    if isinstance(x, dict) and isinstance(y, dict):
        return set(x) == set(y) and all(same(x[k], y[k]) for k in x)
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(same(p, q) for p, q in zip(x, y))
    if isinstance(x, float) and isinstance(y, (int, float)) and not isinstance(y, bool):
        return abs(x - y) <= 1e-6 + 1e-6 * abs(y)
    return x == y


def first_difference(x, y, path=""):
    if isinstance(x, dict) and isinstance(y, dict):
        for k in sorted(set(x) | set(y)):
            if k not in x or k not in y:
                return f"{path}.{k} is only in one of them"
            d = first_difference(x[k], y[k], f"{path}.{k}")
            if d:
                return d
    elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        for i, (p, q) in enumerate(zip(x, y)):
            d = first_difference(p, q, f"{path}[{i}]")
            if d:
                return d
    elif not same(x, y):
        return f"{path}: {y} committed, {x} now"
    return None


def check(fresh, committed, name, command):
    if not same(fresh, committed):
        sys.exit(f"{name} differs from: {command} (first difference: {first_difference(fresh, committed)})")


if __name__ == "__main__":
    fresh_path, committed_path, command = sys.argv[1:4]
    check(json.load(open(fresh_path)), json.load(open(committed_path)), committed_path, command)
    print(f"{committed_path} is in step")
