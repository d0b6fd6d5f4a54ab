#!/usr/bin/env bash
# Prepare a fresh Debian machine: system packages, a virtual environment in .venv, prongsai installed.
# Safe to run again; it only installs what is missing.
#   system: Python 3.11+ with venv; Chromium (PDF output, through Playwright, no browser download);
#           Thai fonts (fonts-thai-tlwg, a fallback beside the vendored Sarabun); poppler-utils
#           (pdftoppm/pdftotext, used by tests and to look at pages).
#           PostgreSQL's server (postgresql), for the web tests' throw-away server (scripts/pg.sh); the
#           cluster Debian's package creates and starts on install is dropped at once, so none runs.
#   --with-libreoffice also installs LibreOffice Writer, which only bench/pdf.py needs.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || need_apt+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv python3-pip)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
command -v fc-list >/dev/null || need_apt+=(fontconfig)
[ -d /usr/share/fonts/truetype/tlwg ] || need_apt+=(fonts-thai-tlwg)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need_apt+=(postgresql)
if [ "${1:-}" = "--with-libreoffice" ]; then
  command -v soffice >/dev/null || need_apt+=(libreoffice-writer-nogui)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  clusters_before=$(compgen -G '/etc/postgresql/*/*/' || true)
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  # Installing postgresql creates a 'main' cluster and starts it where services may start: drop the
  # clusters this install made (never one that was there before); the tests start their own (scripts/pg.sh).
  for conf in /etc/postgresql/*/*/; do
    [ -d "$conf" ] || continue
    grep -qxF "$conf" <<<"$clusters_before" && continue
    IFS=/ read -r _ _ _ version name _ <<<"$conf"
    $SUDO pg_dropcluster --stop "$version" "$name" || true
  done
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -U pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev,web]'
