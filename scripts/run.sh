#!/usr/bin/env bash
# One entry point that sets everything up and runs a job. Used by the README and by .ci/run.
#
#   bash scripts/run.sh samples   set up, then check, render and export every sample into out/samples
#   bash scripts/run.sh test      set up (with the test tools, Chromium, PlantUML and mermaid-cli), then run all tests
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
  # apt_install PACKAGE...: install Debian packages (as root, or with password-less sudo).
  [ "$#" -gt 0 ] || return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      die "missing: $*. I need root to install them. Run: sudo apt-get install -y $*   (then run this command again)"
    fi
  fi
  command -v apt-get >/dev/null 2>&1 || die "missing: $*. Install them with your system's package manager (macOS: brew install graphviz), then run this command again."
  say "installing $* (apt-get)"
  if [ -z "${_apt_updated:-}" ]; then $sudo apt-get update -qq >&2; _apt_updated=1; fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

system_packages() {
  # The programs the tool (and, for tests, the browser tests) need, installed where missing.
  local missing=()
  command -v dot >/dev/null 2>&1 && command -v neato >/dev/null 2>&1 || missing+=(graphviz)
  # The diagrams measure text with DejaVu Sans: without it boxes and text disagree.
  fc-list 2>/dev/null | grep -qi "DejaVu Sans" || missing+=(fonts-dejavu-core)
  if [ "${1:-}" = with-browser ]; then
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    # The export tests render Mermaid with mermaid-cli (Node) and PlantUML with Debian's package;
    # the editor tests tokenise with VS Code's TextMate engine, an npm package.
    command -v plantuml >/dev/null 2>&1 || missing+=(plantuml)
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
  fi
  apt_install "${missing[@]}"
}

setup_renderers() {
  # mermaid-cli, pinned in tests/renderers/package-lock.json, into tests/renderers/node_modules
  # (not in git). Puppeteer's own browser is not downloaded: tests/renderers/puppeteer.json
  # points it at the system Chromium.
  local dir="$here/tests/renderers"
  if [ ! -x "$dir/node_modules/.bin/mmdc" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing mermaid-cli into tests/renderers (npm)"
    (cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}

setup_python() {
  local extras="$1"
  if [ ! -x "$venv/bin/python" ]; then
    say "creating virtual environment $venv"
    if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
      rm -rf "$venv"
      local version
      version="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")' 2>/dev/null || echo 3)"
      say "'$python -m venv' failed: installing Debian's venv module"
      apt_install "python$version-venv" || die "'$python -m venv' does not work. Run: sudo apt-get install -y python3-venv"
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
  # An editable install is not byte-compiled, and PYTHONDONTWRITEBYTECODE may be set: compile
  # once here so that every command does not compile the package again at start-up.
  "$venv/bin/python" -m compileall -q blueprint_cli >/dev/null 2>&1 || true
}

setup_node() {
  # vscode-textmate and vscode-oniguruma (pinned in tests/editors/package.json) for the grammar
  # tests, installed into tests/editors/node_modules (not committed) from the npm registry.
  local folder="$here/tests/editors"
  local stamp="$folder/node_modules/.installed"
  if [ ! -f "$stamp" ] || [ "$folder/package.json" -nt "$stamp" ]; then
    say "installing the editor test packages (npm) into tests/editors/node_modules"
    npm install --prefix "$folder" --no-audit --no-fund --no-package-lock --silent >&2
    touch "$stamp"
  fi
}

case "$job" in
  samples)
    system_packages
    setup_python ""
    out="${OUT:-$here/out/samples}"
    say "checking the samples"
    "$venv/bin/blueprint" check samples   # the folder: its shared include fragment is checked too
    say "rendering the samples into ${out#$here/}"
    mkdir -p "$out"
    for fmt in svg png; do
      "$venv/bin/blueprint" render samples/*.blueprint --format "$fmt" -o "$out"
    done
    # A long journey in bands of stages: a page per band, for print (render --wrap-stages).
    "$venv/bin/blueprint" render samples/hospital-discharge.intended.blueprint --wrap-stages auto \
      -o "$out/hospital-discharge.intended.pages.pdf"
    for sample in samples/*.blueprint; do
      name="$(basename "${sample%.blueprint}")"
      "$venv/bin/blueprint" export "$sample" --format csv -o "$out/$name.csv"
      "$venv/bin/blueprint" export "$sample" --format mermaid -o "$out/$name.mmd"
      "$venv/bin/blueprint" export "$sample" --format plantuml -o "$out/$name.puml"
    done
    for intended in samples/*.intended.blueprint; do
      observed="${intended%.intended.blueprint}.observed.blueprint"
      name="$(basename "${intended%.intended.blueprint}")"
      "$venv/bin/blueprint" report "$intended" "$observed" -o "$out/$name.report.html"
      "$venv/bin/blueprint" diff "$intended" "$observed" --format markdown --mermaid --exit-zero > "$out/$name.diff.md"
    done
    # The evidence case end to end, when the receipt event log is at hand (RECEIPT=folder overrides).
    receipt="${RECEIPT:-$here/../shared/data/receipt}"
    [ -d "$receipt" ] && receipt="$(cd "$receipt" && pwd)"   # shown in the report: no "/../"
    if [ -f "$receipt/receipt.csv" ]; then
      say "observing the receipt event log ($receipt)"
      map="$receipt/receipt.mapping.toml"
      "$venv/bin/blueprint" observe "$receipt/receipt.csv" --mapping "$map" -o "$out/receipt.observed.blueprint"
      "$venv/bin/blueprint" observe "$receipt/receipt.csv" --mapping "$map" --format json -o "$out/receipt.figures.json"
      "$venv/bin/blueprint" render "$out/receipt.observed.blueprint" --format svg -o "$out/receipt.observed.svg"
      "$venv/bin/blueprint" render "$out/receipt.observed.blueprint" --format png -o "$out/receipt.observed.png"
      "$venv/bin/blueprint" render "$out/receipt.observed.blueprint" --wrap-stages auto \
        -o "$out/receipt.observed.wrapped.png"
      "$venv/bin/blueprint" conform "$receipt/receipt.intended.blueprint" "$receipt/receipt.csv" --mapping "$map" \
        --format markdown --exit-zero -o "$out/receipt.conform.md"
      "$venv/bin/blueprint" report "$receipt/receipt.intended.blueprint" "$receipt/receipt.csv" --mapping "$map" \
        -o "$out/receipt.report.html"
    fi
    # Sets of related journeys (one folder each, sharing an include): every journey checked and
    # rendered, each intended/observed pair reported, and the set drawn as one service architecture.
    for set in samples/*/; do
      [ "$(basename "$set")" = shared ] && continue
      name="$(basename "$set")"
      journeys=()
      for file in "$set"*.blueprint; do journeys+=("$file"); done
      [ "${#journeys[@]}" -gt 0 ] || continue
      say "sample set $name: checking, rendering and mapping ${#journeys[@]} files"
      "$venv/bin/blueprint" check "${journeys[@]}"
      mkdir -p "$out/$name"
      for fmt in svg png; do
        "$venv/bin/blueprint" render "${journeys[@]}" --format "$fmt" -o "$out/$name"
      done
      for intended in "$set"*.intended.blueprint; do
        [ -e "$intended" ] || continue
        observed="${intended%.intended.blueprint}.observed.blueprint"
        [ -e "$observed" ] || continue
        base="$(basename "${intended%.intended.blueprint}")"
        "$venv/bin/blueprint" report "$intended" "$observed" -o "$out/$name/$base.report.html"
      done
      "$venv/bin/blueprint" map "$set" -o "$out/$name/map.html"
      "$venv/bin/blueprint" map "$set" --format markdown -o "$out/$name/map.md"
    done
    say "done: $(ls "$out" | wc -l) files in ${out#$here/}"
    ;;
  test)
    system_packages with-browser
    setup_python "[test]"
    setup_node
    setup_renderers
    say "checking lint, layout and types (ruff, ruff format, mypy --strict)"
    "$venv/bin/ruff" check --quiet blueprint_cli tests benchmarks scripts
    "$venv/bin/ruff" format --check --quiet blueprint_cli tests benchmarks scripts
    "$venv/bin/mypy"
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
