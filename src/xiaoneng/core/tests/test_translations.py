"""Chinese first: the zh_Hans catalogue translates every string of the source, and is used.

The completeness check extracts the messages from the *current* source with Django's
``makemessages`` into a temporary copy of the project (so the committed catalogue is
never touched), merges them with a copy of the committed ``zh_Hans`` catalogue and
lists every message that is new, untranslated or fuzzy. Fix: ``make messages``, then
translate the listed strings in ``src/xiaoneng/locale/zh_Hans/LC_MESSAGES/django.po``.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

import xiaoneng
from xiaoneng.core.locale import compile_catalogues

SOURCE_DIR = Path(xiaoneng.__file__).resolve().parent
LOCALE_DIR = SOURCE_DIR / "locale"
ZH_PO = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
# The same options as `make messages` (Makefile).
IGNORE = ["static/*", "*/tests/*"]
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")


def _require_gettext() -> None:
    missing = [
        tool for tool in ("xgettext", "msgmerge", "msguniq", "msgfmt") if not shutil.which(tool)
    ]
    assert not missing, (
        f"GNU gettext is missing ({', '.join(missing)}): run `make chromium` "
        "(scripts/install_chromium.sh installs it)."
    )


def _label(entry: polib.POEntry) -> str:
    text = entry.msgid if not entry.msgctxt else f"[{entry.msgctxt}] {entry.msgid}"
    return text + (" (fuzzy)" if entry.fuzzy else "")


@pytest.fixture(scope="module")
def merged_catalogue(tmp_path_factory) -> polib.POFile:
    """The committed zh_Hans catalogue merged with the messages of the current source."""
    _require_gettext()
    assert ZH_PO.exists(), f"{ZH_PO} is missing: run `make messages` and translate it."
    work = tmp_path_factory.mktemp("messages") / "xiaoneng"
    shutil.copytree(
        SOURCE_DIR,
        work,
        ignore=shutil.ignore_patterns(
            "static", "__pycache__", "*.pyc", "*.mo", "*.sqlite3*", "node_modules", "media"
        ),
    )
    old_cwd = os.getcwd()
    os.chdir(work)
    try:
        with override_settings(LOCALE_PATHS=[work / "locale"]):
            call_command(
                "makemessages",
                locale=["zh_Hans"],
                no_obsolete=True,
                no_location=True,
                no_wrap=True,
                ignore_patterns=IGNORE,
                verbosity=0,
            )
    finally:
        os.chdir(old_cwd)
    merged = work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    return polib.pofile(str(merged))


def test_it_translates_every_message_of_the_source_into_chinese(merged_catalogue):
    missing = [
        _label(e) for e in merged_catalogue if not e.obsolete and (e.fuzzy or not e.translated())
    ]
    assert len(merged_catalogue) > 50, "extraction found almost nothing: check the test's set-up"
    assert not missing, (
        f"{len(missing)} message(s) have no Chinese translation in {ZH_PO.relative_to(SOURCE_DIR.parent.parent)}"
        " (run `make messages` and fill in msgstr):\n  " + "\n  ".join(missing)
    )


def test_the_committed_chinese_catalogue_has_no_fuzzy_or_empty_entries():
    catalogue = polib.pofile(str(ZH_PO))
    bad = [_label(e) for e in catalogue if not e.obsolete and (e.fuzzy or not e.translated())]
    assert not bad, "fuzzy or empty entries in the zh_Hans catalogue:\n  " + "\n  ".join(bad)
    assert not catalogue.metadata_is_fuzzy, "remove '#, fuzzy' from the catalogue's header"
    assert catalogue.metadata.get("Plural-Forms", "").startswith("nplurals=1;")


def test_translations_keep_the_placeholders_of_the_source():
    catalogue = polib.pofile(str(ZH_PO))
    broken = []
    for entry in catalogue.translated_entries():
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        strings = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in strings:
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                broken.append(f"{entry.msgid!r} -> {text!r}")
    assert not broken, "placeholders differ between source and translation:\n  " + "\n  ".join(
        broken
    )


@pytest.mark.parametrize("po_path", [ZH_PO, EN_PO], ids=["zh_Hans", "en"])
def test_the_catalogues_compile(po_path, tmp_path):
    _require_gettext()
    assert po_path.exists(), f"{po_path} is missing: run `make messages`."
    mo_path = tmp_path / "django.mo"
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    if po_path == ZH_PO:
        with mo_path.open("rb") as fp:
            assert gettext.GNUTranslations(fp).gettext("Log in") == "登录"
    # GNU msgfmt also checks that python-format placeholders match.
    result = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(po_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# --- the language actually used --------------------------------------------------------------------
@pytest.fixture
def compiled():
    """Compile stale .mo files (a fresh checkout has none) and reload the catalogues."""
    compile_catalogues(stale_only=True)


@pytest.mark.django_db
def test_the_login_page_is_chinese_by_default(client, compiled):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>登录 · 效能监督管理平台</title>" in html
    assert '<html lang="zh-hans">' in html
    assert response["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese(client, compiled):
    response = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"})
    html = response.content.decode()
    assert "<title>登录" in html
    assert '<html lang="zh-hans">' in html


@pytest.mark.django_db
def test_the_language_switch_selects_english_and_back(client, compiled):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("login")).content.decode()
    assert "<title>Log in · Efficiency platform</title>" in html
    assert '<html lang="en">' in html

    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("login")})
    assert "<title>登录" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_chinese(client, compiled):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert "<title>登录" in client.get(reverse("login")).content.decode()
