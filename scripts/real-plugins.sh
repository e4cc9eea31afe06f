#!/usr/bin/env bash
# Compares onboard's verdicts on real plugin repositories with the committed table
# tests/real-plugins/expected.json: per plugin, at the commit the table pins, each gate's item
# states (`onboard status`) and the rules that fire with their level (`onboard lint --gate G`).
#
#   scripts/real-plugins.sh [OPTIONS] [PLUGIN...]
#
# PLUGIN is a clone (a path; its `origin` URL names the plugin in the table) or a URL, cloned
# into a temporary directory with its whole history. With no PLUGIN, every plugin of the table
# is cloned from its URL (network).
#
# The clone given is never changed: each plugin is judged in a temporary repository that borrows
# its objects, holds its tags and branches as they were at the pinned commit (refs to commits
# made after it are left out, the default branch points at the pin) and has the pinned commit
# checked out. Module caches are hidden (GOMODCACHE and CARGO_HOME point at an empty directory),
# so the verdicts depend on the repository alone, not on the machine.
#
# Options:
#   --update         rewrite the table entries of the given plugins from today's verdicts
#                    (adding plugins not in it, pinned at their default branch's tip). Only with
#                    a sentence saying why each new verdict is the true one (README.md beside
#                    the table).
#   --repin          with --update: pin the given plugins at their default branch's tip.
#   --table FILE     the table (default tests/real-plugins/expected.json).
#   --keep           keep the temporary directory and print where it is.
#   -h, --help       this text.
# Environment: ONBOARD, the binary (default target/release/onboard, under $CARGO_TARGET_DIR
# when set).
#
# Exit codes: 0 every plugin given matches the table; 1 at least one difference (each printed);
# 2 usage error, a bad table, or a plugin that could not be judged (clone failed, pinned commit
# missing, onboard failed).
set -euo pipefail

project=$(cd "$(dirname "$0")/.." && pwd)
table="$project/tests/real-plugins/expected.json"
target_dir=${CARGO_TARGET_DIR:-target}
case $target_dir in /*) ;; *) target_dir=$project/$target_dir ;; esac
onboard=${ONBOARD:-$target_dir/release/onboard}
update=0 repin=0 keep=0
plugins=()

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "real-plugins: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    --update) update=1 ;;
    --repin) repin=1 ;;
    --keep) keep=1 ;;
    --table) [ $# -ge 2 ] || die "--table needs a file"; table=$2; shift ;;
    --table=*) table=${1#--table=} ;;
    -h|--help) usage; exit 0 ;;
    --) shift; plugins+=("$@"); break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) plugins+=("$1") ;;
  esac
  shift
done
[ $repin -eq 0 ] || [ $update -eq 1 ] || die "--repin only goes with --update"
command -v jq > /dev/null || die "jq is needed (apt-get install jq)"
command -v git > /dev/null || die "git is needed"
[ -x "$onboard" ] || die "no onboard binary at $onboard: cargo build --release, or set ONBOARD"

if [ -e "$table" ]; then
  jq -e '.version == 1 and (.plugins | type == "array")
         and all(.plugins[]; (.repo | type == "string") and (.commit | test("^[0-9a-f]{40}$"))
                 and (.branch | type == "string") and (.gates | type == "object"))' \
    "$table" > /dev/null 2>&1 || die "$table is not a table of version 1 (see tests/real-plugins/README.md)"
elif [ $update -eq 1 ]; then
  mkdir -p "$(dirname "$table")"
  echo '{"version": 1, "plugins": []}' > "$table"
else
  die "no table at $table"
fi

if [ ${#plugins[@]} -eq 0 ]; then
  mapfile -t plugins < <(jq -r '.plugins[].repo' "$table")
  [ ${#plugins[@]} -gt 0 ] || die "the table is empty: name plugins to judge"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/real-plugins.XXXXXX")
if [ $keep -eq 1 ]; then
  echo "real-plugins: temporary files kept in $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/empty"

# https://github.com/owner/name, whatever form the URL came in (ssh, .git, trailing slash).
normalize_url() {
  local u=$1
  u=${u%/}
  u=${u%.git}
  case $u in
    git@*:*) u=${u#git@}; u="https://${u%%:*}/${u#*:}" ;;
    ssh://git@*) u="https://${u#ssh://git@}" ;;
    http://*) u="https://${u#http://}" ;;
  esac
  printf '%s\n' "$u" | tr '[:upper:]' '[:lower:]'
}

is_url() {
  case $1 in
    https://*|http://*|git@*:*|ssh://*|git://*|file://*) return 0 ;;
    *) return 1 ;;
  esac
}

# The verdicts of one checked-out repository, as one table entry's `gates` object.
verdicts() {
  local dir=$1 out=$2 gate
  local env=(env GOMODCACHE="$work/empty" GOPATH="$work/empty" CARGO_HOME="$work/empty" NO_COLOR=1)
  "${env[@]}" "$onboard" status "$dir" --format json > "$out/status.json" 2> "$out/status.err" || {
    # status exits 1 when a gate fails; only 2 (or no JSON) is an error.
    [ $? -eq 1 ] && jq -e .gates "$out/status.json" > /dev/null 2>&1 || return 1
  }
  jq -e '.gates | type == "array"' "$out/status.json" > /dev/null 2>&1 || return 1
  local gates=()
  mapfile -t gates < <(jq -r '.gates[].id' "$out/status.json")
  for gate in "${gates[@]}"; do
    "${env[@]}" "$onboard" lint "$dir" --gate "$gate" --format json > "$out/lint-$gate.json" \
      2> "$out/lint-$gate.err" || {
      [ $? -eq 1 ] || return 1
    }
    jq -e '.findings | type == "array"' "$out/lint-$gate.json" > /dev/null 2>&1 || return 1
  done
  # items: each item's state in `status`; rules: each rule that fires in `lint --gate G`, with
  # its level (several levels joined with a comma; a waived finding counts as `waived`).
  jq -n --slurpfile status "$out/status.json" '
    $status[0].gates | map({key: .id, value: {items: (.items | map({key: .id, value: .state}) | from_entries)}})
    | from_entries' > "$out/items.json"
  for gate in "${gates[@]}"; do
    jq --arg gate "$gate" '{($gate): {rules: (.findings
        | group_by(.rule)
        | map({key: .[0].rule,
               value: (map(if .waived then "waived" else .level end) | unique | join(","))})
        | from_entries)}}' "$out/lint-$gate.json"
  done | jq -s --slurpfile items "$out/items.json" 'reduce .[] as $g ($items[0]; . * $g)' > "$out/gates.json"
}

status=0
checked=()
for arg in "${plugins[@]}"; do
  n=$(( ${#checked[@]} + 1 ))
  scratch="$work/$n"
  mkdir -p "$scratch/out"
  # 1. The source repository: the clone given, or a fresh clone of the URL.
  if [ -d "$arg" ]; then
    src=$(git -C "$arg" rev-parse --path-format=absolute --git-common-dir 2> /dev/null) ||
      { echo "ERROR $arg: not a git repository" >&2; status=2; continue; }
    origin=$(git -C "$arg" config --get remote.origin.url || true)
    [ -n "$origin" ] || { echo "ERROR $arg: no origin remote to name the plugin by (git -C $arg remote add origin https://github.com/OWNER/NAME)" >&2; status=2; continue; }
  elif is_url "$arg"; then
    origin=$arg
    echo "cloning $arg" >&2
    git clone --quiet --no-checkout "$arg" "$scratch/src" 2> "$scratch/clone.err" ||
      { echo "ERROR $arg: clone failed: $(tail -1 "$scratch/clone.err")" >&2; status=2; continue; }
    src="$scratch/src/.git"
  else
    echo "ERROR $arg: neither a directory nor a URL" >&2; status=2; continue
  fi
  repo=$(normalize_url "$origin")
  name=${repo#https://github.com/}
  checked+=("$repo")
  if [ "$(git --git-dir="$src" rev-parse --is-shallow-repository)" = true ]; then
    echo "ERROR $name: $arg is a shallow clone; release verdicts read every tag (git -C $arg fetch --unshallow)" >&2
    status=2; continue
  fi
  entry=$(jq -c --arg repo "$repo" '[.plugins[] | select(.repo == $repo)] | first // empty' "$table")
  if [ -z "$entry" ] && [ $update -eq 0 ]; then
    echo "DIFF $name: not in the table (add it with --update, with a sentence why its verdicts are true)"
    [ $status -eq 2 ] || status=1
    continue
  fi

  # 2. The default branch and the pinned commit.
  branch=$(jq -r '.branch // empty' <<< "${entry:-{\}}")
  if [ -z "$branch" ]; then
    head=$(git --git-dir="$src" symbolic-ref -q refs/remotes/origin/HEAD ||
           git --git-dir="$src" symbolic-ref -q HEAD || true)
    branch=${head#refs/remotes/origin/}
    branch=${branch#refs/heads/}
    [ -n "$branch" ] || { echo "ERROR $name: cannot tell the default branch (no origin/HEAD)" >&2; status=2; continue; }
  fi
  pin=$(jq -r '.commit // empty' <<< "${entry:-{\}}")
  if [ -z "$pin" ] || [ $repin -eq 1 ]; then
    pin=$(git --git-dir="$src" rev-parse -q --verify "refs/remotes/origin/$branch^{commit}" ||
          git --git-dir="$src" rev-parse -q --verify "refs/heads/$branch^{commit}" || true)
    [ -n "$pin" ] || { echo "ERROR $name: no branch $branch to pin" >&2; status=2; continue; }
  fi
  git --git-dir="$src" cat-file -e "$pin^{commit}" 2> /dev/null ||
    { echo "ERROR $name: the pinned commit $pin is not in $arg (git -C $arg fetch origin)" >&2; status=2; continue; }

  # 3. A temporary repository at the pin: objects borrowed from the source, its published
  #    branches (remote-tracking ones, else local ones) and tags, except refs to commits made
  #    after the pin that the pin does not reach.
  tmp="$scratch/repo"
  git init --quiet "$tmp"
  echo "$(cd "$src" && pwd)/objects" > "$tmp/.git/objects/info/alternates"
  git -C "$tmp" config remote.origin.url "$repo"
  git -C "$tmp" config remote.origin.fetch '+refs/heads/*:refs/remotes/origin/*'
  pin_date=$(git --git-dir="$src" show -s --format=%ct "$pin")
  if [ -n "$(git --git-dir="$src" for-each-ref --count=1 refs/remotes/origin/)" ]; then
    branches=refs/remotes/origin/
  else
    branches=refs/heads/
  fi
  git --git-dir="$src" for-each-ref \
    --format='%(refname)|%(objectname)|%(symref)|%(committerdate:unix)|%(*committerdate:unix)|%(*objectname)' \
    "$branches" refs/tags/ |
  while IFS='|' read -r ref id symref date peeled_date peeled; do
    # Symbolic refs (origin/HEAD) are set below; an annotated tag dates from its commit; a tag
    # of something that is not a commit has no date and is kept.
    [ -z "$symref" ] || continue
    date=${peeled_date:-${date:-0}} commit=${peeled:-$id}
    if [ "$date" -gt "$pin_date" ] && ! git --git-dir="$src" merge-base --is-ancestor "$commit" "$pin" 2> /dev/null; then
      continue
    fi
    case $ref in
      refs/heads/*) ref="refs/remotes/origin/${ref#refs/heads/}" ;;
    esac
    # The default branch is set to the pin below.
    [ "$ref" != "refs/remotes/origin/$branch" ] || continue
    echo "update $ref $id"
  done > "$scratch/refs"
  {
    cat "$scratch/refs"
    echo "update refs/remotes/origin/$branch $pin"
    echo "update refs/heads/$branch $pin"
  } | git -C "$tmp" update-ref --stdin
  git -C "$tmp" symbolic-ref refs/remotes/origin/HEAD "refs/remotes/origin/$branch"
  git -C "$tmp" symbolic-ref HEAD "refs/heads/$branch"
  git -C "$tmp" config "branch.$branch.remote" origin
  git -C "$tmp" config "branch.$branch.merge" "refs/heads/$branch"
  # A clone that lacks some objects (a partial mirror) still checks out every other file.
  git -C "$tmp" read-tree HEAD
  git -C "$tmp" checkout-index --all --force -u 2> "$scratch/checkout.err" || true
  missing=$(git -C "$tmp" ls-files --deleted | head -5 | tr '\n' ' ')
  if [ -n "$missing" ]; then
    echo "note $name: objects missing from the clone, those files are absent: $missing" >&2
  fi

  # 4. Today's verdicts, and the comparison.
  if ! verdicts "$tmp" "$scratch/out"; then
    echo "ERROR $name: onboard failed at $pin: $(cat "$scratch"/out/*.err | tail -3)" >&2
    status=2; continue
  fi
  got=$(jq -c --arg repo "$repo" --arg commit "$pin" --arg branch "$branch" \
    '{repo: $repo, commit: $commit, branch: $branch, gates: .}' "$scratch/out/gates.json")
  if [ $update -eq 1 ]; then
    jq -S --argjson got "$got" '
      .plugins = ([.plugins[] | select(.repo != $got.repo)] + [$got] | sort_by(.repo))' \
      "$table" > "$work/table.new"
    mv "$work/table.new" "$table"
    echo "updated $name at $pin" >&2
    continue
  fi
  diffs=$(jq -rn --argjson e "$entry" --argjson g "$got" --arg name "$name" '
    def absent(kind): if kind == "rule" then "(does not fire)" else "(no such item)" end;
    ($e.gates | keys) + ($g.gates | keys) | unique | .[] as $gate
    | if ($e.gates[$gate] == null) then "DIFF \($name) \($gate): gate not in the table"
      elif ($g.gates[$gate] == null) then "DIFF \($name) \($gate): onboard has no such gate"
      else
        (["item", "items"], ["rule", "rules"]) as [$kind, $key]
        | ($e.gates[$gate][$key] // {}) as $want | ($g.gates[$gate][$key] // {}) as $have
        | (($want | keys) + ($have | keys) | unique | .[])
        | select($want[.] != $have[.])
        | "DIFF \($name) \($gate) \($kind) \(.): expected \($want[.] // absent($kind)), got \($have[.] // absent($kind))"
      end')
  if [ -n "$diffs" ]; then
    printf '%s\n' "$diffs"
    [ $status -eq 2 ] || status=1
  else
    echo "ok   $name at ${pin:0:12}"
  fi
done

if [ $update -eq 0 ]; then
  jq -r '.plugins[].repo' "$table" | while read -r repo; do
    printf '%s\n' "${checked[@]}" | grep -qxF "$repo" || echo "     ${repo#https://github.com/}: not given, not checked" >&2
  done
fi
exit $status
