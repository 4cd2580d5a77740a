#!/usr/bin/env bash
# Debian's chromium (never a downloaded browser build), a CJK font for screenshots/PDFs,
# and GNU gettext (xgettext, msgmerge, msgfmt) for `make messages` and the translation test.
set -euo pipefail
if [ "$(id -u)" != "0" ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk gettext >/dev/null
command -v chromium msgfmt xgettext
