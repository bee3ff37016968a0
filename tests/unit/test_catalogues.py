"""The pages' words in both catalogues: every string the pages use has its zh-CN, and the ones
that read like a code or a bare word (wishes, gap, priority task) have real English rather than
the code itself."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "marketplace" / "web" / "translations"
BARE = re.compile(r"[a-z_ ]+")  # no capital, no sentence, no placeholder


def _used() -> set[str]:
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords={**DEFAULT_KEYWORDS, "t": (2,)},
    )
    return {m if isinstance(m, str) else m[0] for _, _, m, _, _ in found}


def _catalogue(lang: str) -> dict[str, str]:
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id and not m.fuzzy}


def test_every_page_string_has_its_chinese_and_no_bare_word_shows_in_english():
    used = _used()
    zh, en = _catalogue("zh_CN"), _catalogue("en")
    assert {"wishes", "gap", "points"} <= used  # the extraction found the pages' words
    assert not sorted(s for s in used if not zh.get(s)), "zh_CN: without a translation"
    bare = sorted(s for s in used if BARE.fullmatch(s) and not en.get(s))
    assert not bare, f"en: shown as the code itself: {bare}"
