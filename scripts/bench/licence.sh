#!/usr/bin/env bash
# Times licence detection (release build): the hash tier, the classifier, and the shared corpus.
# Needs hyperfine.  Usage: scripts/bench/licence.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/release/onboard"

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
  ../shared/tools/score-licences.py --batch-cmd "$bin licence id --no-hashes --list {list}"
fi
