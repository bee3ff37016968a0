"""English pages: every page, rendered in en (the language switch's cookie) for each role, shows
no Chinese beyond the brand and what people typed (names, places, wishes, projects)."""

from __future__ import annotations

import html
import re

from marketplace.web.common import LANG_COOKIE
from tests.factories import WISH
from tests.web.test_chinese_pages import _client, walked_pages

# the product's name, the language switch, the Chinese terms kept beside their English (STYLE.md:
# 微心愿 wish, 领单 claim...), and people's data: test names (林resident...), places, addresses,
# project titles and what they wrote
TERMS = (
    "连心",
    "中文",
    "公示",
    "许愿",
    "领单",
    "派单",
    "雷锋超市",
    "幸福合伙人",
    "组织备案",
    "机会清单",
    "小区",
    "楼栋",
)
DATA = re.compile(
    "|".join(TERMS)
    + r"|林\w*|电工|(?:社区|小区|网格)\d+|八大湖街道|\w+路\d+号|\d+单元|老旧小区线路改造|辅导完成|"
    + "|".join(re.escape(s) for s in (WISH["title"], WISH["description"]))
    + r"|（\d+）"
)
CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def chinese_words(page: str) -> set[str]:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    body = re.sub(r"<svg\b.*?</svg>", " ", body, flags=re.S | re.I)
    readable = re.findall(r'(?:placeholder|aria-label|title|alt)="([^"]*)"', body)
    text = html.unescape(" ".join([re.sub(r"<[^>]+>", " ", body), *readable]))
    return set(CHINESE.findall(DATA.sub(" ", text)))


def codes_shown(page: str) -> set[str]:
    """Codes a reader meets raw (grid_worker, application_pending) instead of their words."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return set(re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", text))


async def test_every_page_for_every_role_is_english(running):
    world, pages = await walked_pages(running)
    found = {}
    for key, paths in pages.items():
        client = await _client(running, world, key)
        client.cookies.set(LANG_COOKIE, "en")
        for path in paths:
            r = await client.get(path)
            assert r.status_code == 200, (key, path, r.status_code)
            if words := chinese_words(r.text) | codes_shown(r.text):
                found[(key, path)] = sorted(words)
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())
