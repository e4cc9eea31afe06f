#!/usr/bin/env bash
# Times `onboard lint` (release build) on plugin repositories given as arguments, working tree
# and, when the repository has tags, the newest tag via --rev; and reports peak memory.
# Needs hyperfine (Debian package `hyperfine`) and GNU time (/usr/bin/time).
# Usage: scripts/bench.sh path/to/plugin [more plugins...]
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
