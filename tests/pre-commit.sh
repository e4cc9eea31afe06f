#!/usr/bin/env bash
# Runs this repository's pre-commit hooks with the real pre-commit on a plugin repository built
# here: a failing policy must make `pre-commit run --all-files` fail with onboard's diagnostics,
# and the fixed repository must pass.
#
#   tests/pre-commit.sh PRE_COMMIT ONBOARD_BINARY [HOOK...]
#
# HOOK is `onboard-system` (runs ONBOARD_BINARY through PATH) and/or `onboard` (pre-commit
# builds the crate with `cargo install`, a release build of a few minutes); default: both.
# pre-commit clones this repository at HEAD, so only committed changes are tested.
set -euo pipefail

pre_commit=$(realpath "$1")
onboard=$(realpath "$2")
shift 2
hooks=("$@")
[ ${#hooks[@]} -gt 0 ] || hooks=(onboard-system onboard)

here=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$here" rev-parse HEAD)
if [ -n "$(git -C "$here" status --porcelain --untracked-files=no)" ]; then
  echo "note: uncommitted changes in $here are not seen: pre-commit clones $rev"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/pre-commit-home"
export PATH="$(dirname "$onboard"):$PATH"
export NO_COLOR=1

fail() { echo "FAIL: $*"; exit 1; }

commit() {
  git -C "$plugin" add -A
  git -C "$plugin" -c user.name=CI -c user.email=ci@example.com commit --quiet -m "$1"
}

for hook in "${hooks[@]}"; do
  echo "-- hook $hook"
  plugin="$work/plugin-$hook"
  mkdir -p "$plugin"
  git -C "$plugin" init --quiet
  cat > "$plugin/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $here
    rev: $rev
    hooks:
      - id: $hook
YAML
  # A plugin that passes ci-extensions but for its id: CI, its build URL and a review (the tag
  # `reviewed` marks what was reviewed).
  cat > "$plugin/.onboarding.yml" <<'YAML'
version: 1
ci:
  master_build_url: https://github.com/example/hello/actions/workflows/ci.yml
reviews:
  - { kind: basic, by: alice, commit: reviewed, date: "2026-01-01" }
YAML
  mkdir -p "$plugin/.github/workflows"
  cp "$here/examples/hello-plugin/.github/workflows/ci.yml" "$plugin/.github/workflows/ci.yml"
  printf '{"id": "x", "name": "Hello"}\n' > "$plugin/plugin.json"
  cp "$here/tests/data/licences/MIT.txt" "$plugin/LICENSE"
  printf '# Hello\n' > "$plugin/README.md"
  # Code of its own, so that there is something to review.
  mkdir -p "$plugin/server"
  printf 'package main\n\n// greet welcomes a new member.\nfunc greet(name string) string {\n\treturn "Hello, " + name\n}\n' > "$plugin/server/plugin.go"
  commit "a plugin with a bad id"
  git -C "$plugin" tag reviewed

  start=$SECONDS
  set +e
  (cd "$plugin" && "$pre_commit" run --all-files) > "$work/out" 2>&1
  code=$?
  set -e
  echo "   failing repository: pre-commit exited $code after $((SECONDS - start)) s"
  [ "$code" -eq 1 ] || { cat "$work/out"; fail "$hook: expected pre-commit to fail (exit 1), got $code"; }
  grep -q 'OB103 invalid-plugin-id' "$work/out" || { cat "$work/out"; fail "$hook: onboard's diagnostic is missing"; }
  grep -q 'plugin id `x` is shorter than 3 characters' "$work/out" || { cat "$work/out"; fail "$hook: message missing"; }
  grep -q 'gate ci-extensions: 1 error' "$work/out" || { cat "$work/out"; fail "$hook: summary line missing"; }

  # A manifest that does not parse: a commit can fix it, so the hook fails.
  printf '{"id": "com.example.hello", \n' > "$plugin/plugin.json"
  commit "a broken manifest"
  git -C "$plugin" tag -f reviewed > /dev/null
  set +e
  (cd "$plugin" && "$pre_commit" run --all-files) > "$work/out" 2>&1
  code=$?
  set -e
  echo "   broken manifest: pre-commit exited $code"
  [ "$code" -eq 1 ] || { cat "$work/out"; fail "$hook: expected a broken manifest to fail, got $code"; }
  grep -q 'OB102 invalid-manifest' "$work/out" || { cat "$work/out"; fail "$hook: invalid-manifest missing"; }

  printf '{"id": "com.example.hello", "name": "Hello"}\n' > "$plugin/plugin.json"
  commit "fix the manifest"
  git -C "$plugin" tag -f reviewed > /dev/null  # the fix is reviewed too
  start=$SECONDS
  set +e
  (cd "$plugin" && "$pre_commit" run --all-files) > "$work/out" 2>&1
  code=$?
  set -e
  echo "   fixed repository: pre-commit exited $code after $((SECONDS - start)) s"
  [ "$code" -eq 0 ] || { cat "$work/out"; fail "$hook: expected the fixed repository to pass, got $code"; }
  grep -Eq '^onboard lint.*Passed$' "$work/out" || { cat "$work/out"; fail "$hook: no Passed line"; }
  [ -z "$(git -C "$plugin" status --porcelain)" ] || fail "$hook: the hook changed the repository"

  # A production change committed after the recorded review: the review is stale, which no
  # commit can fix (a committer records the next one), so the hook passes and shows it (CI
  # without --hook fails on it).
  printf 'package main\n\n// more does more.\nfunc more() int {\n\treturn 2\n}\n' > "$plugin/server/more.go"
  commit "a production change after the review"
  set +e
  (cd "$plugin" && "$pre_commit" run --all-files --verbose) > "$work/out" 2>&1
  code=$?
  (cd "$plugin" && onboard lint) > /dev/null 2>&1
  gate_code=$?
  set -e
  echo "   stale review: pre-commit exited $code, onboard lint (the CI gate) $gate_code"
  [ "$code" -eq 0 ] || { cat "$work/out"; fail "$hook: a stale review must not fail the commit, got $code"; }
  grep -q 'OB802 missing-basic-review' "$work/out" || { cat "$work/out"; fail "$hook: the stale review is not shown"; }
  [ "$gate_code" -eq 1 ] || fail "$hook: expected onboard lint without --hook to fail on the stale review"
done
echo "pre-commit hooks: ${hooks[*]} passed and failed as they should"
