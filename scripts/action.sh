#!/usr/bin/env bash
# The logic of the GitHub Action (action.yml only passes its inputs here as INPUT_* variables):
# get onboard, lint with the chosen output and the job summary, optionally write SARIF, set the
# outputs `findings` and `gate-reached` in $GITHUB_OUTPUT, and fail the step per `fail-on`.
#
# Getting onboard, in this order:
#   1. an `onboard` on PATH (or in the runner's tool cache) of the requested version;
#   2. the release asset for the runner (RUNNER_OS, RUNNER_ARCH) from DOWNLOAD_BASE_URL, checked
#      against the `.sha256` beside it: a checksum that is missing or does not match fails the
#      step, and nothing else is tried;
#   3. when there is no such asset (HTTP 404, an unknown platform, no curl): `cargo install
#      --locked`, into the tool cache.
# Exit codes: 0 pass, 1 findings at the fail-on level, 2 bad input, a configuration error, or
# onboard could not be installed.
set -euo pipefail

path=${INPUT_PATH:-.}
gate=${INPUT_GATE:-}
format=${INPUT_FORMAT:-github}
sarif_file=${INPUT_SARIF_FILE:-}
fail_on=${INPUT_FAIL_ON:-deny}
changed_from=${INPUT_CHANGED_FROM:-}
version=${INPUT_VERSION:-}
base_url=${INPUT_DOWNLOAD_BASE_URL:-}
summary=${INPUT_SUMMARY:-true}
read -r -a extra_args <<< "${INPUT_ARGS:-}"

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
case "$summary" in
  true | false) ;;
  *) error "summary must be true or false, not '$summary'" ;;
esac
[ -n "${GITHUB_OUTPUT:-}" ] || error "GITHUB_OUTPUT is not set: this script runs as a GitHub Actions step"
command -v jq > /dev/null || error "jq is needed to read onboard's JSON (GitHub's runners have it)"

# The action's own checkout: its Cargo.toml names its version and repository.
action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
manifest_value() {
  [ -f "$action_path/Cargo.toml" ] || return 0
  sed -n "s/^$1 = \"\\(.*\\)\"\$/\\1/p" "$action_path/Cargo.toml" | head -n 1
}
own_version=$(manifest_value version)
repository=$(manifest_value repository)

[ -n "$version" ] || version=$own_version
version=${version#v}
case "$version" in
  preinstalled | [0-9]*.[0-9]*.[0-9]*) ;;
  "") error "no version given, and $action_path/Cargo.toml does not name one" ;;
  *) error "version must be a version number (X.Y.Z) or preinstalled, not '$version'" ;;
esac

version_of() {
  "$1" --version 2> /dev/null | awk '{print $2}'
}

# The Rust target of the release asset built for this runner, empty when none is.
target_for() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    # Windows on Arm runs x64 binaries.
    Windows/X64 | Windows/ARM64) echo x86_64-pc-windows-msvc ;;
    *) echo "" ;;
  esac
}

sha256_of() {
  if command -v sha256sum > /dev/null; then
    sha256sum "$1" | awk '{print $1}'
  elif command -v shasum > /dev/null; then
    shasum -a 256 "$1" | awk '{print $1}'
  else
    error "neither sha256sum nor shasum is on PATH: cannot check the download"
  fi
}

target=$(target_for)
exe=onboard
[ "${RUNNER_OS:-}" != Windows ] || exe=onboard.exe
cache="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/onboard/$version/${target:-source}"

# Downloads the release asset into the cache. Returns 1 when there is none to download (the
# caller builds instead); any failure to verify what was downloaded ends the step.
download() {
  [ -n "$target" ] || {
    echo "no release binary for ${RUNNER_OS:-an unknown OS} on ${RUNNER_ARCH:-an unknown architecture}"
    return 1
  }
  command -v curl > /dev/null || {
    echo "curl is not on PATH: cannot download a release binary"
    return 1
  }
  local asset="onboard-$target.tar.gz"
  [ "${RUNNER_OS:-}" != Windows ] || asset="onboard-$target.zip"
  local base=${base_url:-$repository/releases/download/v$version}
  base=${base%/}
  local dir
  dir=$(mktemp -d "${RUNNER_TEMP:-/tmp}/onboard.XXXXXX")
  local status
  status=$(curl -sSL --retry 3 -o "$dir/$asset" -w '%{http_code}' "$base/$asset") || status=failed
  if [ "$status" != 200 ]; then
    echo "::warning title=onboard action::no release binary at $base/$asset (HTTP $status): building onboard $version from source instead"
    rm -rf "$dir"
    return 1
  fi
  status=$(curl -sSL --retry 3 -o "$dir/$asset.sha256" -w '%{http_code}' "$base/$asset.sha256") || status=failed
  if [ "$status" != 200 ]; then
    rm -rf "$dir"
    error "cannot check $asset: its checksum $base/$asset.sha256 could not be downloaded (HTTP $status)"
  fi
  local expected actual
  expected=$(awk 'NR == 1 {print tolower($1)}' "$dir/$asset.sha256")
  actual=$(sha256_of "$dir/$asset")
  if [ "$expected" != "$actual" ]; then
    rm -rf "$dir"
    error "checksum mismatch for $base/$asset: $asset.sha256 says ${expected:-nothing}, the download is $actual; not installing it"
  fi
  echo "downloaded $base/$asset, sha256 $actual (matches $asset.sha256)"
  mkdir -p "$dir/unpacked"
  case "$asset" in
    *.zip)
      if command -v unzip > /dev/null; then
        unzip -q -o "$dir/$asset" -d "$dir/unpacked" || error "cannot unpack $asset"
      else
        powershell -NoProfile -Command "Expand-Archive -Force -Path '$dir/$asset' -DestinationPath '$dir/unpacked'" ||
          error "cannot unpack $asset"
      fi
      ;;
    *) tar -xzf "$dir/$asset" -C "$dir/unpacked" || error "cannot unpack $asset" ;;
  esac
  [ -f "$dir/unpacked/$exe" ] || {
    rm -rf "$dir"
    error "$asset holds no $exe"
  }
  if ! { mkdir -p "$cache/bin" && mv "$dir/unpacked/$exe" "$cache/bin/$exe" && chmod +x "$cache/bin/$exe"; }; then
    error "cannot install $exe into $cache/bin"
  fi
  rm -rf "$dir"
}

build() {
  command -v cargo > /dev/null ||
    error "no release binary could be downloaded, and cargo is not on PATH to build onboard $version"
  if [ "$version" = "$own_version" ] && [ -f "$action_path/Cargo.lock" ]; then
    echo "::group::cargo install --locked --path $action_path"
    cargo install --locked --root "$cache" --path "$action_path"
  else
    echo "::group::cargo install --locked --git $repository --tag v$version"
    cargo install --locked --root "$cache" --git "$repository" --tag "v$version" onboard
  fi
  echo "::endgroup::"
}

if [ "$version" = preinstalled ]; then
  command -v onboard > /dev/null || error "version is preinstalled, but there is no onboard on PATH"
elif command -v onboard > /dev/null && [ "$(version_of onboard)" = "$version" ]; then
  :
else
  if [ ! -x "$cache/bin/$exe" ] || [ "$(version_of "$cache/bin/$exe")" != "$version" ]; then
    download || build
  fi
  PATH="$cache/bin:$PATH"
  found=$(version_of onboard || true)
  [ "$found" = "$version" ] ||
    error "the installed onboard is version ${found:-unknown}, not $version"
fi
echo "onboard $(version_of onboard) at $(command -v onboard)"

args=(lint "$path")
[ -z "$gate" ] || args+=(--gate "$gate")
[ -z "$changed_from" ] || args+=(--changed-from "$changed_from")
# (The `+` form: bash 3.2, macOS's, calls an empty array unset.)
args+=(${extra_args[@]+"${extra_args[@]}"})

# `status` takes the target and policy options of the extra arguments, not lint's own.
status_args=(status "$path")
i=0
while [ "$i" -lt "${#extra_args[@]}" ]; do
  a=${extra_args[$i]}
  case "$a" in
    --policy=* | --deny=* | --warn=* | --allow=* | --rev=* | --max-file-bytes=* | --time-limit=*)
      status_args+=("$a")
      ;;
    --policy | --deny | --warn | --allow | --rev | --max-file-bytes | --time-limit)
      status_args+=("$a" "${extra_args[$((i + 1))]:-}")
      i=$((i + 1))
      ;;
  esac
  i=$((i + 1))
done

# The run the reader sees: annotations (or the chosen format) and, unless turned off, the job
# summary.
summary_args=()
[ "$summary" = true ] || summary_args=(--no-summary)
set +e
onboard "${args[@]}" ${summary_args[@]+"${summary_args[@]}"} --format "$format"
code=$?
set -e

# Further runs for the outputs write no second job summary.
tmp=$(mktemp -d "${RUNNER_TEMP:-/tmp}/onboard.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
onboard "${args[@]}" --no-summary --format json > "$tmp/report.json" || true
if [ -n "$sarif_file" ]; then
  mkdir -p "$(dirname "$sarif_file")"
  onboard "${args[@]}" --no-summary --format sarif > "$sarif_file" || true
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
if onboard "${status_args[@]}" --format json > "$tmp/status.json"; then
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
