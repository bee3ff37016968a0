"""The vocabulary of messages: every error and notice has a stable code, rendered in the reader's
language (zh-CN first, en second) from the `MESSAGES` table of each domain's `messages.py`.

A domain declares `MESSAGES = {"wish_cancelled": ("这个心愿已取消", "This wish was cancelled.")}`;
texts may hold `{param}` placeholders filled from the error's params.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import marketplace
from marketplace.core import vocabulary

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"


@cache
def catalogue() -> dict[str, tuple[str, str]]:
    """Every domain's messages, code -> (zh-CN, en); a code defined twice is a mistake."""
    merged: dict[str, tuple[str, str]] = {}
    for module in pkgutil.iter_modules(marketplace.__path__):
        if not module.ispkg:
            continue
        try:
            domain = importlib.import_module(f"marketplace.{module.name}.messages")
        except ModuleNotFoundError as exc:
            if exc.name != f"marketplace.{module.name}.messages":
                raise
            continue
        for code, texts in getattr(domain, "MESSAGES", {}).items():
            if code in merged and merged[code] != texts:
                raise RuntimeError(f"message code {code!r} is defined twice")
            merged[code] = texts
    return merged


def language(accept_language: str | None) -> str:
    """zh-CN unless the reader's first acceptable language is English."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("en"):
            return "en"
        if tag.startswith("zh") or tag == "*":
            return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _word(value: object, lang: str) -> object:
    """A parameter as the reader reads it: codes of the vocabulary become labels, lists are
    joined with the language's separator."""
    if isinstance(value, list | tuple):
        return ("、" if lang != "en" else ", ").join(str(_word(v, lang)) for v in value)
    if isinstance(value, str) and vocabulary.known(value):
        return vocabulary.label(value, lang)
    return value


def render(code: str, lang: str, params: dict | None = None, fallback: str = "") -> str:
    """The message for a code in a language; the fallback when the code has no entry.

    Parameters that are codes of the vocabulary (a status, an action, a category) are shown as
    their label in the same language."""
    texts = catalogue().get(code)
    if texts is None:
        return fallback or code
    text = texts[1] if lang == "en" else texts[0]
    words = {k: _word(v, lang) for k, v in (params or {}).items()}
    try:
        return text.format(**words)
    except (KeyError, IndexError, ValueError):
        return text
