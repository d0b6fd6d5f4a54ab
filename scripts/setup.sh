#!/usr/bin/env bash
# Prepare a fresh Debian machine: system packages, a virtual environment in .venv, prongsai installed.
# Safe to run again; it only installs what is missing.
#   system: Python 3.11+ with venv; Chromium (PDF output, through Playwright, no browser download);
#           Thai fonts (fonts-thai-tlwg, a fallback beside the vendored Sarabun); poppler-utils
#           (pdftoppm/pdftotext, used by tests and to look at pages).
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
if [ "${1:-}" = "--with-libreoffice" ]; then
  command -v soffice >/dev/null || need_apt+=(libreoffice-writer-nogui)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -U pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
