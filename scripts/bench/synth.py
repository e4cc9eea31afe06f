#!/usr/bin/env python3
"""Synthetic plugin repositories for the benchmarks, written with `git fast-import`.

Every repository starts from the project's example plugin (examples/hello-plugin) and grows one
dimension:

    synth.py files N DIR      N extra Go files (100 per directory), one commit
    synth.py tags N DIR       N commits, each tagged vX.Y.Z (every other tag annotated)
    synth.py commits N DIR    N commits, one tag at the tip
    synth.py lockfile MB DIR  a webapp/package-lock.json of about MB megabytes

Identity and dates are fixed, so the same arguments give the same commit ids.
"""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "hello-plugin")
WHEN = 1_700_000_000
IDENT = "Bench <bench@example.com>"


def example_files():
    out = {}
    for dirpath, _, names in os.walk(EXAMPLE):
        for name in names:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, EXAMPLE).replace(os.sep, "/")
            with open(full, "rb") as f:
                out[rel] = f.read()
    return out


def go_file(i):
    return (
        f"package p{i // 100}\n\n"
        f"// F{i} returns its argument plus {i}.\n"
        f"func F{i}(x int) int {{\n"
        f"\ty := x + {i}\n"
        f"\tif y > {i * 2} {{\n\t\treturn y - 1\n\t}}\n"
        f"\treturn y\n}}\n"
    ).encode()


def lockfile(megabytes):
    packages = {"": {"name": "webapp", "version": "1.0.0"}}
    size, i = 0, 0
    while size < megabytes * 1_000_000:
        entry = {
            "version": f"1.0.{i}",
            "resolved": f"https://registry.npmjs.org/p{i}/-/p{i}-1.0.{i}.tgz",
            "integrity": "sha512-" + "A" * 86,
            "dev": i % 2 == 0,
            "license": "MIT" if i % 3 else "(MIT OR Apache-2.0)",
            "dependencies": {f"p{i + 1}": "^1.0.0"},
        }
        packages[f"node_modules/p{i}"] = entry
        size += 330
        i += 1
    doc = {"name": "webapp", "lockfileVersion": 3, "requires": True, "packages": packages}
    return json.dumps(doc, indent=2).encode()


class Stream:
    def __init__(self, path):
        self.proc = subprocess.Popen(
            ["git", "-C", path, "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE
        )
        self.out = self.proc.stdin
        self.mark = 0
        self.tick = 0

    def w(self, text):
        self.out.write(text if isinstance(text, bytes) else text.encode())

    def data(self, payload):
        self.w(f"data {len(payload)}\n")
        self.w(payload)
        self.w("\n")

    def commit(self, files, message, parent=True):
        self.mark += 1
        self.tick += 60
        self.w(f"commit refs/heads/master\nmark :{self.mark}\n")
        self.w(f"author {IDENT} {WHEN + self.tick} +0000\n")
        self.w(f"committer {IDENT} {WHEN + self.tick} +0000\n")
        self.data(message.encode())
        for path, payload in files.items():
            self.w(f"M 100644 inline {path}\n")
            self.data(payload)
        return self.mark

    def tag(self, name, mark, annotated):
        if annotated:
            self.w(f"tag {name}\nfrom :{mark}\ntagger {IDENT} {WHEN + self.tick} +0000\n")
            self.data(f"Release {name}\n".encode())
        else:
            self.w(f"reset refs/tags/{name}\nfrom :{mark}\n\n")

    def done(self):
        self.w("done\n")
        self.out.close()
        if self.proc.wait() != 0:
            sys.exit("git fast-import failed")


def main():
    kind, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(path, exist_ok=True)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "init", "-q", "-b", "master", path], check=True, env=env)
    s = Stream(path)
    files = example_files()
    if kind == "files":
        files.update({f"server/p{i // 100}/f{i}.go": go_file(i) for i in range(n)})
        s.tag("v1.0.0", s.commit(files, "A plugin with many files\n"), True)
    elif kind == "tags":
        s.commit(files, "Initial\n")
        for i in range(n):
            mark = s.commit({"server/version.go": go_file(i)}, f"Release {i}\n")
            s.tag(f"v{1 + i // 1000}.{i // 10 % 100}.{i % 10}", mark, i % 2 == 0)
    elif kind == "commits":
        s.commit(files, "Initial\n")
        for i in range(n):
            mark = s.commit({"server/counter.go": go_file(i)}, f"Change {i}\n")
        s.tag("v1.0.0", mark, True)
    elif kind == "lockfile":
        files["webapp/package.json"] = b'{"name": "webapp", "private": true}\n'
        files["webapp/package-lock.json"] = lockfile(n)
        s.tag("v1.0.0", s.commit(files, "A plugin with a large lockfile\n"), True)
    else:
        sys.exit(f"unknown kind {kind}")
    s.done()
    subprocess.run(["git", "-C", path, "checkout", "-q", "-f", "master"], check=True, env=env)


if __name__ == "__main__":
    main()
