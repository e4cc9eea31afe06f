#!/usr/bin/env bash
# The logic of the GitHub Action (action.yml only passes its inputs here as INPUT_* variables):
# install onboard, lint with the chosen output and the job summary, optionally write SARIF, set
# the outputs `findings` and `gate-reached` in $GITHUB_OUTPUT, and fail the step per `fail-on`.
# Exit codes: 0 pass, 1 findings at the fail-on level, 2 bad input or a configuration error.
set -euo pipefail

path=${INPUT_PATH:-.}
gate=${INPUT_GATE:-}
format=${INPUT_FORMAT:-github}
sarif_file=${INPUT_SARIF_FILE:-}
fail_on=${INPUT_FAIL_ON:-deny}
changed_from=${INPUT_CHANGED_FROM:-}
version=${INPUT_VERSION:-build}

error() {
  echo "::error title=onboard action::$*"
  exit 2
}

case "$fail_on" in
  deny | warn) ;;
  *) error "fail-on must be deny or warn, not '$fail_on'" ;;
esac
case "$format" in
  github | human | json | sarif | markdown) ;;
  *) error "format must be github, human, json, sarif or markdown, not '$format'" ;;
esac
[ -n "${GITHUB_OUTPUT:-}" ] || error "GITHUB_OUTPUT is not set: this script runs as a GitHub Actions step"
command -v jq > /dev/null || error "jq is needed to read onboard's JSON (GitHub's runners have it)"

install() {
  [ -n "${GITHUB_ACTION_PATH:-}" ] || error "GITHUB_ACTION_PATH is not set"
  command -v cargo > /dev/null || error "cargo is needed to build onboard (or set version: preinstalled)"
  echo "::group::cargo install --locked --path $GITHUB_ACTION_PATH"
  cargo install --locked --path "$GITHUB_ACTION_PATH"
  echo "::endgroup::"
  PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
}

installed_version() {
  if command -v onboard > /dev/null; then
    onboard --version | awk '{print $2}'
  fi
}

case "$version" in
  build) install ;;
  preinstalled)
    command -v onboard > /dev/null || error "version is preinstalled, but there is no onboard on PATH"
    ;;
  [0-9]*)
    [ "$(installed_version)" = "$version" ] || install
    [ "$(installed_version)" = "$version" ] ||
      error "this action builds onboard $(installed_version), not $version: use the action at the ref of $version"
    ;;
  *) error "version must be build, preinstalled or a version number, not '$version'" ;;
esac
echo "onboard $(installed_version) at $(command -v onboard)"

args=(lint "$path")
[ -z "$gate" ] || args+=(--gate "$gate")
[ -z "$changed_from" ] || args+=(--changed-from "$changed_from")

# The run the reader sees: annotations (or the chosen format) and the job summary.
set +e
onboard "${args[@]}" --format "$format"
code=$?
set -e

# Further runs for the outputs write no second job summary.
tmp=$(mktemp -d "${RUNNER_TEMP:-/tmp}/onboard.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
GITHUB_STEP_SUMMARY='' onboard "${args[@]}" --format json > "$tmp/report.json" || true
if [ -n "$sarif_file" ]; then
  mkdir -p "$(dirname "$sarif_file")"
  GITHUB_STEP_SUMMARY='' onboard "${args[@]}" --format sarif > "$sarif_file" || true
  echo "SARIF written to $sarif_file"
fi
# A usage error (a bad path or ref) prints no report: then there is nothing to count.
errors=0
warnings=0
if jq -e .summary "$tmp/report.json" > /dev/null 2>&1; then
  errors=$(jq '.summary.errors' "$tmp/report.json")
  warnings=$(jq '.summary.warnings' "$tmp/report.json")
fi
gate_reached=none
if onboard status "$path" --format json > "$tmp/status.json"; then
  gate_reached=$(jq -r '.highest_passed // "none"' "$tmp/status.json")
fi
{
  echo "findings=$((errors + warnings))"
  echo "gate-reached=$gate_reached"
} >> "$GITHUB_OUTPUT"
echo "onboard: errors: $errors, warnings: $warnings, highest gate passed: $gate_reached"

if [ "$code" -ne 0 ]; then
  exit "$code"
fi
if [ "$fail_on" = warn ] && [ "$warnings" -gt 0 ]; then
  echo "::error title=onboard::warnings: $warnings, and fail-on is warn"
  exit 1
fi
