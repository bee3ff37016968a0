"""The pages' words for refusals: chosen by the error's code from the one vocabulary of messages
(marketplace.messages), in the page's language, and placed beside the field they concern.

The services say what is wrong as a code, a field and parameters; the form decoder lists every
bad field as a code with its figures (marketplace.validation). Nothing here reads English text.
"""

from __future__ import annotations

from collections.abc import Iterable

from marketplace import messages
from marketplace.core.fields import field_label
from marketplace.errors import DomainError
from marketplace.validation import Problem

FORM = "_form"  # the top of the form: a refusal that concerns no single field


def api_language(page_language: str) -> str:
    """The pages keep their language as zh_CN / en; the catalogue speaks zh-CN / en."""
    return "en" if page_language == "en" else messages.DEFAULT_LANGUAGE


def say(lang: str, error: DomainError | Problem) -> str:
    """One refusal as a sentence in the page's language."""
    lang = api_language(lang)
    if isinstance(error, Problem):
        params = {**error.params, "label": field_label(error.field, lang)}
        return messages.render(error.code, lang, params)
    if error.code not in messages.catalogue():
        # a code without texts still reads as its class's refusal, never in English
        return messages.render(type(error).default_code, lang)
    return messages.render(error.code, lang, error.params)


def beside_fields(
    lang: str, errors: Iterable[DomainError | Problem], fields: Iterable[str]
) -> dict[str, str]:
    """Every refusal beside the field it concerns (fields the form does not show go to its
    top); two refusals at one place are both kept."""
    shown = set(fields)
    out: dict[str, str] = {}
    for error in errors:
        where = error.field if error.field in shown else FORM
        text = say(lang, error)
        out[where] = f"{out[where]} {text}" if where in out else text
    return out
