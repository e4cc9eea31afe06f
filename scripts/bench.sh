#!/usr/bin/env bash
# Benchmarks `onboard lint` (release build, every gate's rules: --gate marketplace) on plugin
# repositories given as arguments (clones with a working tree) and on synthetic repositories
# generated here, side by side with `git status` (the floor: it stats every file) and, when they
# are installed, with the peers `alint` (crates.io) and `repolinter` (npm).
#
#   scripts/bench.sh [PLUGIN_CLONE...]
#
# Needs hyperfine and GNU time (/usr/bin/time); python3 and git for the synthetic repositories.
# Peers: `cargo install alint --locked`; `npm install repolinter` in $PEERS_DIR (default
# ../peers beside the project). Environment:
#   RUNS=N         hyperfine runs per command (default 20; repolinter gets RUNS/4)
#   SYNTH=list     synthetic repositories, kind:size (default below)
#   BENCH_DIR=dir  where synthetic repositories go (default a temporary directory, removed)
#   OUT=file       the Markdown table (default target/bench/results.md)
#   BIN=path       an onboard binary to measure instead of building this checkout's
#   CACHE=mode     cold (default): every run with `--no-cache`; warm: every run with a cache
#                  folder of its own that the warm-up runs fill (ONBOARD_CACHE_DIR)
# BENCHMARKS.md explains the columns and holds the last results.
set -euo pipefail
cd "$(dirname "$0")/.."
project=$(pwd)
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked --quiet
fi
bin=${BIN:-"$project/${CARGO_TARGET_DIR:-target}/release/onboard"}
cache_mode=${CACHE:-cold}
case "$cache_mode" in
  cold) cache_flag=(--no-cache) ;;
  warm) cache_flag=() ;;
  *) echo "CACHE must be cold or warm" >&2; exit 2 ;;
esac
# An onboard from before the cache has no --no-cache: it is always cold.
"$bin" lint --help | grep -q -- --no-cache || cache_flag=()
runs=${RUNS:-20}
out=${OUT:-$project/target/bench/results.md}
results=$(dirname "$out")/json
mkdir -p "$results"
rm -f "$results"/*.json

peers_dir=${PEERS_DIR:-$project/../peers}
alint=$(command -v alint || true)
repolinter=""
[ -x "$peers_dir/node_modules/.bin/repolinter" ] && repolinter="$peers_dir/node_modules/.bin/repolinter"
alint_config="$project/scripts/bench/alint.yml"

synth_dir=${BENCH_DIR:-}
if [ -z "$synth_dir" ]; then
  synth_dir=$(mktemp -d)
  trap 'rm -rf "$synth_dir"' EXIT
fi
synth=${SYNTH:-"files:1000 files:10000 files:100000 tags:100 tags:1000 tags:10000 commits:1000 commits:10000 lockfile:20"}
repos=("$@")
for spec in $synth; do
  kind=${spec%%:*} size=${spec##*:}
  dir="$synth_dir/$kind-$size"
  [ -d "$dir/.git" ] || python3 scripts/bench/synth.py "$kind" "$size" "$dir"
  repos+=("$dir")
done

for repo in "${repos[@]}"; do
  name=$(basename "$repo")
  git -C "$repo" status > /dev/null # warm the index and the page cache
  export ONBOARD_CACHE_DIR="$synth_dir/cache/$name"
  rm -rf "$ONBOARD_CACHE_DIR"
  cmds=(-n onboard "$bin lint $repo --gate marketplace --format json ${cache_flag[*]}"
        -n git-status "git -C $repo status --porcelain")
  if [ -n "$alint" ]; then
    cmds+=(-n alint "$alint --config $alint_config --format json check $repo")
  fi
  hyperfine -N -i --warmup 3 --runs "$runs" --style none \
    --export-json "$results/$name.json" "${cmds[@]}" > /dev/null
  if [ -n "$repolinter" ]; then
    # repolinter is slow: fewer runs. It runs through a shell (node), so no -N.
    hyperfine -i --warmup 1 --runs $((runs / 4 > 2 ? runs / 4 : 3)) --style none \
      --export-json "$results/$name.repolinter.json" \
      -n repolinter "$repolinter lint $repo --format json > /dev/null" > /dev/null
  fi
  /usr/bin/time -f "%M" -o "$results/$name.rss" "$bin" lint "$repo" --gate marketplace \
    --format json "${cache_flag[@]}" > /dev/null || true
  rm -rf "$ONBOARD_CACHE_DIR"
  printf '%s\t%s\t%s\t%s\n' "$name" "$(git -C "$repo" ls-files | wc -l)" \
    "$(git -C "$repo" tag | wc -l)" "$(git -C "$repo" rev-list --count HEAD)" \
    > "$results/$name.shape"
  echo "measured $name" >&2
done

python3 scripts/bench/table.py "$results" | tee "$out"
