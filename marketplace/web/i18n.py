"""Translations for the pages: English message ids, a zh_CN catalogue (the default language) and
a small en catalogue for the codes shown as words.

The .po catalogue is compiled by `make install` (pybabel compile); when the compiled .mo is
missing or older than the .po it is compiled here at start-up, so a plain pytest run works too.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("zh_CN", "en")
DEFAULT = "zh_CN"


def _compile_if_stale(lang: str) -> None:
    po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        with po.open("rb") as src:
            catalog = read_po(src, locale=lang)
        with mo.open("wb") as out:
            write_mo(out, catalog)


@lru_cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue for a language. The message ids are English; the English catalogue only
    turns the codes that reach the pages as data (medical_escort, aged_60_plus) into words."""
    _compile_if_stale(lang)
    return gettext.translation("messages", localedir=TRANSLATIONS, languages=[lang], fallback=True)


def language(cookie: str | None) -> str:
    return cookie if cookie in LANGUAGES else DEFAULT
