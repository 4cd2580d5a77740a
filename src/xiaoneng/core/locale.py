"""Chinese first: the UI language is zh-hans unless the user picked another one.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``, so a county
office PC with an English Windows would get an English UI. Here only an explicit choice
counts: the language cookie written by ``set_language`` (the switch in the top bar and
on the login page). Without it every request gets ``settings.LANGUAGE_CODE``.

Also: helpers to compile the catalogues and reset Django's translation cache, used by
the tests so a fresh checkout (no ``.mo`` files yet) works without ``make install``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def chosen_language(request) -> str:
    """The language from the ``set_language`` cookie, or the default (zh-hans)."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class LocaleMiddleware:
    """Replaces ``django.middleware.locale.LocaleMiddleware``; ignores ``Accept-Language``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


def compile_catalogues(*, stale_only: bool = True, locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile ``.po`` to ``.mo`` with polib (no GNU gettext needed); returns what was written."""
    import polib

    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if stale_only and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    if written:
        reset_translation_cache()
    return written


def reset_translation_cache() -> None:
    """Forget loaded catalogues (what Django's autoreloader does when a .mo file changes)."""
    from django.utils.translation.reloader import translation_file_changed

    translation_file_changed(sender=None, file_path=Path("x.mo"))
