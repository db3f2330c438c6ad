#!/usr/bin/env bash
# One entry point that sets everything up and runs a job. Used by the README and by .ci/run.
#
#   bash scripts/run.sh samples   set up, then check and render every sample into out/samples
#   bash scripts/run.sh test      set up (with the test tools and Chromium), then run all tests
#
# Setup is idempotent: a virtual environment in .venv, the package installed into it, and the
# system programs it needs (Graphviz; Chromium for the browser tests) installed with apt-get
# when they are missing and we are root (or have password-less sudo).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
job="${1:-}"
shift || true
venv="${BLUEPRINT_VENV:-$here/.venv}"
python="${PYTHON:-python3}"

if [ -t 2 ]; then bold=$'\033[1m'; plain=$'\033[0m'; else bold=""; plain=""; fi
say() { printf '%s==> %s%s\n' "$bold" "$*" "$plain" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

apt_install() {
  # apt_install PROGRAM PACKAGE...: install Debian packages unless PROGRAM is already on PATH.
  local program="$1"; shift
  command -v "$program" >/dev/null 2>&1 && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      die "'$program' is missing and I cannot install it without root. Run: sudo apt-get install -y $*   (macOS: brew install $*)"
    fi
  fi
  command -v apt-get >/dev/null 2>&1 || die "'$program' is missing. Install the package(s) '$*' with your system's package manager."
  say "installing $* (apt-get)"
  if [ -z "${_apt_updated:-}" ]; then $sudo apt-get update -qq >&2; _apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >&2
}

setup_python() {
  local extras="$1"
  if [ ! -x "$venv/bin/python" ]; then
    say "creating virtual environment $venv"
    if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
      rm -rf "$venv"
      apt_install __never__ python3-venv
      "$python" -m venv "$venv"
    fi
  fi
  local stamp="$venv/.installed-$extras"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    say "installing blueprint-cli$extras into $venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -e ".$extras" >&2
    touch "$stamp"
  fi
}

case "$job" in
  samples)
    apt_install dot graphviz fonts-dejavu-core
    setup_python ""
    out="${OUT:-$here/out/samples}"
    say "checking the samples"
    "$venv/bin/blueprint" check samples/*.blueprint
    say "rendering the samples into ${out#$here/}"
    mkdir -p "$out"
    for fmt in svg png; do
      "$venv/bin/blueprint" render samples/*.blueprint --format "$fmt" -o "$out"
    done
    for intended in samples/*.intended.blueprint; do
      observed="${intended%.intended.blueprint}.observed.blueprint"
      name="$(basename "${intended%.intended.blueprint}")"
      "$venv/bin/blueprint" report "$intended" "$observed" -o "$out/$name.report.html"
      "$venv/bin/blueprint" diff "$intended" "$observed" --format markdown --exit-zero > "$out/$name.diff.md"
    done
    say "done: $(ls "$out" | wc -l) files in ${out#$here/}"
    ;;
  test)
    apt_install dot graphviz fonts-dejavu-core
    apt_install chromium chromium
    setup_python "[test]"
    say "running the tests"
    set +e
    "$venv/bin/python" -m pytest "$@"
    code=$?
    set -e
    # pytest exits 5 when it collected no test: that is a failure here, not a pass.
    exit "$code"
    ;;
  *)
    echo "usage: bash scripts/run.sh samples|test [pytest arguments]" >&2
    exit 2
    ;;
esac
