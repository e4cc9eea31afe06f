#!/usr/bin/env bash
# Times `onboard lint` (release build) on plugin repositories given as arguments, working tree
# and, when the repository has tags, the newest tag via --rev; and reports peak memory.
# Needs hyperfine (Debian package `hyperfine`) and GNU time (/usr/bin/time).
# Usage: scripts/bench.sh path/to/plugin [more plugins...]   (LOCKFILE_PACKAGES=N for the synthetic lockfile)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/release/onboard"
for repo in "$@"; do
  name=$(basename "$repo")
  cmds=("$bin lint $repo --format json")
  tag=$(git -C "$repo" describe --tags --abbrev=0 2>/dev/null || true)
  [ -n "$tag" ] && cmds+=("$bin lint $repo --rev $tag --format json")
  hyperfine --warmup 3 --runs 30 -N -i --style basic "${cmds[@]}"
  /usr/bin/time -f "$name: peak RSS %M KB" "$bin" lint "$repo" --format json > /dev/null || true
done

# Dependency facts: `onboard facts` reads every lockfile, go.mod and Cargo manifest. Timed on
# each plugin, then on a synthetic lockfile of LOCKFILE_PACKAGES packages (default 200000).
for repo in "$@"; do
  hyperfine --warmup 2 --runs 10 -N -i --style basic "$bin facts $repo"
done
synthetic=$(mktemp -d)
trap 'rm -rf "$synthetic"' EXIT
python3 - "$synthetic/package-lock.json" "${LOCKFILE_PACKAGES:-200000}" <<'PY'
import json, sys
path, n = sys.argv[1], int(sys.argv[2])
packages = {"": {"name": "synthetic", "version": "1.0.0"}}
for i in range(n):
    packages[f"node_modules/p{i}"] = {
        "version": f"1.0.{i}",
        "resolved": f"https://registry.npmjs.org/p{i}/-/p{i}-1.0.{i}.tgz",
        "integrity": "sha512-" + "A" * 86,
        "dev": i % 2 == 0,
        "license": "MIT" if i % 3 else "(MIT OR Apache-2.0)",
        "dependencies": {f"p{(i + 1) % n}": "^1.0.0"},
        "engines": {"node": ">=14"},
    }
json.dump({"name": "synthetic", "lockfileVersion": 3, "requires": True, "packages": packages}, open(path, "w"), indent=2)
PY
ls -l "$synthetic/package-lock.json"
hyperfine --warmup 1 --runs 5 -N --style basic "$bin facts $synthetic"
/usr/bin/time -f "synthetic lockfile: peak RSS %M KB" "$bin" facts "$synthetic" > /dev/null

# Licence detection: one licence file per process (hash tier: the store is never loaded), a file
# only the classifier recognises, and the whole shared corpus in one process.
lic=$(mktemp -d)
cp tests/data/licences/Apache-2.0-reindented.txt "$lic/hash-tier.txt"
cp tests/data/licences/Combined.txt "$lic/classifier.txt"
hyperfine --warmup 3 --runs 30 -N --style basic \
  "$bin licence id $lic/hash-tier.txt" "$bin licence id $lic/classifier.txt"
rm -rf "$lic"
if [ -d ../shared/corpus/licences ]; then
  ../shared/tools/score-licences.py --batch-cmd "$bin licence id --list {list}"
fi
