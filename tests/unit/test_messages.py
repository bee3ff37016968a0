"""One vocabulary of messages: every raise names a code that has texts in both languages, with
the parameters its texts need; Chinese texts carry no English words."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import marketplace
from marketplace import messages
from marketplace.core import vocabulary
from marketplace.core.fields import FIELDS
from marketplace.errors import Conflict, DomainError
from marketplace.tasks.rules import claim_refusal
from marketplace.wishes.rules import WishAction, WishStatus, next_status

ROOT = Path(marketplace.__file__).parent
ERRORS = {c.__name__ for c in [DomainError, *DomainError.__subclasses__()]}
# words allowed inside Chinese texts: units and names people use as they are
ALLOWED = {"JSON", "xlsx"}


def _raise_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ERRORS:
                calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return calls


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_raise_has_a_code_with_texts_and_its_parameters():
    calls = _raise_calls()
    assert len(calls) > 100
    catalogue = messages.catalogue()
    for where, call in calls:
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        assert "code" in keywords, f"{where}: a domain error without code="
        code = keywords["code"]
        if isinstance(code, ast.Constant):
            codes = [code.value]
        else:  # f"wish_is_{current.value}": one code per wish status
            assert where.startswith("wishes/rules.py"), f"{where}: a computed code"
            codes = [f"wish_is_{s.value}" for s in WishStatus]
        params = set(keywords) - {"code", "field"} | ({"label"} if "field" in keywords else set())
        for c in codes:
            assert c in catalogue, f"{where}: code {c!r} has no texts"
            for text in catalogue[c]:
                missing = _placeholders(text) - params
                assert not missing, f"{where}: {c} needs {missing}"
        if isinstance(keywords.get("field"), ast.Constant):  # a computed field names its input
            assert keywords["field"].value in FIELDS, f"{where}: field without a label"


def test_every_code_has_both_texts_and_chinese_texts_carry_no_english():
    for code, texts in messages.catalogue().items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", code), code
        assert len(texts) == 2 and all(t.strip() for t in texts), code
        zh, en = texts
        assert _placeholders(zh) == _placeholders(en), code
        words = set(re.findall(r"[A-Za-z]{2,}", re.sub(r"\{\w+\}", "", zh))) - ALLOWED
        assert not words, f"{code}: English in the Chinese text: {words}"
        assert re.search(r"[\u4e00-\u9fff]", zh), code


def test_vocabulary_labels_are_chinese_and_every_kind_is_served():
    for words in vocabulary.KINDS.values():
        for code, (zh, en) in words.items():
            assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[A-Za-z]", zh), code
            assert en and not re.search(r"[\u4e00-\u9fff]", en), code
    assert len(vocabulary.DUTY_TYPES) == 12 and len(vocabulary.RESPONSIBLE_LEVELS) == 4
    for zh, _en in FIELDS.values():
        assert not re.search(r"[A-Za-z]", zh)


def test_parameters_that_are_codes_read_as_words():
    with pytest.raises(Conflict) as refused:
        next_status(WishAction.PUBLISH, WishStatus.CANCELLED)
    error = refused.value
    assert messages.render(error.code, "zh-CN", error.params) == "这个心愿已取消，不能发布。"
    assert messages.render("run_busy", "en", {"run_id": 3, "state": "running"}) == (
        "Matching run 3 for this area is still running; wait for it."
    )


@pytest.mark.parametrize(
    ("status", "source", "code"),
    [
        ("claimed", "wish", "task_taken"),
        ("closed", "wish", "wish_is_cancelled"),
        ("closed", "project", "task_closed"),
    ],
)
def test_a_refused_claim_says_the_true_reason(status, source, code):
    assert claim_refusal(status, source).code == code


def test_reader_language():
    assert messages.language(None) == "zh-CN"
    assert messages.language("en-US,en;q=0.8") == "en"
    assert messages.language("zh-CN,zh;q=0.9,en;q=0.8") == "zh-CN"
    assert messages.language("fr-FR") == "zh-CN"
