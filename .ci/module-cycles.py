#!/usr/bin/env python3
"""Fails when the top-level modules of a crate import each other in a circle.

A module may use its own submodules and its parent freely; between sibling modules (the
top-level modules of `src/`), uses must go one way. Usage: module-cycles.py SRC_DIR...
"""
import collections
import os
import re
import sys


def modules(root):
    """Module path -> source without comments and tests, for every file under `root`."""
    out = {}
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(folder, name)
            parts = os.path.relpath(path, root)[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            text = open(path, encoding="utf-8").read()
            text = text.split("#[cfg(test)]", 1)[0]
            out["::".join(parts) or "crate"] = re.sub(r"//[^\n]*", "", text)
    return out


def edges(mods):
    """(from, to) between top-level modules, for every `crate::` and `super::` use."""
    found = set()
    for name, text in mods.items():
        parent = "::".join(name.split("::")[:-1])
        refs = re.findall(r"crate::([a-z_0-9]+(?:::[a-z_0-9]+)*)", text)
        refs += [f"{parent}::{r}" if parent else r for r in re.findall(r"\bsuper::([a-z_0-9]+)", text)]
        for ref in refs:
            parts = ref.split("::")
            target = next(("::".join(parts[:k]) for k in range(len(parts), 0, -1) if "::".join(parts[:k]) in mods), None)
            if target is None:
                continue
            a, b = name.split("::")[0], target.split("::")[0]
            if a != b and name != "crate":
                found.add((a, b))
    return found


def cycles(pairs):
    graph = collections.defaultdict(set)
    for a, b in pairs:
        graph[a].add(b)
    found = set()

    def visit(start, node, path):
        for nxt in graph[node]:
            if nxt == start:
                found.add(" -> ".join(path + [start]))
            elif nxt not in path and len(path) < 8:
                visit(start, nxt, path + [nxt])

    for node in list(graph):
        visit(node, node, [node])
    return sorted(found)


def main():
    bad = False
    for root in sys.argv[1:]:
        found = cycles(edges(modules(root)))
        print(f"{root}: {'no circles' if not found else '; '.join(found)}")
        bad |= bool(found)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
