#!/usr/bin/env bash
# Debian's chromium (never a downloaded browser build), a CJK font for screenshots/PDFs,
# GNU gettext (xgettext, msgmerge, msgfmt) for `make messages` and the translation test,
# Pango (WeasyPrint's text layout, for official documents as PDF) and poppler-utils
# (pdftoppm: the PNG renderings of documents under docs/screenshots/).
set -euo pipefail
if [ "$(id -u)" != "0" ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk gettext \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils >/dev/null
command -v chromium msgfmt xgettext pdftoppm
